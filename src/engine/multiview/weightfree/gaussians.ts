/**
 * Seed Gaussians for the per-subject optimisation: points spread over the proxy's surface by triangle
 * area (seeded), flat discs in the tangent plane sized so neighbours overlap (no holes), coloured from
 * the completed atlas, nearly opaque. Layout: src/shared/gaussians/cloud.ts (log scales, wxyz quats,
 * opacity logits, shDC = (rgb - 0.5) / SH_C0, degree 0).
 */
import { allocateCloud, SH_C0, type GaussianCloud } from '../../../shared/gaussians/cloud';
import { sampleBilinear } from '../../../shared/mesh/texture';
import type { HeadProxy } from './proxy';
import { createRng } from './random';

/** Quaternion (w, x, y, z) rotating +z onto unit vector n. */
function quatFromZ(nx: number, ny: number, nz: number): [number, number, number, number] {
  if (nz < -0.999999) return [0, 1, 0, 0];
  // q = (1 + z.n, z x n) normalised; z x n = (-ny, nx, 0).
  const w = 1 + nz;
  const len = Math.hypot(w, ny, nx);
  return [w / len, -ny / len, nx / len, 0];
}

/**
 * Most of the seeds' share that the torso gets: the body past the crop can have more area than the
 * head, and seeds spread by area alone would leave the face with a third of them. Torso triangles
 * are sampled more sparsely (with larger discs) when their area would take more.
 */
const MAX_TORSO_SHARE = 0.3;

export function proxyToGaussians(proxy: HeadProxy, count: number, seed: number): GaussianCloud {
  const { positions, uvs, indices } = proxy.mesh;
  const nt = indices.length / 3;
  const area = new Float64Array(nt);
  let headArea = 0;
  let torsoArea = 0;
  for (let t = 0; t < nt; t++) {
    const a = indices[t * 3] * 3, b = indices[t * 3 + 1] * 3, c = indices[t * 3 + 2] * 3;
    const e1 = [positions[b] - positions[a], positions[b + 1] - positions[a + 1], positions[b + 2] - positions[a + 2]];
    const e2 = [positions[c] - positions[a], positions[c + 1] - positions[a + 1], positions[c + 2] - positions[a + 2]];
    area[t] = 0.5 * Math.hypot(e1[1] * e2[2] - e1[2] * e2[1], e1[2] * e2[0] - e1[0] * e2[2], e1[0] * e2[1] - e1[1] * e2[0]);
    if (t < proxy.headTriangleCount) headArea += area[t];
    else torsoArea += area[t];
  }
  // Sampling density per unit area, relative to the head's: 1 on the head, torsoDensity on the torso.
  const torsoDensity = torsoArea > 0 ? Math.min(1, (MAX_TORSO_SHARE / (1 - MAX_TORSO_SHARE)) * (headArea / torsoArea)) : 1;
  const cdf = new Float64Array(nt);
  let total = 0;
  for (let t = 0; t < nt; t++) {
    total += area[t] * (t < proxy.headTriangleCount ? 1 : torsoDensity);
    cdf[t] = total;
  }
  const cloud = allocateCloud(count, 0);
  const rng = createRng(seed ^ 0x5eed);
  // Disc radius: a point's share of the area is (weighted total / count) / density = pi s^2 / k;
  // k = 1.6 gives overlap.
  const sigmaHead = Math.sqrt((1.6 * total) / count / Math.PI);
  const sigmaTorso = sigmaHead / Math.sqrt(torsoDensity);
  const s = new Float32Array(4);
  const opacityLogit = Math.log(0.95 / 0.05);
  for (let g = 0; g < count; g++) {
    const target = rng() * total;
    let lo = 0, hi = nt - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cdf[mid] < target) lo = mid + 1;
      else hi = mid;
    }
    const t = lo;
    let r1 = rng(), r2 = rng();
    if (r1 + r2 > 1) {
      r1 = 1 - r1;
      r2 = 1 - r2;
    }
    const r0 = 1 - r1 - r2;
    const ia = indices[t * 3], ib = indices[t * 3 + 1], ic = indices[t * 3 + 2];
    for (let c = 0; c < 3; c++) cloud.positions[g * 3 + c] = r0 * positions[ia * 3 + c] + r1 * positions[ib * 3 + c] + r2 * positions[ic * 3 + c];
    const e1 = [0, 1, 2].map((c) => positions[ib * 3 + c] - positions[ia * 3 + c]);
    const e2 = [0, 1, 2].map((c) => positions[ic * 3 + c] - positions[ia * 3 + c]);
    let nx = e1[1] * e2[2] - e1[2] * e2[1], ny = e1[2] * e2[0] - e1[0] * e2[2], nz = e1[0] * e2[1] - e1[1] * e2[0];
    const len = Math.hypot(nx, ny, nz) || 1;
    nx /= len; ny /= len; nz /= len;
    cloud.rotations.set(quatFromZ(nx, ny, nz), g * 4);
    const sigma = t < proxy.headTriangleCount ? sigmaHead : sigmaTorso;
    cloud.scales.set([Math.log(sigma), Math.log(sigma), Math.log(sigma * 0.25)], g * 3);
    cloud.opacities[g] = opacityLogit;
    const u = r0 * uvs[ia * 2] + r1 * uvs[ib * 2] + r2 * uvs[ic * 2];
    const v = r0 * uvs[ia * 2 + 1] + r1 * uvs[ib * 2 + 1] + r2 * uvs[ic * 2 + 1];
    sampleBilinear(proxy.texture, u, v, true, s);
    for (let c = 0; c < 3; c++) cloud.shDC[g * 3 + c] = (s[c] / 255 - 0.5) / SH_C0;
  }
  return cloud;
}
