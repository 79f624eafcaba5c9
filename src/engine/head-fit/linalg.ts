/**
 * Small dense linear algebra for the head fit (normal equations of ~100 unknowns).
 * Matrices are row-major Float64Arrays.
 */

/** Solve A x = b for a symmetric positive-definite n x n A by Cholesky (A and b are not modified); null when A is not SPD. */
export function solveSpd(A: Float64Array, b: Float64Array, n: number): Float64Array | null {
  const L = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = A[i * n + j];
      for (let k = 0; k < j; k++) s -= L[i * n + k] * L[j * n + k];
      if (i === j) {
        if (!(s > 0)) return null;
        L[i * n + i] = Math.sqrt(s);
      } else L[i * n + j] = s / L[j * n + j];
    }
  }
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = b[i];
    for (let k = 0; k < i; k++) s -= L[i * n + k] * y[k];
    y[i] = s / L[i * n + i];
  }
  const x = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    let s = y[i];
    for (let k = i + 1; k < n; k++) s -= L[k * n + i] * x[k];
    x[i] = s / L[i * n + i];
  }
  return x;
}

/** Rotation matrix (row-major 3x3) of the axis-angle vector w (Rodrigues). */
export function rodrigues(w: ArrayLike<number>): Float64Array {
  const th = Math.hypot(w[0], w[1], w[2]);
  const R = new Float64Array([1, 0, 0, 0, 1, 0, 0, 0, 1]);
  if (th < 1e-12) return R;
  const [x, y, z] = [w[0] / th, w[1] / th, w[2] / th];
  const c = Math.cos(th);
  const s = Math.sin(th);
  const C = 1 - c;
  R[0] = c + x * x * C;
  R[1] = x * y * C - z * s;
  R[2] = x * z * C + y * s;
  R[3] = y * x * C + z * s;
  R[4] = c + y * y * C;
  R[5] = y * z * C - x * s;
  R[6] = z * x * C - y * s;
  R[7] = z * y * C + x * s;
  R[8] = c + z * z * C;
  return R;
}

export function mul3x3(a: ArrayLike<number>, b: ArrayLike<number>): Float64Array {
  const o = new Float64Array(9);
  for (let r = 0; r < 3; r++)
    for (let c = 0; c < 3; c++)
      o[r * 3 + c] = a[r * 3] * b[c] + a[r * 3 + 1] * b[3 + c] + a[r * 3 + 2] * b[6 + c];
  return o;
}

/** Rotation about +y by `rad` (row-major). */
export function rotY(rad: number): Float64Array {
  const c = Math.cos(rad);
  const s = Math.sin(rad);
  return new Float64Array([c, 0, s, 0, 1, 0, -s, 0, c]);
}

/** Rotation about +x by `rad` (row-major). */
export function rotX(rad: number): Float64Array {
  const c = Math.cos(rad);
  const s = Math.sin(rad);
  return new Float64Array([1, 0, 0, 0, c, -s, 0, s, c]);
}
