/**
 * Reference projection of one Gaussian (EWA splatting, Zwicker et al. 2001 / Kerbl et al. 2023), in double
 * precision and written for reading, not speed:
 *   Sigma = R(q) diag(exp(logScale))^2 R(q)^T
 *   cov2d = J W Sigma W^T J^T + 0.3 I, J the perspective Jacobian at the (clamped) camera-space mean
 *   conic = cov2d^-1, radius = ceil(3 sqrt(largest eigenvalue)), touched tiles = 3-sigma square
 */
import type { RasterCamera } from '../camera';
import { cameraCenter } from '../camera';
import type { GaussianCloud } from '../gaussians/cloud';
import { shCoeffsRest } from '../gaussians/cloud';
import { shColor } from './sh';
import { RASTER } from './types';

export interface ProjectedGaussian {
  index: number;
  /** Pixel coordinates of the mean (pixel centres at integer + 0.5). */
  mean: [number, number];
  depth: number;
  /** Inverse 2D covariance [[a b][b c]]. */
  conic: [number, number, number];
  opacity: number;
  color: [number, number, number];
  /** Touched tiles, x0 y0 inclusive, x1 y1 exclusive. */
  tiles: [number, number, number, number];
}

/** Rotation matrix (row-major 3x3) of quaternion w x y z (normalised here). */
export function quaternionToMatrix(w: number, x: number, y: number, z: number): number[] {
  const n = Math.hypot(w, x, y, z);
  w /= n;
  x /= n;
  y /= n;
  z /= n;
  return [
    1 - 2 * (y * y + z * z), 2 * (x * y - w * z), 2 * (x * z + w * y),
    2 * (x * y + w * z), 1 - 2 * (x * x + z * z), 2 * (y * z - w * x),
    2 * (x * z - w * y), 2 * (y * z + w * x), 1 - 2 * (x * x + y * y),
  ];
}

/** Projects Gaussian i, or returns null when it is culled (behind near/far, degenerate, off-screen). */
export function projectGaussian(
  cloud: GaussianCloud,
  i: number,
  cam: RasterCamera,
  shDegree: number,
): ProjectedGaussian | null {
  const m = cam.worldToCamera;
  const p = [cloud.positions[i * 3], cloud.positions[i * 3 + 1], cloud.positions[i * 3 + 2]];
  const t = [0, 1, 2].map((r) => m[r * 4] * p[0] + m[r * 4 + 1] * p[1] + m[r * 4 + 2] * p[2] + m[r * 4 + 3]);
  if (!(t[2] > cam.near) || t[2] > cam.far) return null;
  const q = Array.from(cloud.rotations.subarray(i * 4, i * 4 + 4));
  if (!(Math.hypot(q[0], q[1], q[2], q[3]) > 1e-12)) return null;
  const R = quaternionToMatrix(q[0], q[1], q[2], q[3]);
  const s2 = [0, 1, 2].map((k) => Math.exp(2 * cloud.scales[i * 3 + k]));
  const Sigma = (a: number, b: number) => R[a * 3] * s2[0] * R[b * 3] + R[a * 3 + 1] * s2[1] * R[b * 3 + 1] + R[a * 3 + 2] * s2[2] * R[b * 3 + 2];

  const limX = (RASTER.jacobianClamp * cam.width) / (2 * cam.fx);
  const limY = (RASTER.jacobianClamp * cam.height) / (2 * cam.fy);
  const u = Math.min(limX, Math.max(-limX, t[0] / t[2]));
  const v = Math.min(limY, Math.max(-limY, t[1] / t[2]));
  const J = [
    [cam.fx / t[2], 0, (-cam.fx * u) / t[2]],
    [0, cam.fy / t[2], (-cam.fy * v) / t[2]],
  ];
  // T = J W (W = rotation part of worldToCamera), cov2d = T Sigma T^T.
  const T = J.map((row) => [0, 1, 2].map((c) => row[0] * m[c] + row[1] * m[4 + c] + row[2] * m[8 + c]));
  const cov = (r1: number, r2: number) => {
    let acc = 0;
    for (let a = 0; a < 3; a++) for (let b = 0; b < 3; b++) acc += T[r1][a] * Sigma(a, b) * T[r2][b];
    return acc;
  };
  const A = cov(0, 0) + RASTER.lowPassPx2;
  const B = cov(0, 1);
  const C = cov(1, 1) + RASTER.lowPassPx2;
  const det = A * C - B * B;
  if (!(det > 0)) return null;
  const mid = 0.5 * (A + C);
  const lambda = mid + Math.sqrt(Math.max(0.1, mid * mid - det));
  const radius = Math.ceil(3 * Math.sqrt(lambda));
  const mean: [number, number] = [(cam.fx * t[0]) / t[2] + cam.cx, (cam.fy * t[1]) / t[2] + cam.cy];

  const tilesX = Math.ceil(cam.width / RASTER.tileSize);
  const tilesY = Math.ceil(cam.height / RASTER.tileSize);
  const clampTo = (x: number, hi: number) => Math.min(hi, Math.max(0, x));
  const tiles: [number, number, number, number] = [
    clampTo(Math.floor((mean[0] - radius) / RASTER.tileSize), tilesX),
    clampTo(Math.floor((mean[1] - radius) / RASTER.tileSize), tilesY),
    clampTo(Math.floor((mean[0] + radius) / RASTER.tileSize) + 1, tilesX),
    clampTo(Math.floor((mean[1] + radius) / RASTER.tileSize) + 1, tilesY),
  ];
  if (tiles[0] >= tiles[2] || tiles[1] >= tiles[3]) return null;

  const eye = cameraCenter(cam);
  const d = [p[0] - eye[0], p[1] - eye[1], p[2] - eye[2]];
  const dn = Math.hypot(d[0], d[1], d[2]) || 1;
  const degree = Math.min(shDegree, cloud.shDegree);
  const color = shColor(degree, [d[0] / dn, d[1] / dn, d[2] / dn], cloud.shDC, cloud.shRest, i, shCoeffsRest(cloud.shDegree));
  return {
    index: i,
    mean,
    depth: t[2],
    conic: [C / det, -B / det, A / det],
    opacity: 1 / (1 + Math.exp(-cloud.opacities[i])),
    color,
    tiles,
  };
}
