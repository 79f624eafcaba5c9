/**
 * Rotating spherical-harmonic coefficients.
 *
 * If the cloud is rotated by R, a Gaussian's colour seen along direction d afterwards must equal its
 * colour along R^T d before. Each band l of real SH is closed under rotation, so there is a
 * (2l+1)x(2l+1) matrix D_l with c'_l = D_l c_l. We find D_l numerically instead of from Wigner
 * recurrences: sample M > 2l+1 well-spread unit directions d_i, form Y[i][n] = Y_n(d_i) and
 * Yr[i][m] = Y_m(R^T d_i), and solve the least-squares system Y D = Yr (exact up to float64 rounding,
 * because Yr lies in the column space of Y). Simple to verify, and computed once per transform, not per
 * Gaussian.
 */
import { evalShBasisRest } from './sh';
import { mat3MulVec, mat3Transpose, type Mat3 } from './quaternion';

/** Fibonacci-sphere directions: well spread, deterministic, none on a symmetry plane by accident. */
function sampleDirections(count: number): [number, number, number][] {
  const dirs: [number, number, number][] = [];
  const golden = Math.PI * (3 - Math.sqrt(5));
  for (let i = 0; i < count; i++) {
    const y = 1 - ((i + 0.5) / count) * 2;
    const r = Math.sqrt(1 - y * y);
    const t = golden * i + 0.1234;
    dirs.push([Math.cos(t) * r, y, Math.sin(t) * r]);
  }
  return dirs;
}

/** Solve A X = B for square A (n x n) and B (n x m), Gaussian elimination with partial pivoting. */
function solve(A: Float64Array, B: Float64Array, n: number, m: number): Float64Array {
  const a = Float64Array.from(A);
  const b = Float64Array.from(B);
  for (let col = 0; col < n; col++) {
    let piv = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(a[r * n + col]) > Math.abs(a[piv * n + col])) piv = r;
    if (Math.abs(a[piv * n + col]) < 1e-12) throw new Error('SH rotation: singular sampling system');
    if (piv !== col) {
      for (let k = 0; k < n; k++) [a[col * n + k], a[piv * n + k]] = [a[piv * n + k], a[col * n + k]];
      for (let k = 0; k < m; k++) [b[col * m + k], b[piv * m + k]] = [b[piv * m + k], b[col * m + k]];
    }
    for (let r = 0; r < n; r++) {
      if (r === col) continue;
      const f = a[r * n + col] / a[col * n + col];
      if (f === 0) continue;
      for (let k = col; k < n; k++) a[r * n + k] -= f * a[col * n + k];
      for (let k = 0; k < m; k++) b[r * m + k] -= f * b[col * m + k];
    }
  }
  for (let r = 0; r < n; r++) for (let k = 0; k < m; k++) b[r * m + k] /= a[r * n + r];
  return b;
}

/**
 * Per-band rotation matrices for rotation matrix R (row-major), bands 1..degree.
 * Result[l - 1] is row-major (2l+1)x(2l+1): c'[n] = sum_m D[n * dim + m] * c[m].
 */
export function shBandRotations(R: Mat3, degree: number): Float64Array[] {
  const Rt = mat3Transpose(R);
  const bands: Float64Array[] = [];
  const basis = new Float64Array(15);
  for (let l = 1; l <= degree; l++) {
    const dim = 2 * l + 1;
    const off = l * l - 1;
    const M = 4 * dim;
    const dirs = sampleDirections(M);
    const Y = new Float64Array(M * dim);
    const Yr = new Float64Array(M * dim);
    for (let i = 0; i < M; i++) {
      evalShBasisRest(l, dirs[i][0], dirs[i][1], dirs[i][2], basis);
      for (let k = 0; k < dim; k++) Y[i * dim + k] = basis[off + k];
      const rd = mat3MulVec(Rt, dirs[i]);
      evalShBasisRest(l, rd[0], rd[1], rd[2], basis);
      for (let k = 0; k < dim; k++) Yr[i * dim + k] = basis[off + k];
    }
    // Normal equations (Y^T Y) D = Y^T Yr; Y^T Y is well conditioned for a spread sample.
    const YtY = new Float64Array(dim * dim);
    const YtYr = new Float64Array(dim * dim);
    for (let r = 0; r < dim; r++)
      for (let c = 0; c < dim; c++) {
        let s = 0,
          t = 0;
        for (let i = 0; i < M; i++) {
          s += Y[i * dim + r] * Y[i * dim + c];
          t += Y[i * dim + r] * Yr[i * dim + c];
        }
        YtY[r * dim + c] = s;
        YtYr[r * dim + c] = t;
      }
    const D = solve(YtY, YtYr, dim, dim);
    // Snap values within 1e-12 of 0 or +-1 so axis-aligned rotations are exact in float32.
    for (let k = 0; k < D.length; k++) {
      const v = D[k];
      if (Math.abs(v) < 1e-12) D[k] = 0;
      else if (Math.abs(Math.abs(v) - 1) < 1e-12) D[k] = Math.sign(v);
    }
    bands.push(D);
  }
  return bands;
}
