/**
 * The batch's terminal lines: one when a head starts, one when it ends, the second with the batch's
 * ETA. The ETA is throughput-based (wall time so far / heads finished this call x heads left), so it
 * is right for one local job, for --jobs N and for a farm of any size alike, once a head has finished.
 */
import type { HeadResult, HeadSpec } from './types';

export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

export class BatchProgress {
  private readonly t0 = performance.now();
  private finishedHere = 0;
  private ended = 0;

  constructor(
    /** Heads this call has to make (resumed ones excluded). */
    private readonly total: number,
    private readonly write: (line: string) => void,
  ) {}

  started(spec: HeadSpec, where?: string): void {
    this.write(`[start] ${label(spec)}${where ? ` on ${where}` : ''}`);
  }

  finished(result: HeadResult): void {
    this.ended++;
    if (!result.resumed) this.finishedHere++;
    const width = String(this.total).length;
    const head = `[${String(this.ended).padStart(width)}/${this.total}]`;
    const left = this.total - this.ended;
    const elapsed = (performance.now() - this.t0) / 1000;
    const eta =
      left === 0 ? 'batch done' : `${left} left, ETA ${formatDuration((elapsed / this.ended) * left)}`;
    const what =
      result.state === 'done'
        ? `done   ${label(result)} ${result.seconds.toFixed(1)} s${metrics(result)}`
        : `FAILED ${label(result)}: ${result.error ?? 'unknown error'}`;
    this.write(`${head} ${what} | ${eta}`);
  }
}

function label(h: { inputName: string; seed: number }): string {
  return `${h.inputName} seed ${h.seed}`;
}

function metrics(r: HeadResult): string {
  const parts: string[] = [];
  if (r.meanPsnr !== undefined) parts.push(`PSNR ${r.meanPsnr.toFixed(2)} dB`);
  if (r.csim !== undefined) parts.push(`CSIM ${r.csim.toFixed(3)}`);
  if (r.worker && r.attempts !== undefined) parts.push(`${r.worker}, attempt ${r.attempts}`);
  if (r.warnings.length) parts.push(`${r.warnings.length} warning${r.warnings.length > 1 ? 's' : ''}`);
  return parts.length ? `, ${parts.join(', ')}` : '';
}
