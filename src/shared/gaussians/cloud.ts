/**
 * GaussianCloud: the head as 3D Gaussians, structure of arrays, in the *stored* (pre-activation)
 * parameterisation that 3DGS PLY files and the trainer use. Activations live in ./activations.ts.
 *
 * Buffers (N = count, K = shCoeffsRest(shDegree) = (shDegree + 1)^2 - 1):
 *   positions  Float32Array [N * 3]  x y z, world units (OpenGL axes: +y up, face towards +z)
 *   scales     Float32Array [N * 3]  log of the per-axis standard deviation
 *   rotations  Float32Array [N * 4]  quaternion w x y z, not necessarily normalised
 *   opacities  Float32Array [N]      logit of opacity (sigmoid gives alpha)
 *   shDC       Float32Array [N * 3]  degree-0 SH coefficient per colour channel (r g b)
 *   shRest     Float32Array [N * K * 3]  higher SH, per Gaussian coefficient-major then channel:
 *                                      index (i * K + k) * 3 + c. (PLY's f_rest is channel-major;
 *                                      the PLY codec converts.)
 */
export type ShDegree = 0 | 1 | 2 | 3;

export interface GaussianCloud {
  count: number;
  shDegree: ShDegree;
  positions: Float32Array;
  scales: Float32Array;
  rotations: Float32Array;
  opacities: Float32Array;
  shDC: Float32Array;
  shRest: Float32Array;
}

/** Number of SH coefficients beyond DC per channel for a degree. */
export function shCoeffsRest(degree: number): number {
  return (degree + 1) * (degree + 1) - 1;
}

/** Zero-filled cloud (identity rotations). Throws on a count that cannot be allocated sanely. */
export function allocateCloud(count: number, shDegree: ShDegree = 0): GaussianCloud {
  if (!Number.isInteger(count) || count < 0) throw new RangeError(`invalid Gaussian count ${count}`);
  if (count > 50_000_000) throw new RangeError(`Gaussian count ${count} exceeds the 50M limit`);
  const rotations = new Float32Array(count * 4);
  for (let i = 0; i < count; i++) rotations[i * 4] = 1;
  return {
    count,
    shDegree,
    positions: new Float32Array(count * 3),
    scales: new Float32Array(count * 3),
    rotations,
    opacities: new Float32Array(count),
    shDC: new Float32Array(count * 3),
    shRest: new Float32Array(count * shCoeffsRest(shDegree) * 3),
  };
}

/** SH band-0 constant: colour = 0.5 + SH_C0 * dc. */
export const SH_C0 = 0.28209479177387814;

/** Deep copy (every buffer copied). */
export function cloneCloud(cloud: GaussianCloud): GaussianCloud {
  return {
    count: cloud.count,
    shDegree: cloud.shDegree,
    positions: cloud.positions.slice(),
    scales: cloud.scales.slice(),
    rotations: cloud.rotations.slice(),
    opacities: cloud.opacities.slice(),
    shDC: cloud.shDC.slice(),
    shRest: cloud.shRest.slice(),
  };
}

/** Throws if a buffer's length does not match count and shDegree (catches hand-built clouds early). */
export function assertCloudShape(cloud: GaussianCloud): void {
  const n = cloud.count;
  const K = shCoeffsRest(cloud.shDegree);
  const expect: [string, number, number][] = [
    ['positions', cloud.positions.length, n * 3],
    ['scales', cloud.scales.length, n * 3],
    ['rotations', cloud.rotations.length, n * 4],
    ['opacities', cloud.opacities.length, n],
    ['shDC', cloud.shDC.length, n * 3],
    ['shRest', cloud.shRest.length, n * K * 3],
  ];
  for (const [name, got, want] of expect)
    if (got !== want) throw new RangeError(`GaussianCloud.${name} has length ${got}, expected ${want} for ${n} Gaussians`);
}
