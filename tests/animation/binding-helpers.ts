/** Shared by the binding tests: small rotation helpers, Gaussians scattered on triangles, the ICT head with a skin cloud. */
import type { HeadModel } from '../../src/engine/head-model/types';
import { triangleFrame } from '../../src/shared/animation/triangle-frame';
import { allocateCloud, type GaussianCloud } from '../../src/shared/gaussians/cloud';
import { mulberry32 } from '../../src/shared/random';
import { sharedHeadModel } from '../head-fit/shared-model';

export type V3 = [number, number, number];

/** Rotation matrix (row-major) about a unit axis. */
export function rotation(axis: V3, angle: number): number[] {
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
export const apply = (R: number[], p: ArrayLike<number>, o = 0): V3 => [
  R[0] * p[o] + R[1] * p[o + 1] + R[2] * p[o + 2],
  R[3] * p[o] + R[4] * p[o + 1] + R[5] * p[o + 2],
  R[6] * p[o] + R[7] * p[o + 1] + R[8] * p[o + 2],
];
/** Rotation matrix of a quaternion (w x y z, any length). */
export function quatMatrix(q: ArrayLike<number>, o: number): number[] {
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
export const matMul = (a: number[], b: number[]) =>
  Array.from({ length: 9 }, (_, k) => {
    const r = Math.floor(k / 3);
    const c = k % 3;
    return a[r * 3] * b[c] + a[r * 3 + 1] * b[3 + c] + a[r * 3 + 2] * b[6 + c];
  });

/** Gaussians scattered near the given triangles (random in-plane spot, a little off the surface). */
export function cloudNear(
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

export const sameBits = (a: Float32Array, b: Float32Array) =>
  a.length === b.length &&
  Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));

/** The mean ICT head in a world of 0.01 units per cm (the model from ../shared), with one Gaussian on every third face triangle and a 200-Gaussian hair cap 4 cm above the crown (the last rows). */
export async function ictSkinCloud(): Promise<{
  model: HeadModel;
  toWorld: { A: Float64Array; b: V3; scale: number };
  world: Float32Array;
  cloud: GaussianCloud;
  hair: number;
}> {
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
  const hair = 200;
  const cloud = allocateCloud(skin.count + hair, 0);
  for (const k of ['positions', 'rotations', 'scales', 'opacities'] as const) cloud[k].set(skin[k]);
  for (let i = skin.count; i < cloud.count; i++) {
    cloud.positions.set([((i % 20) - 10) * 0.005, 0.16, ((Math.floor(i / 20) % 10) - 5) * 0.01], i * 3);
    cloud.rotations.set([1, 0, 0, 0], i * 4);
  }
  return { model, toWorld, world, cloud, hair };
}
