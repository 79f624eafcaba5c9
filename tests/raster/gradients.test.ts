/**
 * Native backward pass vs central finite differences of the double-precision reference renderer, per
 * parameter group, on tiny scenes (SH 0..3, background and alpha-output gradients, several tiles).
 * Objective: L = sum(wRgb * rgb) + sum(wAlpha * alpha) with fixed random weights.
 * Tolerance per group: relative L2 error |g_native - g_fd| / |g_fd| <= 3e-4 over the parameters whose
 * finite difference is reliable (one-sided slopes agree: no alpha-threshold/tile/clamp jump within the
 * step), and at most 3% of the parameters may be unreliable (steps 1e-5, 1e-6, 1e-7 are tried in turn).
 */
import { describe, expect, it } from 'vitest';
import { nativeAddon } from '../../src/engine/raster/native-addon';
import { finiteDifferenceGradients } from '../../src/shared/raster/finite-diff';
import { GRADIENT_GROUPS } from '../../src/shared/raster/types';
import type { ShDegree } from '../../src/shared/gaussians/cloud';
import { randomCloud, rng, sceneCamera } from './scenes';

const cases: { seed: number; deg: ShDegree; w: number; h: number; n: number; bg: [number, number, number] }[] = [
  { seed: 11, deg: 0, w: 20, h: 18, n: 8, bg: [1, 1, 1] },
  { seed: 12, deg: 1, w: 33, h: 17, n: 10, bg: [0.3, 0.6, 0.1] },
  { seed: 13, deg: 3, w: 24, h: 24, n: 10, bg: [0, 0, 0] },
];

describe('native gradients vs finite differences', () => {
  for (const c of cases) {
    it(`SH ${c.deg}, ${c.w}x${c.h}, ${c.n} Gaussians`, () => {
      const cloud = randomCloud(c.seed, { count: c.n, shDegree: c.deg, spread: 0.06, logScale: [Math.log(0.006), Math.log(0.02)], opacityLogit: [-1.5, 2] });
      const cam = sceneCamera(c.w, c.h, c.seed * 29, 15);
      const r = rng(c.seed + 100);
      const wRgb = Float32Array.from({ length: c.w * c.h * 3 }, () => r() * 2 - 1);
      const wAlpha = Float32Array.from({ length: c.w * c.h }, () => r() * 2 - 1);
      const opts = { background: c.bg, shDegree: c.deg };
      const native = nativeAddon().renderBackward(cloud, cam, { ...opts, threads: 2 }, wRgb, wAlpha);
      const fd = finiteDifferenceGradients(cloud, cam, opts, wRgb, wAlpha);
      for (const g of GRADIENT_GROUPS) {
        const a = native.grads[g];
        const b = fd.grads[g];
        const bad = fd.unreliable[g];
        expect(a.length).toBe(b.length);
        let num = 0;
        let den = 0;
        let unreliable = 0;
        for (let k = 0; k < a.length; k++) {
          if (bad[k]) {
            unreliable++;
            continue;
          }
          num += (a[k] - b[k]) ** 2;
          den += b[k] ** 2;
        }
        if (a.length === 0) continue;
        expect(unreliable / a.length, `${g}: unreliable finite differences`).toBeLessThanOrEqual(0.03);
        expect(den, `${g}: gradient is not trivially zero`).toBeGreaterThan(1e-6);
        expect(Math.sqrt(num / den), `${g}: relative error`).toBeLessThanOrEqual(3e-4);
      }
    });
  }

  it('densification statistic is |dL/dmean2d| in NDC units and zero for culled Gaussians', () => {
    const cloud = randomCloud(21, { count: 12, shDegree: 0, spread: 0.05 });
    cloud.positions[0] = 5; // Gaussian 0 far to the side: outside the view
    cloud.positions[2] = 5;
    const cam = sceneCamera(32, 32, 0, 0);
    const w = new Float32Array(32 * 32 * 3).fill(1);
    const out = nativeAddon().renderBackward(cloud, cam, {}, w, null);
    expect(out.radii[0]).toBe(0);
    expect(out.meanGrad2dNorm[0]).toBe(0);
    const visible = Array.from(out.radii).filter((r) => r > 0).length;
    expect(visible).toBeGreaterThan(6);
    expect(Array.from(out.meanGrad2dNorm).some((v) => v > 0)).toBe(true);
  });

  it('gradients are bit-identical for 1 and 2 threads', () => {
    const cloud = randomCloud(31, { count: 500, shDegree: 2 });
    const cam = sceneCamera(96, 80);
    const r = rng(5);
    const wRgb = Float32Array.from({ length: 96 * 80 * 3 }, () => r() - 0.5);
    const a = nativeAddon().renderBackward(cloud, cam, { threads: 1 }, wRgb, null);
    const b = nativeAddon().renderBackward(cloud, cam, { threads: 2 }, wRgb, null);
    for (const g of GRADIENT_GROUPS) expect(Buffer.from(a.grads[g].buffer).equals(Buffer.from(b.grads[g].buffer)), g).toBe(true);
  });
});
