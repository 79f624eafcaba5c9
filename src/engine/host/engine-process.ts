/**
 * EngineProcess: a running engine child as the host sees it, whatever started it.
 * forkEngine() starts src/engine/host/entry.ts through tsx (CLI, browser mode, tests);
 * utilityEngineProcess() wraps an Electron utilityProcess the main process forked.
 */
import { fork } from 'node:child_process';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { RpcChannel } from '../../shared/rpc/channel';
import { childProcessChannel, utilityProcessChannel, type UtilityProcessLike } from './channels';

export interface EngineExit {
  code: number | null;
  signal: string | null;
  /** Human-readable cause: "killed (SIGKILL)", "ran out of memory", "exited with code 70: <stderr line>". */
  reason: string;
}

export interface EngineProcess {
  pid: number | undefined;
  channel: RpcChannel;
  kill(): void;
  onExit(listener: (exit: EngineExit) => void): void;
}

export interface ForkEngineOptions {
  libraryRoot: string;
  assetBaseUrl?: string;
  /** V8 heap limit for the engine; OOM beyond it is reported as such. */
  maxOldSpaceMb?: number;
  env?: Record<string, string>;
  /** Copy the engine's stderr to ours (default true; tests that provoke crashes turn it off). */
  echoStderr?: boolean;
}

const entryPath = path.join(path.dirname(fileURLToPath(import.meta.url)), 'entry.ts');
const STDERR_TAIL_BYTES = 4096;

export function forkEngine(options: ForkEngineOptions): EngineProcess {
  // tsx by absolute URL: a bare '--import tsx' would resolve from the user's cwd, not from HeadForge.
  const execArgv = ['--import', tsxLoaderUrl()];
  if (options.maxOldSpaceMb) execArgv.push(`--max-old-space-size=${options.maxOldSpaceMb}`);
  const child = fork(entryPath, [], {
    execArgv,
    serialization: 'advanced',
    stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
    env: {
      ...process.env,
      ...options.env,
      HEADFORGE_LIBRARY: options.libraryRoot,
      ...(options.assetBaseUrl ? { HEADFORGE_ASSET_BASE: options.assetBaseUrl } : {}),
    },
  });
  // Keep the end of stderr: V8's "heap out of memory" and uncaught errors land there.
  let stderrTail = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    if (options.echoStderr !== false) process.stderr.write(chunk);
    stderrTail = (stderrTail + chunk.toString()).slice(-STDERR_TAIL_BYTES);
  });
  const channel = childProcessChannel(child);
  return {
    pid: child.pid,
    channel,
    kill: () => void child.kill('SIGKILL'),
    onExit(listener) {
      child.once('exit', (code, signal) => {
        // stderr may still be draining; give it a moment so the reason includes the last line.
        setTimeout(() => listener({ code, signal, reason: describeExit(code, signal, stderrTail) }), 20);
      });
    },
  };
}

/** Wrap an Electron utilityProcess child (main process side). */
export function utilityEngineProcess(
  child: UtilityProcessLike & { pid?: number; kill(): boolean },
): EngineProcess {
  const channel = utilityProcessChannel(child);
  return {
    pid: child.pid,
    channel,
    kill: () => void child.kill(),
    onExit(listener) {
      child.on('exit', (code: number) =>
        listener({ code, signal: null, reason: describeExit(code, null, '') }),
      );
    },
  };
}

function tsxLoaderUrl(): string {
  return pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
}

export function describeExit(code: number | null, signal: string | null, stderrTail: string): string {
  if (/heap out of memory|Allocation failed|ERR_WORKER_OUT_OF_MEMORY|std::bad_alloc/i.test(stderrTail))
    return 'the engine ran out of memory';
  if (signal === 'SIGKILL')
    return 'the engine process was killed (SIGKILL; the system may have run out of memory)';
  if (signal) return `the engine process was terminated by ${signal}`;
  const lastLine = stderrTail.trim().split('\n').filter(Boolean).pop();
  return `the engine process exited with code ${code}${lastLine ? `: ${lastLine.slice(0, 300)}` : ''}`;
}
