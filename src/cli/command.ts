/**
 * The CLI's command framework. A command is a module src/cli/commands/<name>.ts exporting
 * `export const command: CliCommand`, listed once in src/cli/index.ts.
 *
 * Exit codes (documented in `headforge --help`):
 *   0 ok · 1 internal error · 2 bad input or usage · 3 missing model pack / backend / pipeline · 4 cancelled (SIGINT)
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { StudioErrorCode } from '../shared/contracts/studio-api';
import { isStudioError } from '../shared/rpc/errors';

export const EXIT = { ok: 0, internal: 1, usage: 2, missing: 3, cancelled: 4 } as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export interface CliIo {
  stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  stderr: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  env: NodeJS.ProcessEnv;
  /** Resolves when the user interrupts (SIGINT); commands that run long race against it. */
  interrupted: Promise<void>;
}

export interface CliCommand {
  name: string;
  /** One line for `headforge --help`. */
  summary: string;
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
    const parsed = parseArgs({ args: argv, options, allowPositionals, strict: true });
    return {
      values: parsed.values as Record<string, string | boolean | undefined>,
      positionals: parsed.positionals,
    };
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

/** Exit code for an error a command let escape. */
export function exitCodeFor(err: unknown): ExitCode {
  if (err instanceof UsageError) return EXIT.usage;
  if (isStudioError(err)) return exitCodeForStudio(err.code);
  return EXIT.internal;
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
    case 'UNSUPPORTED':
      return EXIT.missing;
    case 'CANCELLED':
      return EXIT.cancelled;
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
