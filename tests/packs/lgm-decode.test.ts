import { describe, expect, it } from 'vitest';
import { packedLgmToCloud } from '../../src/engine/diffusion/adapters/lgm-decode';
import { SH_C0 } from '../../src/shared/gaussians/cloud';

describe('packed LGM [N, 14] -> GaussianCloud', () => {
  // pos3 opacity1 scale3 rot4 rgb3
  const row = [2, -0.25, -3, 0, -1, 0, 1, 0, 2, 0, 0, 0, 10, -10];

  it("applies LGM's activations to raw outputs and stores the pre-activation parameters", () => {
    const c = packedLgmToCloud(Float32Array.from(row), 'raw');
    expect(c.count).toBe(1);
    expect(Array.from(c.positions)).toEqual([1, -0.25, -1]); // clamp(-1, 1)
    expect(c.opacities[0]).toBeCloseTo(0, 6); // raw opacity is already the logit: sigmoid(0) = 0.5
    const sp = (x: number) => Math.log1p(Math.exp(x));
    expect(Math.exp(c.scales[0])).toBeCloseTo(0.1 * sp(-1), 6);
    expect(Math.exp(c.scales[1])).toBeCloseTo(0.1 * Math.LN2, 6);
    expect(Math.exp(c.scales[2])).toBeCloseTo(0.1 * sp(1), 6);
    expect(Array.from(c.rotations)).toEqual([0, 1, 0, 0]); // (0, 2, 0, 0) normalised
    const colour = (k: number) => 0.5 + SH_C0 * c.shDC[k];
    expect(colour(0)).toBeCloseTo(0.5, 6);
    expect(colour(1)).toBeCloseTo(0.5 * Math.tanh(10) + 0.5, 6);
    expect(colour(2)).toBeCloseTo(0.5 * Math.tanh(-10) + 0.5, 5);
  });

  it('stores already-activated outputs by inverting the activations', () => {
    const c = packedLgmToCloud(Float32Array.from([0.1, 0.2, 0.3, 0.75, 0.02, 0.03, 0.04, 1, 0, 0, 0, 0.2, 0.4, 0.6]), 'applied');
    expect(c.opacities[0]).toBeCloseTo(Math.log(3), 5); // logit(0.75)
    expect(Math.exp(c.scales[1])).toBeCloseTo(0.03, 6);
    expect(0.5 + SH_C0 * c.shDC[2]).toBeCloseTo(0.6, 6);
  });

  it('refuses a length that is not a multiple of 14 and non-finite values', () => {
    expect(() => packedLgmToCloud(new Float32Array(13), 'raw')).toThrow(/multiple of 14/);
    const bad = Float32Array.from(row);
    bad[5] = NaN;
    expect(() => packedLgmToCloud(bad, 'raw')).toThrow(/non-finite/);
  });
});
