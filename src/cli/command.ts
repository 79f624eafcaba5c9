/**
 * The CLI's command framework. A command is a module src/cli/commands/<name>.ts exporting
 * `export const command: CliCommand`, listed once in src/cli/command-table.ts (with its --help line).
 *
 * Exit codes (documented in `headforge --help`):
 *   0 ok · 1 internal error · 2 bad input or usage · 3 missing model pack / backend / pipeline, or the
 *   disk is full or cannot be written · 4 cancelled (SIGINT)
 * Ordinary input and disk problems (a damaged splat file, a missing or unreadable path, a full disk)
 * are exit 2 or 3 with one sentence (exitCodeFor, describeError); only real bugs print a stack.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { StudioErrorCode } from '../shared/contracts/studio-api';
import { isStudioError } from '../shared/rpc/errors';
import { SplatFormatError } from '../shared/splat/errors';
import { ImageTooLargeError } from '../engine/image-errors';
import { GltfError } from '../engine/eval/gltf-errors';
import { PreprocessError } from '../engine/preprocess/errors';

import { EXIT, type ExitCode } from './exit-codes';

export { EXIT, type ExitCode } from './exit-codes';

export interface CliIo {
  stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  stderr: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  env: NodeJS.ProcessEnv;
  /** Resolves when the user interrupts (SIGINT); commands that run long race against it. */
  interrupted: Promise<void>;
}

export interface CliCommand {
  name: string;
  /** Full usage text for `headforge <name> --help`. */
  usage: string;
  run(argv: string[], io: CliIo): Promise<number>;
}

/** Thrown for bad flags/arguments: printed with the command's usage, exit 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

type Options = NonNullable<ParseArgsConfig['options']>;

/** node:util parseArgs with errors turned into UsageErrors. */
export function parseCommandArgs<O extends Options>(
  argv: string[],
  options: O,
  allowPositionals = true,
): { values: Record<string, string | boolean | undefined>; positionals: string[] } {
  try {
    const parsed = parseArgs({
      args: joinNegativeValues(argv, options),
      options,
      allowPositionals,
      strict: true,
    });
    return {
      values: parsed.values as Record<string, string | boolean | undefined>,
      positionals: parsed.positionals,
    };
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

/**
 * `--elevation -10` as `--elevation=-10`: parseArgs reads a value that starts with a dash as another
 * flag and refuses it as ambiguous, but a negative number after a string option is its value (a
 * portrait taken from below). Only numbers are joined, so a forgotten value before a real flag
 * (`--out --force`) still gets parseArgs' own message.
 */
export function joinNegativeValues(argv: readonly string[], options: Options): string[] {
  const takesValue = new Set<string>();
  for (const [name, opt] of Object.entries(options)) {
    if (opt.type !== 'string') continue;
    takesValue.add(`--${name}`);
  }
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--') {
      out.push(...argv.slice(i));
      break;
    }
    const next = argv[i + 1];
    if (takesValue.has(argv[i]) && next !== undefined && /^-\d+(\.\d+)?$/.test(next)) {
      out.push(`${argv[i]}=${next}`);
      i++;
    } else out.push(argv[i]);
  }
  return out;
}

/** Exit code for an error a command let escape. */
export function exitCodeFor(err: unknown): ExitCode {
  if (err instanceof UsageError) return EXIT.usage;
  if (isStudioError(err)) return exitCodeForStudio(err.code);
  if (
    err instanceof SplatFormatError ||
    err instanceof ImageTooLargeError ||
    err instanceof PreprocessError ||
    err instanceof GltfError
  )
    return EXIT.usage;
  const errno = (err as NodeJS.ErrnoException | null)?.code;
  if (typeof errno === 'string' && ENVIRONMENT_ERRNO.has(errno)) return EXIT.missing;
  if (typeof errno === 'string' && PATH_ERRNO.has(errno)) return EXIT.usage;
  return EXIT.internal;
}

/** Filesystem failures that are the machine's state, not the command line: exit 3. */
const ENVIRONMENT_ERRNO: ReadonlyMap<string, string> = new Map([
  ['ENOSPC', 'the disk is full'],
  ['EDQUOT', 'the disk quota is exceeded'],
  ['EROFS', 'the filesystem is read-only'],
  ['EIO', 'an input/output error occurred'],
  ['EMFILE', 'too many files are open'],
]);
/** Filesystem failures caused by a path the user gave: exit 2. */
const PATH_ERRNO: ReadonlyMap<string, string> = new Map([
  ['ENOENT', 'no such file or folder'],
  ['EISDIR', 'it is a folder, not a file'],
  ['ENOTDIR', 'a part of the path is not a folder'],
  ['EACCES', 'permission denied'],
  ['EPERM', 'operation not permitted'],
  ['EEXIST', 'it already exists'],
  ['ENOTEMPTY', 'the folder is not empty'],
  ['ENAMETOOLONG', 'the name is too long'],
  ['ELOOP', 'too many symbolic links'],
]);

/** One sentence for an error exitCodeFor classified as ordinary (not internal). */
export function describeError(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  const known =
    typeof e?.code === 'string' ? (ENVIRONMENT_ERRNO.get(e.code) ?? PATH_ERRNO.get(e.code)) : undefined;
  if (known && !isStudioError(err)) {
    const where = e.path ? ` (${e.syscall ?? 'accessing'} ${e.path})` : '';
    return `${known}${where}`;
  }
  return e instanceof Error ? e.message : String(err);
}

export function exitCodeForStudio(code: StudioErrorCode | undefined): ExitCode {
  switch (code) {
    case 'BAD_REQUEST':
    case 'INVALID_IMAGE':
    case 'NOT_FOUND':
    case 'PATH_ESCAPE':
    case 'DAMAGED':
      return EXIT.usage;
    case 'PIPELINE_UNAVAILABLE':
    case 'BACKEND_UNAVAILABLE':
      return EXIT.missing;
    case 'CANCELLED':
      return EXIT.cancelled;
    case 'DISK_FULL':
    case 'IO':
      return EXIT.missing;
    default:
      return EXIT.internal;
  }
}

export function writeLine(stream: NodeJS.WritableStream, line = ''): void {
  stream.write(line + '\n');
}

/** Parse an integer flag, or throw a UsageError naming it. */
export function intFlag(value: string | boolean | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (typeof value !== 'string' || !Number.isInteger(n))
    throw new UsageError(`--${name} must be an integer, got ${JSON.stringify(value)}`);
  return n;
}
