/**
 * Job progress on a terminal: a redrawn bar on a TTY, plain lines otherwise (one per stage change or
 * 10 % step, so logs stay readable).
 */
import type { JobInfo } from '../../shared/contracts/studio-api';

type Stream = NodeJS.WritableStream & { isTTY?: boolean; columns?: number };

export class ProgressPrinter {
  private lastStage = '';
  private lastDecile = -1;
  private barShown = false;

  constructor(private readonly stream: Stream) {}

  update(job: JobInfo, message?: string): void {
    if (job.state !== 'running') return;
    const pct = Math.floor(job.fraction * 100);
    const eta = job.etaSeconds === null ? '' : ` ETA ${formatSeconds(job.etaSeconds)}`;
    if (this.stream.isTTY) {
      const width = 28;
      const filled = Math.round(job.fraction * width);
      const line = `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${String(pct).padStart(3)}% ${job.stage}${eta}${message ? `  ${message}` : ''}`;
      const cols = this.stream.columns || 100; // 0 when the terminal size is unknown
      this.stream.write(`\r${line.slice(0, cols - 1).padEnd(Math.min(cols - 1, 100))}`);
      this.barShown = true;
      return;
    }
    const decile = Math.floor(pct / 10);
    if (job.stage === this.lastStage && decile === this.lastDecile) return;
    this.lastStage = job.stage;
    this.lastDecile = decile;
    this.stream.write(`progress ${pct}% ${job.stage}${eta}${message ? ` — ${message}` : ''}\n`);
  }

  note(text: string): void {
    this.endBar();
    this.stream.write(text + '\n');
  }

  done(job: JobInfo): void {
    this.endBar();
    this.stream.write(`${job.state}${job.state === 'done' ? '' : job.error ? `: ${job.error}` : ''}\n`);
  }

  private endBar(): void {
    if (this.barShown) this.stream.write('\n');
    this.barShown = false;
  }
}

function formatSeconds(s: number): string {
  return s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}
