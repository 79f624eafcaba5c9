/** The preview's frame time (shown with F): median gap between recent draws; idle = null. */
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

  it('reports frames slower than the 2 s window while they keep coming, and idle once they stop', () => {
    // 65k splats orbiting in software WebGL: a frame every 3.5 s (docs/viewport.md). It read "idle".
    const clock = new FrameClock();
    for (const t of [0, 3500, 7000, 10_500]) clock.tick(t);
    expect(clock.frameMs(11_000)).toBe(3500);
    expect(clock.frameMs(10_500 + 3 * 3500 + 1)).toBeNull();
    // A fast frame after the slow ones narrows the window back to 2 s.
    clock.tick(10_600);
    expect(clock.frameMs(13_000)).toBeNull();
  });
});
