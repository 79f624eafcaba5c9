/**
 * headforge CLI entry (`npx headforge`, `npm run headforge --`, bin/headforge.mjs).
 * Commands: one module each in ./commands, listed in COMMANDS below — to add one, export
 * `command: CliCommand` from src/cli/commands/<name>.ts and append it here.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { EXIT, UsageError, describeError, exitCodeFor, writeLine, type CliCommand, type CliIo } from './command';
import { command as projects } from './commands/projects';
import { command as doctor } from './commands/doctor';
import { command as serve } from './commands/serve';
import { command as generate } from './commands/generate';
import { command as models } from './commands/models';
import { command as convert } from './commands/convert';
import { command as info } from './commands/info';
import { command as evalCommand } from './commands/eval';
import { command as stylize } from './commands/stylize';
import { command as frontal } from './commands/frontal';
import { command as animate } from './commands/animate';
import { command as exportMesh } from './commands/export-mesh';

export const COMMANDS: CliCommand[] = [generate, projects, serve, doctor, models, convert, info, evalCommand, stylize, frontal, animate, exportMesh];

function help(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    'headforge — one portrait in, a full-head 3D Gaussian avatar out',
    '',
    'usage: headforge <command> [options]    (headforge <command> --help for its options)',
    '',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'exit codes: 0 ok, 1 internal error, 2 bad input/usage, 3 missing model pack/backend/pipeline or disk full/not writable, 4 cancelled',
  ].join('\n');
}

/** Run the CLI; resolves with the exit code (never calls process.exit itself). */
export async function main(argv: string[], io?: Partial<CliIo>): Promise<number> {
  const full: CliIo = {
    stdout: io?.stdout ?? process.stdout,
    stderr: io?.stderr ?? process.stderr,
    env: io?.env ?? process.env,
    interrupted: io?.interrupted ?? new Promise<void>(() => undefined),
  };
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    writeLine(full.stdout, help());
    return name ? EXIT.ok : EXIT.usage;
  }
  const cmd = COMMANDS.find((c) => c.name === name);
  if (!cmd) {
    writeLine(full.stderr, `headforge: unknown command "${name}"\n\n${help()}`);
    return EXIT.usage;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    writeLine(full.stdout, cmd.usage);
    return EXIT.ok;
  }
  try {
    return await cmd.run(rest, full);
  } catch (err) {
    const code = exitCodeFor(err);
    if (err instanceof UsageError)
      writeLine(full.stderr, `headforge ${cmd.name}: ${err.message}\n\n${cmd.usage}`);
    else if (code === EXIT.internal)
      writeLine(full.stderr, `headforge ${cmd.name}: internal error: ${(err as Error).stack ?? String(err)}`);
    else writeLine(full.stderr, `headforge ${cmd.name}: ${describeError(err)}`);
    return code;
  }
}

/** SIGINT -> resolve `interrupted` once; a second SIGINT exits with the cancelled code at once. */
export function processInterrupts(): Promise<void> {
  return new Promise((resolve) => {
    process.once('SIGINT', () => {
      resolve();
      process.once('SIGINT', () => process.exit(EXIT.cancelled));
    });
  });
}

/** Entry when run directly: tsx src/cli/index.ts ... (bin/headforge.mjs calls runFromProcess itself). */
export async function runFromProcess(): Promise<void> {
  const code = await main(process.argv.slice(2), { interrupted: processInterrupts() });
  // Let stdout drain, then exit (engine handles, servers and timers must not keep the CLI alive).
  process.stdout.write('', () => process.exit(code));
}

const invokedDirectly = process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (invokedDirectly) void runFromProcess();
