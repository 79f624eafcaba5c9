/**
 * Maps per-stage progress onto the run's overall fraction and records how long each stage took.
 * Stage weights are rough shares of a `standard` run's wall time on a 2-core CPU, so the host's ETA
 * (derived from the overall fraction) is sane from the first seconds.
 */
export class StageTimer {
  readonly timings: Record<string, number> = {};
  private readonly starts: number[];
  private current: string | null = null;
  private t0 = 0;

  constructor(
    private readonly stages: readonly { name: string; weight: number }[],
    private readonly report: (stage: string, fraction: number, message?: string) => void,
  ) {
    const total = stages.reduce((s, x) => s + x.weight, 0);
    let acc = 0;
    this.starts = stages.map((s) => {
      const start = acc / total;
      acc += s.weight;
      return start;
    });
    this.weights = stages.map((s) => s.weight / total);
  }
  private readonly weights: number[];

  begin(name: string, message?: string): void {
    this.end();
    this.current = name;
    this.t0 = performance.now();
    this.progress(0, message);
  }

  /** Progress within the current stage, 0..1. */
  progress(within: number, message?: string): void {
    if (!this.current) return;
    const i = this.stages.findIndex((s) => s.name === this.current);
    const f = this.starts[i] + this.weights[i] * Math.min(1, Math.max(0, within));
    this.report(this.current, f, message);
  }

  end(): void {
    if (this.current) this.timings[this.current] = (performance.now() - this.t0) / 1000;
    this.current = null;
  }
}
