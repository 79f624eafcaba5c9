/**
 * headforge CLI entry (`npx headforge`, `npm run headforge --`, bin/headforge.mjs).
 * Commands: one module each in ./commands, listed in ./command-list.mjs (name, --help line) and
 * ./command-table.ts (loader).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CliIo } from './command';
import { EXIT } from './exit-codes';
import { COMMANDS } from './command-table';
import { helpText as help } from './command-list.mjs';

export { COMMANDS };

// `headforge --help` is printed before ./command (which loads image and preprocessing modules) and any
// command module are imported: help must come back at once (bin/headforge.mjs prints it without tsx).

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
    full.stdout.write(`${help()}\n`);
    return name ? EXIT.ok : EXIT.usage;
  }
  const entry = COMMANDS.find((c) => c.name === name);
  if (!entry) {
    full.stderr.write(`headforge: unknown command "${name}"\n\n${help()}\n`);
    return EXIT.usage;
  }
  const [{ UsageError, describeError, exitCodeFor, writeLine }, cmd] = await Promise.all([
    import('./command'),
    entry.load(),
  ]);
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
