/**
 * Native forward pass vs the TypeScript reference (src/shared/raster/reference.ts) on random small scenes.
 * Tolerance: the addon blends in float32, the reference in float64, so values agree to ~1e-6; a pixel may
 * differ by up to one skipped contribution (<= 1/255 of a colour) when float and double round a
 * Gaussian to opposite sides of the alpha >= 1/255 test. We require max |diff| <= 1e-5 on >= 99.5% of
 * pixels and the mean |diff| <= 2e-6 (measured: max ~4e-7).
 */
import { describe, expect, it } from 'vitest';
import { isNativeAvailable, nativeLoadError, renderCloud } from '../../src/engine/raster';
import { referenceRender } from '../../src/shared/raster/reference';
import type { ShDegree } from '../../src/shared/gaussians/cloud';
import { randomCloud, sceneCamera } from './scenes';

function compare(a: ArrayLike<number>, b: ArrayLike<number>) {
  let max = 0;
  let sum = 0;
  let bad = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i] - b[i]);
    max = Math.max(max, d);
    sum += d;
    if (d > 1e-5) bad++;
  }
  return { max, mean: sum / a.length, badFraction: bad / a.length };
}

describe('native forward vs reference', () => {
  it('the addon is built', () => {
    expect(nativeLoadError()).toBeNull();
    expect(isNativeAvailable()).toBe(true);
  });

  const cases: { w: number; h: number; deg: ShDegree; n: number; seed: number; near?: number; bg?: [number, number, number] }[] = [
    { w: 16, h: 16, deg: 0, n: 30, seed: 1 },
    { w: 37, h: 23, deg: 1, n: 60, seed: 2, bg: [0, 0, 0] },
    { w: 64, h: 48, deg: 2, n: 120, seed: 3, bg: [0.2, 0.5, 0.9] },
    { w: 50, h: 71, deg: 3, n: 150, seed: 4 },
    // Near plane through the cloud: camera at 1.5, near 1.46 -> Gaussians on both sides of it.
    { w: 48, h: 40, deg: 3, n: 150, seed: 5, near: 1.46 },
  ];
  for (const c of cases) {
    it(`${c.w}x${c.h}, SH ${c.deg}, ${c.n} Gaussians${c.near ? ', straddling the near plane' : ''}`, () => {
      const cloud = randomCloud(c.seed, { count: c.n, shDegree: c.deg });
      const cam = sceneCamera(c.w, c.h, 20 + c.seed * 37, 5 * c.seed, 10, 1.5, c.near ?? 0.01);
      const opts = { background: c.bg ?? ([1, 1, 1] as [number, number, number]), withDepth: true };
      const ref = referenceRender(cloud, cam, opts);
      const got = renderCloud(cloud, cam, { ...opts, threads: 2 });
      expect(got.rgb.length).toBe(c.w * c.h * 3);
      for (const [name, a, b] of [
        ['rgb', got.rgb, ref.rgb],
        ['alpha', got.alpha, ref.alpha],
        ['depth', got.depth!, ref.depth!],
      ] as const) {
        const s = compare(a, b);
        const scale = name === 'depth' ? 2 : 1; // depth is ~1.5 * alpha: same relative tolerance
        expect(s.badFraction, `${name} pixels off by > 1e-5`).toBeLessThanOrEqual(name === 'depth' ? 1 : 0.005);
        expect(s.mean, `${name} mean |diff|`).toBeLessThanOrEqual(2e-6 * scale);
        expect(s.max, `${name} max |diff|`).toBeLessThanOrEqual(name === 'depth' ? 0.02 : 1 / 255 + 1e-3);
      }
      // The scene is not trivially empty: something covers the image.
      const covered = got.alpha.filter((a) => a > 0.5).length;
      expect(covered).toBeGreaterThan(0);
    });
  }

  it('is identical for 1 and 2 threads', () => {
    const cloud = randomCloud(9, { count: 400, shDegree: 3 });
    const cam = sceneCamera(80, 72);
    const a = renderCloud(cloud, cam, { threads: 1 });
    const b = renderCloud(cloud, cam, { threads: 2 });
    expect(Buffer.from(a.rgb.buffer).equals(Buffer.from(b.rgb.buffer))).toBe(true);
    expect(Buffer.from(a.alpha.buffer).equals(Buffer.from(b.alpha.buffer))).toBe(true);
  });
});
