/**
 * What the portrait may paint on surfaces it sees obliquely: their colour, not their detail (a glasses
 * rim or an eye corner stretched over the side of the head is a ghost face in the 3/4 views).
 */
import { describe, expect, it } from 'vitest';
import type { PreprocessResult } from '../../src/shared/contracts/preprocess';
import { createRgba } from '../../src/shared/image';
import { detailTrust } from '../../src/engine/multiview/weightfree/observe';
import { portraitPlane } from '../../src/engine/multiview/weightfree/portrait-plane';

const N = 512;

/** A red disc (radius 150) on a white background, matte = the disc, with a 2 px black ring at radius 100. */
function discPortrait(): PreprocessResult {
  const image512 = createRgba(N, N, [255, 255, 255, 255]);
  const matte = new Float32Array(N * N);
  for (let y = 0; y < N; y++) {
    for (let x = 0; x < N; x++) {
      const r = Math.hypot(x - N / 2, y - N / 2);
      const i = y * N + x;
      if (r > 150) continue;
      matte[i] = 1;
      const ring = Math.abs(r - 100) < 1;
      image512.data.set(ring ? [0, 0, 0] : [200, 30, 30], i * 4);
    }
  }
  const regions = new Uint8Array(N * N);
  return { image512, matte512: { width: N, height: N, data: matte }, regions } as unknown as PreprocessResult;
}

describe('observed colour at grazing angles', () => {
  it('keeps full detail facing the camera, none at grazing, and rises monotonically between', () => {
    expect(detailTrust(1)).toBe(1);
    expect(detailTrust(0.65)).toBe(1);
    expect(detailTrust(0.25)).toBe(0);
    let last = -1;
    for (let f = 0.2; f <= 1; f += 0.05) {
      const t = detailTrust(f);
      expect(t).toBeGreaterThanOrEqual(last);
      last = t;
    }
  });

  it("the colour-only portrait keeps a region's colour, drops a thin dark line, and lets no background in", () => {
    const pre = discPortrait();
    const blurred = portraitPlane(pre).colourOnly;
    const px = (x: number, y: number) => Array.from(blurred.data.slice((y * N + x) * 4, (y * N + x) * 4 + 3));
    // On the ring: the sharp portrait is black, the colour-only one is mostly the disc's red.
    const onRing = px(N / 2 + 100, N / 2);
    expect(onRing[0]).toBeGreaterThan(120);
    // Just inside the outline: still the disc's colour, not a pink blend with the white background.
    const rim = px(N / 2 + 149, N / 2);
    expect(rim[0]).toBeGreaterThan(185);
    expect(rim[1]).toBeLessThan(45);
    expect(rim[2]).toBeLessThan(45);
    expect(blurred.data.every((v) => Number.isFinite(v))).toBe(true);
  });
});
