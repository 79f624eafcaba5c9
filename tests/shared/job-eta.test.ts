/**
 * The run panel's ETA: a job whose stages run at very different rates (a quick start, a slow
 * optimisation) must show a time that counts down steadily and ends near the truth, where
 * extrapolating the whole job's average rate jumps by minutes.
 */
import { describe, expect, it } from 'vitest';
import { JobEta } from '../../src/shared/job-eta';

/** Stages as [name, seconds, fraction at its end]; one tick per second. */
const STAGES: [string, number, number][] = [
  ['preprocess', 6, 0.1],
  ['multiview', 40, 0.25],
  ['optimise', 200, 1],
];
const TOTAL_S = STAGES.reduce((s, [, d]) => s + d, 0);

function ticks(): { t: number; stage: string; fraction: number }[] {
  const out = [];
  let t = 0;
  let f0 = 0;
  for (const [stage, seconds, f1] of STAGES) {
    for (let i = 1; i <= seconds; i++) out.push({ t: t + i, stage, fraction: f0 + ((f1 - f0) * i) / seconds });
    t += seconds;
    f0 = f1;
  }
  return out.filter((x) => x.fraction < 1);
}

describe('JobEta', () => {
  it('counts down without jumps across stages of different speed and ends near the true time left', () => {
    const eta = new JobEta();
    const shown: { t: number; eta: number }[] = [];
    for (const { t, stage, fraction } of ticks()) {
      const s = eta.update(stage, fraction, t * 1000);
      if (s !== null) shown.push({ t, eta: s });
    }
    expect(shown.length).toBeGreaterThan(200);
    // Between two ticks one second apart the time left moves by at most 20 s more than the clock.
    const steps = shown.slice(1).map((p, i) => Math.abs(p.eta - (shown[i].eta - 1)));
    expect(Math.max(...steps)).toBeLessThanOrEqual(20);
    // A minute into the slow stage it is within 10 % of the truth, and stays so.
    for (const p of shown.filter((p) => p.t >= 6 + 40 + 60)) {
      expect(Math.abs(p.eta - (TOTAL_S - p.t))).toBeLessThanOrEqual(0.1 * (TOTAL_S - p.t) + 1);
    }
    // The whole-job average rate, for contrast, is still more than 10 % short at that point.
    const at = ticks().find((x) => x.t === 6 + 40 + 60)!;
    expect(TOTAL_S - at.t - (at.t * (1 - at.fraction)) / at.fraction).toBeGreaterThan(0.1 * (TOTAL_S - at.t));
  });

  it('a last stage that reports nothing until it ends does not blow the time up', () => {
    const eta = new JobEta();
    let t = 0;
    // 90 % in 90 s at an even rate, then 20 s of evaluation with no progress reported.
    for (; t <= 90; t++) eta.update('optimise', (0.9 * t) / 90, t * 1000);
    const shown: number[] = [];
    for (; t <= 110; t++) shown.push(eta.update('evaluate', 0.9, t * 1000)!);
    expect(Math.max(...shown)).toBeLessThan(60);
  });

  it('gives no estimate before the job has moved, and 0 at the end', () => {
    const eta = new JobEta();
    expect(eta.update('starting', 0, 0)).toBeNull();
    expect(eta.update('starting', 0.005, 1000)).toBeNull();
    expect(eta.update('done', 1, 2000)).toBe(0);
  });
});
