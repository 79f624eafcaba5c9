/**
 * The local frame of a mesh triangle, in which bound Gaussians keep their position, rotation and scale
 * (GaussianAvatars, Qian et al., CVPR 2024).
 *
 * Triangle frame (vertices v0 v1 v2):
 *   origin T = (v0 + v1 + v2) / 3
 *   rotation R = [e1 | e2 | n]: e1 = (v1 - v0)/|v1 - v0|, n = the unit normal (v1 - v0) x (v2 - v0),
 *                e2 = n x e1 (right-handed)
 *   scale k = (|v1 - v0| + h) / 2, h = the triangle's height over that edge (= 2 area / |v1 - v0|)
 *
 * Pure: no Node, no DOM.
 */

/** A triangle mesh in world space: vertices [V*3], triangles [T*3] (vertex indices). */
export interface BindMesh {
  vertices: ArrayLike<number>;
  triangles: ArrayLike<number>;
}

/** Frame of triangle t: origin (3), rotation R row-major (9; columns e1 e2 n), scale k. Null when degenerate. */
export interface TriangleFrame {
  origin: [number, number, number];
  R: Float64Array;
  k: number;
}

export function triangleFrame(mesh: BindMesh, t: number, out?: TriangleFrame): TriangleFrame | null {
  const { vertices: V, triangles: F } = mesh;
  const a = F[t * 3] * 3;
  const b = F[t * 3 + 1] * 3;
  const c = F[t * 3 + 2] * 3;
  const ax = V[a];
  const ay = V[a + 1];
  const az = V[a + 2];
  const ux = V[b] - ax;
  const uy = V[b + 1] - ay;
  const uz = V[b + 2] - az;
  const vx = V[c] - ax;
  const vy = V[c + 1] - ay;
  const vz = V[c + 2] - az;
  let nx = uy * vz - uz * vy;
  let ny = uz * vx - ux * vz;
  let nz = ux * vy - uy * vx;
  const area2 = Math.sqrt(nx * nx + ny * ny + nz * nz);
  const lu = Math.sqrt(ux * ux + uy * uy + uz * uz);
  if (!(area2 > 0) || !(lu > 0)) return null;
  nx /= area2;
  ny /= area2;
  nz /= area2;
  const e1x = ux / lu;
  const e1y = uy / lu;
  const e1z = uz / lu;
  // e2 = n x e1
  const e2x = ny * e1z - nz * e1y;
  const e2y = nz * e1x - nx * e1z;
  const e2z = nx * e1y - ny * e1x;
  const f = out ?? { origin: [0, 0, 0], R: new Float64Array(9), k: 0 };
  f.origin[0] = (ax + V[b] + V[c]) / 3;
  f.origin[1] = (ay + V[b + 1] + V[c + 1]) / 3;
  f.origin[2] = (az + V[b + 2] + V[c + 2]) / 3;
  const R = f.R;
  R[0] = e1x;
  R[1] = e2x;
  R[2] = nx;
  R[3] = e1y;
  R[4] = e2y;
  R[5] = ny;
  R[6] = e1z;
  R[7] = e2z;
  R[8] = nz;
  f.k = (lu + area2 / lu) / 2;
  return f;
}

/** Unit quaternion (w x y z) of a rotation matrix (row-major). */
export function quatFromMatrix(R: ArrayLike<number>, out = new Float64Array(4)): Float64Array {
  const m00 = R[0];
  const m01 = R[1];
  const m02 = R[2];
  const m10 = R[3];
  const m11 = R[4];
  const m12 = R[5];
  const m20 = R[6];
  const m21 = R[7];
  const m22 = R[8];
  const tr = m00 + m11 + m22;
  let w: number;
  let x: number;
  let y: number;
  let z: number;
  if (tr > 0) {
    const s = Math.sqrt(tr + 1) * 2;
    w = s / 4;
    x = (m21 - m12) / s;
    y = (m02 - m20) / s;
    z = (m10 - m01) / s;
  } else if (m00 > m11 && m00 > m22) {
    const s = Math.sqrt(1 + m00 - m11 - m22) * 2;
    w = (m21 - m12) / s;
    x = s / 4;
    y = (m01 + m10) / s;
    z = (m02 + m20) / s;
  } else if (m11 > m22) {
    const s = Math.sqrt(1 + m11 - m00 - m22) * 2;
    w = (m02 - m20) / s;
    x = (m01 + m10) / s;
    y = s / 4;
    z = (m12 + m21) / s;
  } else {
    const s = Math.sqrt(1 + m22 - m00 - m11) * 2;
    w = (m10 - m01) / s;
    x = (m02 + m20) / s;
    y = (m12 + m21) / s;
    z = s / 4;
  }
  const l = Math.hypot(w, x, y, z);
  out[0] = w / l;
  out[1] = x / l;
  out[2] = y / l;
  out[3] = z / l;
  return out;
}

/** a * b for quaternions (w x y z) read at offsets; written to out at oo. */
export function quatMul(
  a: ArrayLike<number>,
  ao: number,
  b: ArrayLike<number>,
  bo: number,
  out: Float32Array | Float64Array,
  oo: number,
): void {
  const aw = a[ao];
  const ax = a[ao + 1];
  const ay = a[ao + 2];
  const az = a[ao + 3];
  const bw = b[bo];
  const bx = b[bo + 1];
  const by = b[bo + 2];
  const bz = b[bo + 3];
  out[oo] = aw * bw - ax * bx - ay * by - az * bz;
  out[oo + 1] = aw * bx + ax * bw + ay * bz - az * by;
  out[oo + 2] = aw * by - ax * bz + ay * bw + az * bx;
  out[oo + 3] = aw * bz + ax * by - ay * bx + az * bw;
}

/** A triangle's frame with its rotation as a quaternion (w x y z) and log k. */
export interface CachedFrame {
  f: TriangleFrame;
  q: Float64Array;
  logK: number;
}

/**
 * Frames of `mesh`'s triangles, each computed once on first use (null for a degenerate triangle):
 * binding and posing visit a triangle once per Gaussian on it.
 */
export function frameCache(mesh: BindMesh): (t: number) => CachedFrame | null {
  const frames = new Map<number, CachedFrame | null>();
  return (t) => {
    let fr = frames.get(t);
    if (fr === undefined) {
      const f = triangleFrame(mesh, t);
      fr = f ? { f, q: quatFromMatrix(f.R), logK: Math.log(f.k) } : null;
      frames.set(t, fr);
    }
    return fr;
  };
}
