/** The preview's frame time (shown with F): median gap between draws of the last 2 s; idle = null. */
import { describe, expect, it } from 'vitest';
import { FrameClock, FRAME_WINDOW_MS } from '../../src/renderer/workspace/frame-clock';

describe('FrameClock', () => {
  it('reports the median gap between draws while the picture changes', () => {
    const clock = new FrameClock();
    // 250 ms frames with one 1 s stall: the median says 250.
    for (const t of [0, 250, 500, 750, 1750, 2000]) clock.tick(1000 + t);
    expect(clock.frameMs(3000)).toBe(250);
    expect(clock.count).toBe(6);
  });

  it('is null when the preview is idle (fewer than 3 draws in the window)', () => {
    const clock = new FrameClock();
    expect(clock.frameMs(0)).toBeNull();
    for (const t of [0, 100, 200]) clock.tick(t);
    expect(clock.frameMs(200)).toBe(100);
    expect(clock.frameMs(200 + FRAME_WINDOW_MS + 1)).toBeNull();
  });
});
