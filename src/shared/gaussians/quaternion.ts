/**
 * Quaternion helpers, all in the cloud's order (w, x, y, z), as plain 4-tuples in float64.
 * A quaternion q rotates a vector v as q v q*; composing "first b, then a" is multiply(a, b).
 */
export type Quat = [number, number, number, number];
/** Row-major 3x3 matrix, length 9. */
export type Mat3 = [number, number, number, number, number, number, number, number, number];

export function quatMultiply(a: readonly number[], b: readonly number[]): Quat {
  const [aw, ax, ay, az] = a;
  const [bw, bx, by, bz] = b;
  return [
    aw * bw - ax * bx - ay * by - az * bz,
    aw * bx + ax * bw + ay * bz - az * by,
    aw * by - ax * bz + ay * bw + az * bx,
    aw * bz + ax * by - ay * bx + az * bw,
  ];
}

export function quatNormalize(q: readonly number[]): Quat {
  const n = Math.hypot(q[0], q[1], q[2], q[3]);
  if (!(n > 0)) throw new RangeError('zero quaternion cannot describe a rotation');
  return [q[0] / n, q[1] / n, q[2] / n, q[3] / n];
}

/** Rotation of `angleRad` about `axis` (right-handed, axis need not be unit length). */
export function quatFromAxisAngle(axis: readonly [number, number, number], angleRad: number): Quat {
  const n = Math.hypot(axis[0], axis[1], axis[2]);
  const s = Math.sin(angleRad / 2) / n;
  return [Math.cos(angleRad / 2), axis[0] * s, axis[1] * s, axis[2] * s];
}

/** Rotation matrix of a quaternion (normalised first), row-major. */
export function quatToMat3(q: readonly number[]): Mat3 {
  const [w, x, y, z] = quatNormalize(q);
  return [
    1 - 2 * (y * y + z * z), 2 * (x * y - w * z), 2 * (x * z + w * y),
    2 * (x * y + w * z), 1 - 2 * (x * x + z * z), 2 * (y * z - w * x),
    2 * (x * z - w * y), 2 * (y * z + w * x), 1 - 2 * (x * x + y * y),
  ];
}

export function mat3MulVec(m: readonly number[], v: readonly number[]): [number, number, number] {
  return [
    m[0] * v[0] + m[1] * v[1] + m[2] * v[2],
    m[3] * v[0] + m[4] * v[1] + m[5] * v[2],
    m[6] * v[0] + m[7] * v[1] + m[8] * v[2],
  ];
}

export function mat3Transpose(m: readonly number[]): Mat3 {
  return [m[0], m[3], m[6], m[1], m[4], m[7], m[2], m[5], m[8]];
}
