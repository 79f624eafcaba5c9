/**
 * The farm tests' processes: `headforge worker`s and other CLI calls run as their own Node processes
 * (bin/headforge.mjs), as on a farm's machines, with their output collected for assertions and for
 * the message of a test that times out.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { repoRoot } from '../cli/quick-run';

export interface TestWorker {
  proc: ChildProcess;
  /** stdout and stderr so far. */
  log: string;
}

const HEAD_MODEL = path.resolve(repoRoot, '../shared/head-models/ict-facekit');

/** A headforge process with the test head model and `env` on top of the test's environment. */
export function headforge(args: string[], env: NodeJS.ProcessEnv = {}): TestWorker {
  const proc = spawn(process.execPath, [path.join(repoRoot, 'bin/headforge.mjs'), ...args], {
    cwd: repoRoot,
    env: { ...process.env, HEADFORGE_HEAD_MODEL: HEAD_MODEL, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const w: TestWorker = { proc, log: '' };
  proc.stdout!.on('data', (d: Buffer) => (w.log += d.toString()));
  proc.stderr!.on('data', (d: Buffer) => (w.log += d.toString()));
  return w;
}

/**
 * A worker on `url`. Locks of 20 s (a killed worker's head is back in the queue 20-30 s later): long
 * enough for a head's synchronous stretches on a loaded 2-core box, short enough for a test.
 */
export function startWorker(url: string, env: NodeJS.ProcessEnv = {}): TestWorker {
  return headforge(['worker', '--queue', url, '--lock-seconds', '20'], env);
}

export async function until(
  what: string,
  cond: () => boolean | Promise<boolean>,
  ms = 240_000,
): Promise<void> {
  const t0 = Date.now();
  while (!(await cond())) {
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export function isRunning(w: TestWorker): boolean {
  return w.proc.exitCode === null && w.proc.signalCode === null;
}

/** SIGKILL whatever is still running (afterAll). */
export function killAll(workers: TestWorker[]): void {
  for (const w of workers) if (isRunning(w)) w.proc.kill('SIGKILL');
}
