import { describe, expect, it } from 'vitest';
import { allocateCloud, SH_C0 } from '../../src/shared/gaussians/cloud';
import { colorToShDc, logit, normalizeQuaternionAt, sigmoid, softplus } from '../../src/shared/gaussians/activations';
import { computeBounds } from '../../src/shared/gaussians/bounds';
import { filterByBox, filterByOpacity, keepMostImportant, logImportance } from '../../src/shared/gaussians/filter';
import { fromPackedLgm } from '../../src/shared/gaussians/lgm';
import { makeTestCloud } from '../../src/shared/gaussians/testing';
import { assertFiniteCloud, NonFiniteValueError } from '../../src/shared/gaussians/validate';

describe('activations', () => {
  it('sigmoid and logit invert each other and logit stays finite at 0 and 1', () => {
    for (const x of [-8, -1, 0, 0.3, 5]) expect(logit(sigmoid(x))).toBeCloseTo(x, 6);
    expect(Number.isFinite(logit(0))).toBe(true);
    expect(Number.isFinite(logit(1))).toBe(true);
    expect(softplus(1000)).toBe(1000);
    expect(softplus(0)).toBeCloseTo(Math.LN2, 12);
  });
  it('normalises quaternions and turns a zero quaternion into identity', () => {
    const q = new Float32Array([0, 0, 3, 4, 0, 0, 0, 0]);
    normalizeQuaternionAt(q, 0);
    normalizeQuaternionAt(q, 4);
    expect(Array.from(q)).toEqual([0, 0, 0.6000000238418579, 0.800000011920929, 1, 0, 0, 0]);
  });
});

describe('filters and bounds', () => {
  const cloud = makeTestCloud(2000, 2, 5);
  it('opacity filter keeps exactly the Gaussians at or above the threshold', () => {
    const kept = filterByOpacity(cloud, 0.5);
    const expected = Array.from(cloud.opacities).filter((o) => sigmoid(o) >= 0.5).length;
    expect(kept.count).toBe(expected);
    expect(kept.count).toBeGreaterThan(0);
    for (let i = 0; i < kept.count; i++) expect(sigmoid(kept.opacities[i])).toBeGreaterThanOrEqual(0.5);
    // SH rows travel with their Gaussian.
    const src = Array.from(cloud.opacities).findIndex((o) => o === kept.opacities[0]);
    expect(Array.from(kept.shRest.subarray(0, 24))).toEqual(Array.from(cloud.shRest.subarray(src * 24, src * 24 + 24)));
  });
  it('box filter keeps only means inside the box', () => {
    const kept = filterByBox(cloud, [-0.05, -1, -1], [0.05, 1, 1]);
    let inside = 0;
    for (let i = 0; i < cloud.count; i++) if (Math.abs(cloud.positions[i * 3]) <= 0.05) inside++;
    expect(kept.count).toBe(inside);
    expect(computeBounds(kept).max[0]).toBeLessThanOrEqual(0.05);
  });
  it('top-N keeps the N largest alpha*volume (brute force reference)', () => {
    const kept = keepMostImportant(cloud, 100);
    expect(kept.count).toBe(100);
    const scores = Array.from({ length: cloud.count }, (_, i) => logImportance(cloud, i)).sort((a, b) => b - a);
    const threshold = scores[99];
    for (let i = 0; i < kept.count; i++) expect(logImportance(kept, i)).toBeGreaterThanOrEqual(threshold);
    // Importance is alpha * volume: a higher log score means a larger product.
    const i0 = 0;
    const direct = sigmoid(cloud.opacities[i0]) * Math.exp(cloud.scales[0] + cloud.scales[1] + cloud.scales[2]);
    expect(Math.exp(logImportance(cloud, i0))).toBeCloseTo(direct, 12);
  });
  it('bounds of a known cloud', () => {
    const c = allocateCloud(2, 0);
    c.positions.set([1, -2, 3, -1, 5, 0]);
    const b = computeBounds(c);
    expect(b.min).toEqual([-1, -2, 0]);
    expect(b.max).toEqual([1, 5, 3]);
    expect(b.center).toEqual([0, 1.5, 1.5]);
  });
});

describe('fromPackedLgm', () => {
  it('applies the LGM activations to raw outputs', () => {
    // pos3 opacity1 scale3 rot4 rgb3
    const raw = new Float32Array([2, -0.5, 0.25, 0, 0, 1, -1, 0, 0, 0, 2, 0, 1, -1]);
    const c = fromPackedLgm(raw);
    expect(Array.from(c.positions)).toEqual([1, -0.5, 0.25]); // clamp(-1, 1)
    expect(sigmoid(c.opacities[0])).toBeCloseTo(0.5, 6);
    expect(Math.exp(c.scales[0])).toBeCloseTo(0.1 * Math.LN2, 6);
    expect(Math.exp(c.scales[1])).toBeCloseTo(0.1 * Math.log1p(Math.E), 6);
    expect(Array.from(c.rotations)).toEqual([0, 0, 0, 1]); // normalised (0, 0, 0, 2)
    expect(0.5 + SH_C0 * c.shDC[0]).toBeCloseTo(0.5, 6);
    expect(0.5 + SH_C0 * c.shDC[1]).toBeCloseTo(0.5 * Math.tanh(1) + 0.5, 6);
    expect(0.5 + SH_C0 * c.shDC[2]).toBeCloseTo(0.5 * Math.tanh(-1) + 0.5, 6);
  });
  it('takes already-activated values as they are', () => {
    const act = new Float32Array([0.1, 0.2, 0.3, 0.9, 0.01, 0.02, 0.03, 1, 0, 0, 0, 0.2, 0.4, 0.6]);
    const c = fromPackedLgm(act, { activated: true });
    expect(sigmoid(c.opacities[0])).toBeCloseTo(0.9, 6);
    expect(Math.exp(c.scales[2])).toBeCloseTo(0.03, 6);
    expect(c.shDC[1]).toBeCloseTo(colorToShDc(0.4), 5);
  });
  it('rejects a wrong length and NaN with the channel and Gaussian named', () => {
    expect(() => fromPackedLgm(new Float32Array(13))).toThrow(/multiple of 14/);
    const bad = new Float32Array(28);
    bad[14 + 5] = NaN;
    expect(() => fromPackedLgm(bad)).toThrow(/channel 5 of Gaussian 1/);
  });
});

describe('makeTestCloud and finite checks', () => {
  it('is deterministic per seed and has distinct SH coefficients', () => {
    const a = makeTestCloud(50, 3, 9);
    const b = makeTestCloud(50, 3, 9);
    expect(Array.from(a.shRest)).toEqual(Array.from(b.shRest));
    expect(new Set(a.shRest).size).toBe(a.shRest.length);
    expect(Array.from(makeTestCloud(50, 3, 10).positions)).not.toEqual(Array.from(a.positions));
  });
  it('names the buffer and Gaussian of a NaN', () => {
    const c = makeTestCloud(10, 1, 1);
    c.scales[3 * 7 + 2] = Infinity;
    expect(() => assertFiniteCloud(c)).toThrow(NonFiniteValueError);
    expect(() => assertFiniteCloud(c)).toThrow(/scales of Gaussian 7/);
  });
});
