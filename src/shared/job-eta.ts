/**
 * A job's time left that counts down instead of jumping.
 *
 * The overall fraction grows at a different rate in every stage (preprocessing is quick, the
 * optimisation slow), so extrapolating from the whole job's average rate jumps at each stage change
 * (1 min 51 s at 10 %, 54 s at 23 %). Here:
 *   - the rate is the CURRENT stage's measured rate, started from the whole job's average rate as if
 *     the stage had already gained PRIOR_FRACTION at that rate: (gain + PRIOR) / (seconds + PRIOR /
 *     average). A stage that has moved well past PRIOR_FRACTION speaks for itself; one that reports
 *     little (an evaluation that ticks once at its end) does not turn a few seconds into an hour;
 *   - the raw estimate (1 - fraction) / rate is not shown directly: the shown value counts down with
 *     the clock and moves toward the raw estimate by 1 - exp(-dt / SMOOTHING_S) of the difference per
 *     update, and by at most MAX_STEP of itself (or 2 s) per second, so a slower new stage is blended
 *     in over tens of seconds and nothing jumps up; toward a lower estimate it moves faster
 *     (SMOOTHING_DOWN_S, MAX_STEP_DOWN), so a fast stage after a slow one is not shown a minute
 *     too long.
 * Pure: times are passed in (ms), so the engine and tests drive it alike.
 */

/** Fraction of progress at the job's average rate that each stage's own rate starts from. */
export const PRIOR_FRACTION = 0.05;
/** Time constant of the blend toward a new raw estimate, in seconds. */
export const SMOOTHING_S = 20;
/** Largest change of the shown time per second beyond the countdown, as a share of it. */
export const MAX_STEP = 0.1;
/**
 * The same two for a shown time ABOVE the estimate: it comes down faster than it goes up. A slow
 * stage before a fast one (a short draft run's multi-view stage before its optimisation) left the
 * shown time a minute too high until the end ("1 min 23 s" at 85 % of a 35 s run).
 */
export const SMOOTHING_DOWN_S = 4;
export const MAX_STEP_DOWN = 0.3;
/** Below this overall fraction no estimate is given (the first ticks say nothing about the rate). */
const MIN_FRACTION = 0.01;

export class JobEta {
  private jobStart: number | null = null;
  private stage: string | null = null;
  private stageStart = 0;
  private stageStartFraction = 0;
  private shown: number | null = null;
  private lastUpdate = 0;

  /** Feed one progress tick; returns the seconds left to show (null: not enough to say yet). */
  update(stage: string, fraction: number, nowMs: number): number | null {
    if (this.jobStart === null) this.jobStart = nowMs;
    if (stage !== this.stage) {
      this.stage = stage;
      this.stageStart = nowMs;
      this.stageStartFraction = fraction;
    }
    if (fraction >= 1) return (this.shown = 0);
    const elapsed = (nowMs - this.jobStart) / 1000;
    if (fraction <= MIN_FRACTION || elapsed <= 0) return this.shown === null ? null : this.countDown(nowMs);
    const average = fraction / elapsed;
    const inStage = (nowMs - this.stageStart) / 1000;
    const stageGain = Math.max(0, fraction - this.stageStartFraction);
    const rate = (stageGain + PRIOR_FRACTION) / (inStage + PRIOR_FRACTION / average);
    const raw = (1 - fraction) / rate;
    if (this.shown === null) {
      this.shown = raw;
    } else {
      const dt = (nowMs - this.lastUpdate) / 1000;
      const predicted = Math.max(0, this.shown - dt);
      const down = raw < predicted;
      const limit = Math.max(2, (down ? MAX_STEP_DOWN : MAX_STEP) * predicted) * dt;
      const step = (raw - predicted) * (1 - Math.exp(-dt / (down ? SMOOTHING_DOWN_S : SMOOTHING_S)));
      this.shown = predicted + Math.max(-limit, Math.min(limit, step));
    }
    this.lastUpdate = nowMs;
    return Math.round(this.shown);
  }

  /** No estimate from this tick: the shown time just runs down with the clock. */
  private countDown(nowMs: number): number {
    const dt = (nowMs - this.lastUpdate) / 1000;
    this.lastUpdate = nowMs;
    this.shown = Math.max(0, (this.shown ?? 0) - dt);
    return Math.round(this.shown);
  }
}
