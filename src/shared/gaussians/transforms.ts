/**
 * Rigid + uniform-scale transforms of a whole cloud: p' = s * R p + t.
 * Applied consistently to every parameter that depends on the frame:
 *   positions  rotated, scaled, translated
 *   rotations  q' = q_R (x) q   (the Gaussian's local axes rotate with the world; covariance R Sigma R^T)
 *   scales     log-scales + ln(s)  (uniform scale multiplies every standard deviation)
 *   shRest     rotated per band (see sh-rotation.ts), so view-dependent colour turns with the head
 * Mirroring is separate (mirrorX below): a reflection has no quaternion of its own; only the Unity
 * preset uses it, for a left-handed reader that copies coordinates raw.
 */
import { allocateCloud, cloneCloud, shCoeffsRest, type GaussianCloud } from './cloud';
import { quatMultiply, quatNormalize, quatToMat3, type Mat3, type Quat } from './quaternion';
import { shBandRotations } from './sh-rotation';

export interface CloudTransform {
  /** Rotation as a quaternion (w x y z); normalised before use. Default identity. */
  rotation?: readonly [number, number, number, number];
  /** Uniform scale factor (> 0). Default 1. */
  scale?: number;
  /** Translation applied after rotation and scale. Default 0. */
  translation?: readonly [number, number, number];
}

/** A transformed copy of the cloud. */
export function transformCloud(cloud: GaussianCloud, transform: CloudTransform): GaussianCloud {
  const s = transform.scale ?? 1;
  if (!(s > 0) || !Number.isFinite(s))
    throw new RangeError(`scale must be a positive finite number, got ${s}`);
  const t = transform.translation ?? [0, 0, 0];
  const qR: Quat = quatNormalize(transform.rotation ?? [1, 0, 0, 0]);
  const R: Mat3 = quatToMat3(qR);
  const out = cloneCloud(cloud);
  const n = cloud.count;
  const P = cloud.positions,
    Po = out.positions;
  for (let i = 0; i < n; i++) {
    const x = P[i * 3],
      y = P[i * 3 + 1],
      z = P[i * 3 + 2];
    Po[i * 3] = s * (R[0] * x + R[1] * y + R[2] * z) + t[0];
    Po[i * 3 + 1] = s * (R[3] * x + R[4] * y + R[5] * z) + t[1];
    Po[i * 3 + 2] = s * (R[6] * x + R[7] * y + R[8] * z) + t[2];
  }
  if (s !== 1) {
    const ls = Math.log(s);
    for (let k = 0; k < out.scales.length; k++) out.scales[k] = cloud.scales[k] + ls;
  }
  const identityRotation = qR[0] === 1;
  if (!identityRotation) {
    const Q = cloud.rotations,
      Qo = out.rotations;
    const q: number[] = [0, 0, 0, 0];
    for (let i = 0; i < n; i++) {
      q[0] = Q[i * 4];
      q[1] = Q[i * 4 + 1];
      q[2] = Q[i * 4 + 2];
      q[3] = Q[i * 4 + 3];
      const r = quatMultiply(qR, q);
      Qo[i * 4] = r[0];
      Qo[i * 4 + 1] = r[1];
      Qo[i * 4 + 2] = r[2];
      Qo[i * 4 + 3] = r[3];
    }
    rotateShRestInPlace(out, R);
  }
  return out;
}

/** Rotate every Gaussian's higher SH bands by R (row-major 3x3), in place. */
export function rotateShRestInPlace(cloud: GaussianCloud, R: Mat3): void {
  const K = shCoeffsRest(cloud.shDegree);
  if (K === 0) return;
  const bands = shBandRotations(R, cloud.shDegree);
  const sh = cloud.shRest;
  const tmp = new Float64Array(K * 3);
  for (let i = 0; i < cloud.count; i++) {
    const base = i * K * 3;
    for (let k = 0; k < K * 3; k++) tmp[k] = sh[base + k];
    for (let l = 1; l <= cloud.shDegree; l++) {
      const D = bands[l - 1];
      const dim = 2 * l + 1;
      const off = l * l - 1;
      for (let nIdx = 0; nIdx < dim; nIdx++)
        for (let c = 0; c < 3; c++) {
          let v = 0;
          for (let m = 0; m < dim; m++) v += D[nIdx * dim + m] * tmp[(off + m) * 3 + c];
          sh[base + (off + nIdx) * 3 + c] = v;
        }
    }
  }
}

/**
 * Sign of each non-DC basis function under (x, y, z) -> (x, -y, -z), the 180-degree turn about x that
 * maps OpenGL/RUB axes to OpenCV/RDF axes and back. Derived from each polynomial's degree in y and z
 * (see sh.ts): band 1 = y, z, x; band 2 = xy, yz, 3zz-1, xz, xx-yy; band 3 = y(3xx-yy), xyz, y(..), z(..),
 * x(..), z(xx-yy), x(xx-3yy).
 */
export const FLIP_YZ_SH_SIGNS = [-1, -1, 1, -1, 1, 1, -1, 1, -1, 1, -1, -1, 1, -1, 1];

/**
 * Exact 180-degree rotation about x: (x, y, z) -> (x, -y, -z), quaternion (w, x, -y, -z), SH signs.
 * Used by the PLY and .splat codecs to convert between HeadForge's RUB axes and the RDF axes of 3DGS
 * files. Bit-exact and its own inverse (unlike the general path, which rounds).
 */
export function flipYZ(cloud: GaussianCloud): GaussianCloud {
  const out = cloneCloud(cloud);
  const n = cloud.count;
  for (let i = 0; i < n; i++) {
    out.positions[i * 3 + 1] = -out.positions[i * 3 + 1];
    out.positions[i * 3 + 2] = -out.positions[i * 3 + 2];
    out.rotations[i * 4 + 2] = -out.rotations[i * 4 + 2];
    out.rotations[i * 4 + 3] = -out.rotations[i * 4 + 3];
  }
  const K = shCoeffsRest(cloud.shDegree);
  for (let i = 0; i < n; i++)
    for (let k = 0; k < K; k++)
      if (FLIP_YZ_SH_SIGNS[k] < 0)
        for (let c = 0; c < 3; c++) out.shRest[(i * K + k) * 3 + c] = -out.shRest[(i * K + k) * 3 + c];
  return out;
}

/**
 * Sign of each non-DC basis function under the mirror x -> -x (same polynomials as FLIP_YZ_SH_SIGNS,
 * parity in x only): band 1 = y, z, x; band 2 = xy, yz, 3zz-1, xz, xx-yy; band 3 = y(3xx-yy), xyz,
 * y(4zz-xx-yy), z(2zz-3xx-3yy), x(4zz-xx-yy), z(xx-yy), x(xx-3yy).
 */
export const MIRROR_X_SH_SIGNS = [1, 1, -1, -1, 1, 1, -1, 1, 1, -1, 1, 1, -1, 1, -1];

/**
 * Mirror the cloud in x: (x, y, z) -> (-x, y, z). The usual right- to left-handed conversion (what
 * glTF importers in Unity do), for readers that copy file coordinates straight into a left-handed
 * world. A reflection is not a rotation, but each Gaussian stays a Gaussian: its covariance
 * M R S^2 R^T M (M = diag(-1, 1, 1)) has the rotation M R M, quaternion (w, x, -y, -z); scales are
 * unchanged; SH coefficients change sign by their parity in x. Exact and its own inverse.
 */
export function mirrorX(cloud: GaussianCloud): GaussianCloud {
  const out = cloneCloud(cloud);
  const n = cloud.count;
  for (let i = 0; i < n; i++) {
    out.positions[i * 3] = -out.positions[i * 3];
    out.rotations[i * 4 + 2] = -out.rotations[i * 4 + 2];
    out.rotations[i * 4 + 3] = -out.rotations[i * 4 + 3];
  }
  const K = shCoeffsRest(cloud.shDegree);
  for (let i = 0; i < n; i++)
    for (let k = 0; k < K; k++)
      if (MIRROR_X_SH_SIGNS[k] < 0)
        for (let c = 0; c < 3; c++) out.shRest[(i * K + k) * 3 + c] = -out.shRest[(i * K + k) * 3 + c];
  return out;
}

/** Copy with SH truncated (or zero-extended) to `degree`. */
export function withShDegree(cloud: GaussianCloud, degree: 0 | 1 | 2 | 3): GaussianCloud {
  if (degree === cloud.shDegree) return cloneCloud(cloud);
  const out = allocateCloud(cloud.count, degree);
  out.positions.set(cloud.positions);
  out.scales.set(cloud.scales);
  out.rotations.set(cloud.rotations);
  out.opacities.set(cloud.opacities);
  out.shDC.set(cloud.shDC);
  const Kin = shCoeffsRest(cloud.shDegree);
  const Kout = shCoeffsRest(degree);
  const Kmin = Math.min(Kin, Kout);
  for (let i = 0; i < cloud.count; i++)
    out.shRest.set(cloud.shRest.subarray(i * Kin * 3, (i * Kin + Kmin) * 3), i * Kout * 3);
  return out;
}
