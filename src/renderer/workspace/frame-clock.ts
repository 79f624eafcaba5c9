/**
 * Frame times of the 3D preview: the time of every frame the viewer drew (its render() calls), kept
 * for the last two seconds. Median interval between consecutive draws = the frame time while the
 * picture is changing (orbit, turntable); an idle preview draws nothing and reports null.
 */
export const FRAME_WINDOW_MS = 2000;

export class FrameClock {
  private readonly times: number[] = [];
  /** Frames drawn since creation (a test divides a drag's duration by it). */
  count = 0;

  tick(now: number): void {
    this.count++;
    this.times.push(now);
    while (this.times.length > 0 && now - this.times[0] > FRAME_WINDOW_MS) this.times.shift();
  }

  /** Median ms between consecutive draws in the window ending at `now`, or null with fewer than 3 draws. */
  frameMs(now: number): number | null {
    const recent = this.times.filter((t) => now - t <= FRAME_WINDOW_MS);
    if (recent.length < 3) return null;
    const gaps = recent
      .slice(1)
      .map((t, i) => t - recent[i])
      .sort((a, b) => a - b);
    return gaps[Math.floor(gaps.length / 2)];
  }
}
