/**
 * Session logs: one file per engine process, named with the start time and the pid, in the library's
 * logs/ folder. Lines are appended synchronously so the last words before a crash are on disk.
 */
import fs from 'node:fs';
import path from 'node:path';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface Logger {
  /** Absolute path of the log file, or null for a logger that writes nowhere. */
  readonly file: string | null;
  log(level: LogLevel, message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string, err?: unknown): void;
}

export function createSessionLogger(options: {
  dir: string;
  pid?: number;
  name?: string;
  echo?: (line: string) => void;
}): Logger {
  const pid = options.pid ?? process.pid;
  const stamp = new Date()
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  fs.mkdirSync(options.dir, { recursive: true });
  const file = path.join(options.dir, `${options.name ?? 'engine'}-${stamp}-pid${pid}.log`);
  const write = (level: LogLevel, message: string): void => {
    const line = `${new Date().toISOString()} ${level.toUpperCase().padEnd(5)} [pid ${pid}] ${message}\n`;
    try {
      fs.appendFileSync(file, line);
    } catch {
      // A full disk must not take the engine down with it; the message is lost, the job is not.
    }
    options.echo?.(line);
  };
  const logger: Logger = {
    file,
    log: write,
    info: (m) => write('info', m),
    warn: (m) => write('warn', m),
    error: (m, err) =>
      write(
        'error',
        err === undefined ? m : `${m}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`,
      ),
  };
  logger.info(`session started (node ${process.version}, pid ${pid})`);
  return logger;
}

export const nullLogger: Logger = {
  file: null,
  log: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};
