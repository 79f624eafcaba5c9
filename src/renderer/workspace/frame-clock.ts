/**
 * Frame times of the 3D preview: the time of every frame the viewer drew (its render() calls). Median
 * interval between consecutive recent draws = the frame time while the picture is changing (orbit,
 * turntable); an idle preview draws nothing and reports null.
 * "Recent" is the last FRAME_WINDOW_MS, or three times the latest interval when frames are slower
 * than that (up to MAX_WINDOW_MS): with a fixed 2 s window a preview drawing one frame every 3.5 s
 * while orbiting (65k splats in software WebGL) read "idle", the very case the readout is for.
 */
export const FRAME_WINDOW_MS = 2000;
export const MAX_WINDOW_MS = 60_000;

export class FrameClock {
  private readonly times: number[] = [];
  /** Frames drawn since creation (a test divides a drag's duration by it). */
  count = 0;

  tick(now: number): void {
    this.count++;
    this.times.push(now);
    while (this.times.length > 0 && now - this.times[0] > MAX_WINDOW_MS) this.times.shift();
  }

  /** Median ms between consecutive recent draws at `now`, or null with fewer than 3 recent draws. */
  frameMs(now: number): number | null {
    const n = this.times.length;
    const latestGap = n >= 2 ? this.times[n - 1] - this.times[n - 2] : 0;
    const window = Math.min(MAX_WINDOW_MS, Math.max(FRAME_WINDOW_MS, 3 * latestGap));
    const recent = this.times.filter((t) => now - t <= window);
    if (recent.length < 3) return null;
    const gaps = recent
      .slice(1)
      .map((t, i) => t - recent[i])
      .sort((a, b) => a - b);
    return gaps[Math.floor(gaps.length / 2)];
  }
}
