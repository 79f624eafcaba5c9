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

  it('comes down quickly when a fast stage follows a slow one (a short draft run)', () => {
    // As seen in the studio: 4 s preprocessing, 11 s of views, then 160 steps in 11 s and 6 s of
    // evaluation that reports nothing until its end; 32 s in all. The shown time used to say
    // "1 min 23 s" at 85 %.
    const stages: [string, number, number][] = [
      ['preprocess', 4, 0.04],
      ['multiview', 11, 0.1],
      ['optimise', 11, 0.9],
      ['evaluate', 6, 1],
    ];
    const eta = new JobEta();
    const shown = new Map<number, number>();
    let t = 0;
    let f0 = 0;
    for (const [stage, seconds, f1] of stages) {
      for (let i = 0; i < seconds; i++) {
        const fraction = stage === 'evaluate' ? f0 : f0 + ((f1 - f0) * i) / seconds;
        const s = eta.update(stage, fraction, (t + i) * 1000);
        if (s !== null) shown.set(t + i, s);
      }
      t += seconds;
      f0 = f1;
    }
    // From 8 s into the optimisation (68 %) on: at most twice the true time left, plus 5 s (the old
    // blend showed 69 s with 9 s left there).
    for (const [at, s] of shown) if (at >= 23) expect(s, `at ${at} s`).toBeLessThanOrEqual(2 * (32 - at) + 5);
    // It never goes up by more than the slow blend allows (the first test's bar).
    const times = [...shown.keys()].sort((a, b) => a - b);
    for (let k = 1; k < times.length; k++)
      expect(shown.get(times[k])! - (shown.get(times[k - 1])! - 1)).toBeLessThanOrEqual(20);
  });
});
