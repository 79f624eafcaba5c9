/**
 * Real spherical harmonics exactly as 3DGS evaluates them (eval_sh in the original code, also Appendix A
 * of KHR_gaussian_splatting): Condon-Shortley phase, coefficient order within a band m = -l..l.
 *
 * Coefficient k (0-based, DC excluded) of a Gaussian's shRest belongs to band l where
 * k in [l^2 - 1, (l+1)^2 - 1). The view direction is the unit vector from the camera centre to the
 * Gaussian mean, in the cloud's world axes.
 */
import { SH_C0, shCoeffsRest, type GaussianCloud } from './cloud';

export const SH_C1 = 0.4886025119029199;
export const SH_C2 = [1.0925484305920792, -1.0925484305920792, 0.31539156525252005, -1.0925484305920792, 0.5462742152960396];
export const SH_C3 = [
  -0.5900435899266435, 2.890611442640554, -0.4570457994644658, 0.3731763325901154, -0.4570457994644658,
  1.445305721320277, -0.5900435899266435,
];

/**
 * Values of the 15 non-DC basis functions at unit direction (x, y, z), written to out[0..15)
 * (only the first shCoeffsRest(degree) entries are meaningful).
 */
export function evalShBasisRest(degree: number, x: number, y: number, z: number, out: Float64Array): void {
  if (degree < 1) return;
  out[0] = -SH_C1 * y;
  out[1] = SH_C1 * z;
  out[2] = -SH_C1 * x;
  if (degree < 2) return;
  const xx = x * x,
    yy = y * y,
    zz = z * z,
    xy = x * y,
    yz = y * z,
    xz = x * z;
  out[3] = SH_C2[0] * xy;
  out[4] = SH_C2[1] * yz;
  out[5] = SH_C2[2] * (2 * zz - xx - yy);
  out[6] = SH_C2[3] * xz;
  out[7] = SH_C2[4] * (xx - yy);
  if (degree < 3) return;
  out[8] = SH_C3[0] * y * (3 * xx - yy);
  out[9] = SH_C3[1] * xy * z;
  out[10] = SH_C3[2] * y * (4 * zz - xx - yy);
  out[11] = SH_C3[3] * z * (2 * zz - 3 * xx - 3 * yy);
  out[12] = SH_C3[4] * x * (4 * zz - xx - yy);
  out[13] = SH_C3[5] * z * (xx - yy);
  out[14] = SH_C3[6] * x * (xx - 3 * yy);
}

/**
 * Colour (r, g, b) of Gaussian i seen along `dir` (need not be unit length), as the 3DGS forward pass
 * computes it: 0.5 + SH, clamped at 0 from below (not above, like the original).
 */
export function shColor(cloud: GaussianCloud, i: number, dir: readonly [number, number, number]): [number, number, number] {
  const n = Math.hypot(dir[0], dir[1], dir[2]);
  const basis = new Float64Array(15);
  evalShBasisRest(cloud.shDegree, dir[0] / n, dir[1] / n, dir[2] / n, basis);
  const K = shCoeffsRest(cloud.shDegree);
  const out: [number, number, number] = [0, 0, 0];
  for (let c = 0; c < 3; c++) {
    let v = SH_C0 * cloud.shDC[i * 3 + c];
    for (let k = 0; k < K; k++) v += basis[k] * cloud.shRest[(i * K + k) * 3 + c];
    out[c] = Math.max(0, v + 0.5);
  }
  return out;
}
