/**
 * Native L1 + D-SSIM loss vs the direct double-precision reference (src/shared/raster/ssim-reference.ts):
 * value within 1e-5, and the gradient vs central finite differences of the reference (step 1e-4, away
 * from the L1 kink) within 1e-3 relative L2 error.
 */
import { describe, expect, it } from 'vitest';
import { nativeAddon } from '../../src/engine/raster/native-addon';
import { referenceRgbLoss } from '../../src/shared/raster/ssim-reference';
import { rng } from './scenes';

describe('L1 + D-SSIM loss', () => {
  it('value and gradient match the reference', () => {
    const W = 23;
    const H = 17;
    const r = rng(3);
    const y = Float32Array.from({ length: W * H * 3 }, () => r());
    // x: y plus structured and random differences, |x - y| >= 0.01 so the L1 kink is never within a step.
    const x = y.map((v, i) => v + (i % 2 ? 1 : -1) * (0.01 + 0.2 * r()));
    for (const lambda of [0, 0.2, 1]) {
      const got = nativeAddon().rgbLoss(x, y, W, H, lambda);
      const ref = referenceRgbLoss(x, y, W, H, lambda);
      expect(Math.abs(got.loss - ref.loss)).toBeLessThan(1e-5);
      expect(Math.abs(got.ssim - ref.ssim)).toBeLessThan(1e-5);
      const xd = Float64Array.from(x);
      let num = 0;
      let den = 0;
      for (let k = 0; k < xd.length; k += 7) {
        const v = xd[k];
        xd[k] = v + 1e-4;
        const lp = referenceRgbLoss(xd, y, W, H, lambda).loss;
        xd[k] = v - 1e-4;
        const lm = referenceRgbLoss(xd, y, W, H, lambda).loss;
        xd[k] = v;
        const fd = (lp - lm) / 2e-4;
        num += (got.grad[k] - fd) ** 2;
        den += fd ** 2;
      }
      expect(den).toBeGreaterThan(0);
      expect(Math.sqrt(num / den), `lambda ${lambda}`).toBeLessThan(1e-3);
    }
  });

  it('identical images give loss 0 and SSIM 1', () => {
    const r = rng(4);
    const x = Float32Array.from({ length: 16 * 16 * 3 }, () => r());
    const got = nativeAddon().rgbLoss(x, x, 16, 16, 0.2);
    expect(got.ssim).toBeCloseTo(1, 6);
    expect(got.loss).toBeCloseTo(0, 6);
  });
});
