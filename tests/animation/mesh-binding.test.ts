/**
 * Splats bound to a mesh (GaussianAvatars style; src/shared/animation/mesh-binding.ts and
 * src/engine/animation/bound-head.ts):
 *   - a moved triangle carries its Gaussians exactly (rigid motion + uniform scale of the triangle ->
 *     the same motion of their centres, rotations and sizes); Gaussians of triangles that did not move
 *     stay the same to the bit;
 *   - a zero blend leaves the head unchanged to the bit (the fitted ICT head from ../shared with a
 *     cloud spread over its skin, plus hair far from it);
 *   - a blend moves the bound splats with the skin (jawOpen lowers the chin's splats) and leaves the
 *     unbound ones (hair) where they were.
 */
import { describe, expect, it } from 'vitest';
import { BoundHead } from '../../src/engine/animation/bound-head';
import { bindGaussians, deformBoundCloud, movedTriangles } from '../../src/shared/animation/mesh-binding';
import type { GaussianCloud } from '../../src/shared/gaussians/cloud';
import {
  apply,
  cloudNear,
  ictSkinCloud,
  matMul,
  quatMatrix,
  rotation,
  sameBits,
  type V3,
} from './binding-helpers';

describe('splats bound to mesh triangles', () => {
  // Two separate triangles and one sharing nothing with them.
  const rest = new Float32Array([
    0, 0, 0, 1, 0, 0, 0.2, 1, 0, 3, 0, 0, 4, 0.5, 0.3, 3.5, 1, -0.2, 0, 3, 1, 1, 3, 1, 0, 4, 1,
  ]);
  const tris = new Uint32Array([0, 1, 2, 3, 4, 5, 6, 7, 8]);

  it('moving one triangle (rotation, translation, uniform scale) moves its Gaussians exactly; the others keep every bit', () => {
    const cloud = cloudNear(rest, tris, [0, 1, 2], 40, 0.05);
    const binding = bindGaussians(cloud, { vertices: rest, triangles: tris }, { maxDistance: 0.2 });
    expect(Array.from(binding.triangle).every((t, i) => t === Math.floor(i / 40))).toBe(true);

    const R = rotation([0.48, 0.6, 0.64], 0.7);
    const s = 1.3;
    const t: V3 = [0.4, -0.2, 0.9];
    const posed = rest.slice();
    for (let v = 3; v < 6; v++) {
      const p = apply(R, rest, v * 3);
      for (let a = 0; a < 3; a++) posed[v * 3 + a] = s * p[a] + t[a];
    }
    expect(Array.from(movedTriangles(tris, rest, posed))).toEqual([0, 1, 0]);
    const out = deformBoundCloud(cloud, binding, tris, rest, posed);
    for (let i = 0; i < cloud.count; i++) {
      const tri = binding.triangle[i];
      if (tri !== 1) {
        for (const [a, b, n] of [
          [out.positions, cloud.positions, 3],
          [out.rotations, cloud.rotations, 4],
          [out.scales, cloud.scales, 3],
        ] as const)
          expect(sameBits(a.subarray(i * n, i * n + n), b.subarray(i * n, i * n + n))).toBe(true);
        continue;
      }
      // Centre: s R p + t.
      const p = apply(R, cloud.positions, i * 3);
      for (let a = 0; a < 3; a++) expect(out.positions[i * 3 + a]).toBeCloseTo(s * p[a] + t[a], 5);
      // Orientation: R times the old one (quaternion length kept).
      const want = matMul(R, quatMatrix(cloud.rotations, i * 4));
      const got = quatMatrix(out.rotations, i * 4);
      for (let k = 0; k < 9; k++) expect(got[k]).toBeCloseTo(want[k], 5);
      const len = (q: Float32Array) => Math.hypot(q[i * 4], q[i * 4 + 1], q[i * 4 + 2], q[i * 4 + 3]);
      expect(len(out.rotations)).toBeCloseTo(len(cloud.rotations), 4);
      // Size: times s on every axis.
      for (let a = 0; a < 3; a++)
        expect(out.scales[i * 3 + a] - cloud.scales[i * 3 + a]).toBeCloseTo(Math.log(s), 5);
    }
    // Opacities and colours are shared, untouched.
    expect(out.opacities).toBe(cloud.opacities);
    expect(out.shDC).toBe(cloud.shDC);
  });

  it('an unmoved mesh leaves every Gaussian unchanged to the bit; Gaussians far from the mesh are not bound', () => {
    const cloud = cloudNear(rest, tris, [0, 1, 2], 30, 0.05);
    // One far away: not bound, never moves.
    cloud.positions.set([10, 10, 10], 0);
    const binding = bindGaussians(cloud, { vertices: rest, triangles: tris }, { maxDistance: 0.2 });
    expect(binding.triangle[0]).toBe(-1);
    const out = deformBoundCloud(cloud, binding, tris, rest, rest.slice());
    expect(sameBits(out.positions, cloud.positions)).toBe(true);
    expect(sameBits(out.rotations, cloud.rotations)).toBe(true);
    expect(sameBits(out.scales, cloud.scales)).toBe(true);
    const moved = rest.slice();
    for (let k = 0; k < moved.length; k++) moved[k] += 0.5;
    expect(Array.from(deformBoundCloud(cloud, binding, tris, rest, moved).positions.subarray(0, 3))).toEqual([
      10, 10, 10,
    ]);
  });
});

describe('a head bound to the fitted ICT model', () => {
  /** The mean ICT head in a world of 0.01 units per cm, with Gaussians on its skin and a hair cap 4 cm off. */
  async function boundHead(): Promise<{ head: BoundHead; cloud: GaussianCloud; hair: number }> {
    const { model, toWorld, cloud, hair } = await ictSkinCloud();
    const head = new BoundHead(model, { identity: [], expression: {} }, toWorld, cloud);
    return { head, cloud, hair };
  }

  it('zero blend: the head is unchanged to the bit (no layer added); jawOpen lowers the chin splats and leaves the hair', async () => {
    const { head, cloud, hair } = await boundHead();
    expect(head.stats.bound).toBeGreaterThan(0.95 * (cloud.count - hair));
    const zero = head.frame({});
    expect(zero.layers).toEqual([]);
    expect(zero.cloud.count).toBe(cloud.count);
    for (const k of ['positions', 'rotations', 'scales', 'opacities', 'shDC'] as const)
      expect(sameBits(zero.cloud[k], cloud[k]), k).toBe(true);
    // All ARKit names at 0 are a zero blend too.
    expect(sameBits(head.frame({ jawOpen: 0, eyeBlinkLeft: 0 }).cloud.positions, cloud.positions)).toBe(true);

    const open = head.frame({ jawOpen: 1 });
    expect(open.layers).toContain('mouth');
    expect(open.cloud.count).toBeGreaterThan(cloud.count);
    // Splats below the mouth go down by ~1 cm or more; the hair does not move.
    const model = head.model;
    const chinY = model.neutral[model.multiPie68[8] * 3 + 1] * 0.01;
    let chin = 0;
    let down = 0;
    for (let i = 0; i < cloud.count - hair; i++) {
      const y = cloud.positions[i * 3 + 1];
      const z = cloud.positions[i * 3 + 2];
      if (y > chinY + 0.01 || y < chinY - 0.005 || z < 0.05) continue;
      chin++;
      if (open.cloud.positions[i * 3 + 1] - y < -0.01) down++;
    }
    expect(chin).toBeGreaterThan(20);
    expect(down / chin).toBeGreaterThan(0.8);
    const h0 = (cloud.count - hair) * 3;
    expect(sameBits(open.cloud.positions.subarray(h0, cloud.count * 3), cloud.positions.subarray(h0))).toBe(
      true,
    );
    // Out-of-range and unknown shapes are refused with their names.
    expect(() => head.frame({ jawOpen: 1.5 })).toThrow(/jawOpen weight must be in \[0, 1\]/);
    expect(() => head.frame({ jawOpenn: 1 })).toThrow(/unknown expression shape: jawOpenn/);
  });
});
