import { describe, expect, it } from 'vitest';
import { SH_C0, type GaussianCloud } from '../../src/shared/gaussians/cloud';
import { cloudToPreviewArrays } from '../../src/shared/gaussians/preview-arrays';

/** Two Gaussians in the stored form: the second has a zero quaternion and out-of-range colour. */
function twoGaussians(): GaussianCloud {
  return {
    count: 2,
    shDegree: 0,
    positions: Float32Array.from([0.1, 0.2, 0.3, -1, 0, 2]),
    scales: Float32Array.from([Math.log(0.5), 0, Math.log(2), -3, -3, -3]),
    rotations: Float32Array.from([2, 0, 0, 0, 0, 0, 0, 0]),
    opacities: Float32Array.from([0, 4]),
    shDC: Float32Array.from([0, 1, -1, 10, -10, 0]),
    shRest: new Float32Array(0),
  };
}

describe('cloudToPreviewArrays (activation shared by live training previews and the studio restyle)', () => {
  it('activates scales, rotations, opacities and colours, and copies positions', () => {
    const cloud = twoGaussians();
    const a = cloudToPreviewArrays(cloud);
    expect(Array.from(a.scales)).toEqual(Array.from(Float32Array.from([0.5, 1, 2, Math.exp(-3), Math.exp(-3), Math.exp(-3)])));
    // Normalised; a zero quaternion becomes identity instead of NaN.
    expect(Array.from(a.rotations)).toEqual([1, 0, 0, 0, 1, 0, 0, 0]);
    expect(a.opacities[0]).toBeCloseTo(0.5, 7);
    expect(a.opacities[1]).toBeCloseTo(1 / (1 + Math.exp(-4)), 7);
    expect(a.colors[0]).toBeCloseTo(0.5, 7);
    expect(a.colors[1]).toBeCloseTo(0.5 + SH_C0, 6);
    expect(a.colors[2]).toBeCloseTo(0.5 - SH_C0, 6);
    expect([a.colors[3], a.colors[4]]).toEqual([1, 0]); // clamped
    for (const arr of Object.values(a)) for (const v of arr) expect(Number.isFinite(v)).toBe(true);
    // Copies: the trainer keeps mutating its buffers after a preview is sent.
    expect(Array.from(a.positions)).toEqual(Array.from(cloud.positions));
    cloud.positions[0] = 99;
    expect(a.positions[0]).toBeCloseTo(0.1, 7);
  });
});
