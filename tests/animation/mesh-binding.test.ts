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
import { triangleFrame } from '../../src/shared/animation/triangle-frame';
import { allocateCloud, type GaussianCloud } from '../../src/shared/gaussians/cloud';
import { mulberry32 } from '../../src/shared/random';
import { sharedHeadModel } from '../head-fit/shared-model';

type V3 = [number, number, number];

/** Rotation matrix (row-major) about a unit axis. */
function rotation(axis: V3, angle: number): number[] {
  const [x, y, z] = axis;
  const c = Math.cos(angle);
  const s = Math.sin(angle);
  const t = 1 - c;
  return [
    t * x * x + c,
    t * x * y - s * z,
    t * x * z + s * y,
    t * x * y + s * z,
    t * y * y + c,
    t * y * z - s * x,
    t * x * z - s * y,
    t * y * z + s * x,
    t * z * z + c,
  ];
}
const apply = (R: number[], p: ArrayLike<number>, o = 0): V3 => [
  R[0] * p[o] + R[1] * p[o + 1] + R[2] * p[o + 2],
  R[3] * p[o] + R[4] * p[o + 1] + R[5] * p[o + 2],
  R[6] * p[o] + R[7] * p[o + 1] + R[8] * p[o + 2],
];
/** Rotation matrix of a quaternion (w x y z, any length). */
function quatMatrix(q: ArrayLike<number>, o: number): number[] {
  const l = Math.hypot(q[o], q[o + 1], q[o + 2], q[o + 3]);
  const [w, x, y, z] = [q[o] / l, q[o + 1] / l, q[o + 2] / l, q[o + 3] / l];
  return [
    1 - 2 * (y * y + z * z),
    2 * (x * y - w * z),
    2 * (x * z + w * y),
    2 * (x * y + w * z),
    1 - 2 * (x * x + z * z),
    2 * (y * z - w * x),
    2 * (x * z - w * y),
    2 * (y * z + w * x),
    1 - 2 * (x * x + y * y),
  ];
}
const matMul = (a: number[], b: number[]) =>
  Array.from({ length: 9 }, (_, k) => {
    const r = Math.floor(k / 3);
    const c = k % 3;
    return a[r * 3] * b[c] + a[r * 3 + 1] * b[3 + c] + a[r * 3 + 2] * b[6 + c];
  });

/** Gaussians scattered near the given triangles (random in-plane spot, a little off the surface). */
function cloudNear(
  vertices: ArrayLike<number>,
  triangles: ArrayLike<number>,
  tris: number[],
  perTri: number,
  off: number,
) {
  const rnd = mulberry32(7);
  const cloud = allocateCloud(tris.length * perTri, 0);
  let i = 0;
  for (const t of tris) {
    for (let k = 0; k < perTri; k++, i++) {
      let u = rnd();
      let v = rnd();
      if (u + v > 1) [u, v] = [1 - u, 1 - v];
      const f = triangleFrame({ vertices, triangles }, t)!;
      for (let a = 0; a < 3; a++) {
        const p0 = vertices[triangles[t * 3] * 3 + a];
        const p1 = vertices[triangles[t * 3 + 1] * 3 + a];
        const p2 = vertices[triangles[t * 3 + 2] * 3 + a];
        cloud.positions[i * 3 + a] =
          p0 + u * (p1 - p0) + v * (p2 - p0) + (rnd() - 0.3) * off * f.R[a * 3 + 2];
      }
      const q = [rnd() - 0.5, rnd() - 0.5, rnd() - 0.5, rnd() - 0.5].map((x) => x * 3);
      cloud.rotations.set(q, i * 4);
      cloud.scales.set(
        [Math.log(0.01 + rnd() * 0.02), Math.log(0.01 + rnd() * 0.02), Math.log(0.002)],
        i * 3,
      );
      cloud.opacities[i] = rnd() * 4 - 2;
    }
  }
  return cloud;
}

const sameBits = (a: Float32Array, b: Float32Array) =>
  a.length === b.length &&
  Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));

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
    const model = await sharedHeadModel();
    const scale = 0.01;
    const A = new Float64Array([scale, 0, 0, 0, scale, 0, 0, 0, scale]);
    const toWorld = { A, b: [0, 0, 0] as V3, scale };
    const world = new Float32Array(model.neutral.length);
    for (let i = 0; i < world.length; i++) world[i] = model.neutral[i] * scale;
    const face = model.parts.find((p) => p.name === 'face')!;
    const picks: number[] = [];
    for (let t = face.triangleStart; t < face.triangleEnd; t += 3) picks.push(t);
    const skin = cloudNear(world, model.triangles, picks, 1, 0.001);
    // Hair: 200 Gaussians 4 cm above the crown.
    const hair = 200;
    const cloud = allocateCloud(skin.count + hair, 0);
    for (const k of ['positions', 'rotations', 'scales', 'opacities'] as const) cloud[k].set(skin[k]);
    for (let i = skin.count; i < cloud.count; i++) {
      cloud.positions.set([((i % 20) - 10) * 0.005, 0.16, ((Math.floor(i / 20) % 10) - 5) * 0.01], i * 3);
      cloud.rotations.set([1, 0, 0, 0], i * 4);
    }
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
