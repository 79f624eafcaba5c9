import { describe, expect, it } from 'vitest';
import { shColor } from '../../src/shared/gaussians/sh';
import { makeTestCloud, seededRandom } from '../../src/shared/gaussians/testing';
import { flipYZ, transformCloud, withShDegree } from '../../src/shared/gaussians/transforms';
import { mat3MulVec, mat3Transpose, quatFromAxisAngle, quatToMat3 } from '../../src/shared/gaussians/quaternion';
import type { GaussianCloud } from '../../src/shared/gaussians/cloud';
import { maxAbsDiff } from './helpers';

/** Covariance R S S^T R^T of Gaussian i, row-major. */
function covariance(c: GaussianCloud, i: number): number[] {
  const R = quatToMat3(Array.from(c.rotations.subarray(i * 4, i * 4 + 4)));
  const s = [0, 1, 2].map((a) => Math.exp(2 * c.scales[i * 3 + a]));
  const out: number[] = [];
  for (let r = 0; r < 3; r++) for (let col = 0; col < 3; col++) out.push(R[r * 3] * s[0] * R[col * 3] + R[r * 3 + 1] * s[1] * R[col * 3 + 1] + R[r * 3 + 2] * s[2] * R[col * 3 + 2]);
  return out;
}

describe('SH rotation', () => {
  const rand = seededRandom(42);
  for (const degree of [1, 2, 3] as const) {
    it(`degree ${degree}: colour after rotating = colour before along the inverse-rotated direction`, () => {
      const cloud = makeTestCloud(20, degree, degree);
      for (let trial = 0; trial < 5; trial++) {
        const q = quatFromAxisAngle([rand() - 0.5, rand() - 0.5, rand() - 0.5], rand() * 2 * Math.PI);
        const R = quatToMat3(q);
        const rotated = transformCloud(cloud, { rotation: q });
        for (let i = 0; i < cloud.count; i++) {
          const d: [number, number, number] = [rand() - 0.5, rand() - 0.5, rand() - 0.5];
          const before = shColor(cloud, i, mat3MulVec(mat3Transpose(R), d));
          const after = shColor(rotated, i, d);
          for (let c = 0; c < 3; c++) expect(after[c]).toBeCloseTo(before[c], 5);
        }
      }
    });
  }
  it('is not the identity: view-dependent colour really moves with the rotation', () => {
    const cloud = makeTestCloud(1, 3, 1);
    const q = quatFromAxisAngle([0, 1, 0], Math.PI / 2);
    const rotated = transformCloud(cloud, { rotation: q });
    expect(maxAbsDiff(shColor(rotated, 0, [0, 0, 1]), shColor(cloud, 0, [0, 0, 1]))).toBeGreaterThan(1e-3);
  });
});

describe('transformCloud', () => {
  it('rotates, scales and translates means and covariances (Sigma -> s^2 R Sigma R^T)', () => {
    const cloud = makeTestCloud(10, 0, 3);
    const q = quatFromAxisAngle([1, 2, 3], 0.7);
    const R = quatToMat3(q);
    const out = transformCloud(cloud, { rotation: q, scale: 2.5, translation: [1, -2, 3] });
    for (let i = 0; i < cloud.count; i++) {
      const p = mat3MulVec(R, Array.from(cloud.positions.subarray(i * 3, i * 3 + 3)));
      expect(out.positions[i * 3]).toBeCloseTo(2.5 * p[0] + 1, 5);
      expect(out.positions[i * 3 + 1]).toBeCloseTo(2.5 * p[1] - 2, 5);
      expect(out.positions[i * 3 + 2]).toBeCloseTo(2.5 * p[2] + 3, 5);
      const S = covariance(cloud, i);
      const expected: number[] = [];
      for (let r = 0; r < 3; r++)
        for (let c = 0; c < 3; c++) {
          let v = 0;
          for (let a = 0; a < 3; a++) for (let b = 0; b < 3; b++) v += R[r * 3 + a] * S[a * 3 + b] * R[c * 3 + b];
          expected.push(6.25 * v);
        }
      const got = covariance(out, i);
      for (let k = 0; k < 9; k++) expect(got[k]).toBeCloseTo(expected[k], 9);
    }
  });
  it('flipYZ is exact, its own inverse, and agrees with a general 180-degree turn about x', () => {
    const cloud = makeTestCloud(30, 3, 4);
    const flipped = flipYZ(cloud);
    const twice = flipYZ(flipped);
    for (const k of ['positions', 'rotations', 'shRest'] as const) expect(maxAbsDiff(twice[k], cloud[k])).toBe(0);
    const general = transformCloud(cloud, { rotation: quatFromAxisAngle([1, 0, 0], Math.PI) });
    expect(maxAbsDiff(general.positions, flipped.positions)).toBeLessThan(1e-6);
    expect(maxAbsDiff(general.shRest, flipped.shRest)).toBeLessThan(1e-6);
    expect(maxAbsDiff(covariance(general, 3), covariance(flipped, 3))).toBeLessThan(1e-9);
  });
  it('withShDegree truncates keeping each Gaussian its own coefficients', () => {
    const cloud = makeTestCloud(3, 3, 2);
    const d1 = withShDegree(cloud, 1);
    expect(d1.shRest.length).toBe(3 * 3 * 3);
    expect(Array.from(d1.shRest.subarray(9, 18))).toEqual(Array.from(cloud.shRest.subarray(45, 54)));
  });
});
