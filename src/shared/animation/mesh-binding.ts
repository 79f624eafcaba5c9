/**
 * Gaussians bound to the triangles of a mesh, as GaussianAvatars does it (Qian et al., CVPR 2024):
 * every bound Gaussian belongs to one triangle and keeps its position, rotation and scale in that
 * triangle's local frame, so whatever moves the mesh (a blend of expression shapes, the jaw, the eyes)
 * moves the Gaussians with the skin.
 *
 * Triangle frame (vertices v0 v1 v2):
 *   origin T = (v0 + v1 + v2) / 3
 *   rotation R = [e1 | e2 | n]: e1 = (v1 - v0)/|v1 - v0|, n = the unit normal (v1 - v0) x (v2 - v0),
 *                e2 = n x e1 (right-handed)
 *   scale k = (|v1 - v0| + h) / 2, h = the triangle's height over that edge (= 2 area / |v1 - v0|)
 * A Gaussian with local position mu, local rotation r and local log-scale s is, in the world,
 *   position = T + k R mu,   rotation = q(R) * r,   log-scale = s + log k.
 * Binding inverts this at the rest pose (the mesh the Gaussians were made on).
 *
 * Exactness: a Gaussian whose triangle's three vertices are bitwise equal to the rest pose is copied
 * as it is (not recomputed through its frame), so a blend that leaves the mesh where it was leaves the
 * cloud unchanged to the bit. Unbound Gaussians (index -1: hair volume, torso) never move here; they
 * follow the skull and neck rigidly, which an expression does not move.
 *
 * Pure: no Node, no DOM.
 */
import type { GaussianCloud } from '../gaussians/cloud';

/** A triangle mesh in world space: vertices [V*3], triangles [T*3] (vertex indices). */
export interface BindMesh {
  vertices: ArrayLike<number>;
  triangles: ArrayLike<number>;
}

export interface SplatBinding {
  /** Gaussians in the cloud this binding was made for. */
  count: number;
  /** Triangle per Gaussian, -1 = not bound (stays where it is). */
  triangle: Int32Array;
  /** Local position mu per Gaussian [N*3] (in units of the triangle's scale k). */
  local: Float64Array;
  /** Local rotation q(R)^-1 * r per Gaussian [N*4] (w x y z; keeps the stored quaternion's length). */
  localRotation: Float64Array;
  /** Log of the triangle's scale k at the rest pose, per Gaussian [N] (log-scale = stored - this + log k'). */
  restLogK: Float64Array;
  /** Distance from each bound Gaussian's centre to its triangle at binding time (world units) [N]. */
  distance: Float32Array;
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
function quatMul(
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

/** Closest point on triangle (a, b, c) to p (Ericson, Real-Time Collision Detection 5.1.5): squared distance. */
export function pointTriangleDistance2(
  px: number,
  py: number,
  pz: number,
  V: ArrayLike<number>,
  ia: number,
  ib: number,
  ic: number,
): number {
  const ax = V[ia];
  const ay = V[ia + 1];
  const az = V[ia + 2];
  const abx = V[ib] - ax;
  const aby = V[ib + 1] - ay;
  const abz = V[ib + 2] - az;
  const acx = V[ic] - ax;
  const acy = V[ic + 1] - ay;
  const acz = V[ic + 2] - az;
  const apx = px - ax;
  const apy = py - ay;
  const apz = pz - az;
  const d1 = abx * apx + aby * apy + abz * apz;
  const d2 = acx * apx + acy * apy + acz * apz;
  let qx: number;
  let qy: number;
  let qz: number;
  if (d1 <= 0 && d2 <= 0) {
    qx = ax;
    qy = ay;
    qz = az;
  } else {
    const bpx = px - V[ib];
    const bpy = py - V[ib + 1];
    const bpz = pz - V[ib + 2];
    const d3 = abx * bpx + aby * bpy + abz * bpz;
    const d4 = acx * bpx + acy * bpy + acz * bpz;
    const cpx = px - V[ic];
    const cpy = py - V[ic + 1];
    const cpz = pz - V[ic + 2];
    const d5 = abx * cpx + aby * cpy + abz * cpz;
    const d6 = acx * cpx + acy * cpy + acz * cpz;
    const vc = d1 * d4 - d3 * d2;
    const vb = d5 * d2 - d1 * d6;
    const va = d3 * d6 - d5 * d4;
    if (d3 >= 0 && d4 <= d3) {
      qx = V[ib];
      qy = V[ib + 1];
      qz = V[ib + 2];
    } else if (vc <= 0 && d1 >= 0 && d3 <= 0) {
      const v = d1 / (d1 - d3);
      qx = ax + v * abx;
      qy = ay + v * aby;
      qz = az + v * abz;
    } else if (d6 >= 0 && d5 <= d6) {
      qx = V[ic];
      qy = V[ic + 1];
      qz = V[ic + 2];
    } else if (vb <= 0 && d2 >= 0 && d6 <= 0) {
      const w = d2 / (d2 - d6);
      qx = ax + w * acx;
      qy = ay + w * acy;
      qz = az + w * acz;
    } else if (va <= 0 && d4 - d3 >= 0 && d5 - d6 >= 0) {
      const w = (d4 - d3) / (d4 - d3 + (d5 - d6));
      qx = V[ib] + w * (V[ic] - V[ib]);
      qy = V[ib + 1] + w * (V[ic + 1] - V[ib + 1]);
      qz = V[ib + 2] + w * (V[ic + 2] - V[ib + 2]);
    } else {
      const denom = 1 / (va + vb + vc);
      const v = vb * denom;
      const w = vc * denom;
      qx = ax + abx * v + acx * w;
      qy = ay + aby * v + acy * w;
      qz = az + abz * v + acz * w;
    }
  }
  const dx = px - qx;
  const dy = py - qy;
  const dz = pz - qz;
  return dx * dx + dy * dy + dz * dz;
}

/** A uniform grid over the target triangles' bounding boxes, for nearest-triangle queries. */
class TriangleGrid {
  readonly cell: number;
  private readonly min: [number, number, number];
  private readonly dims: [number, number, number];
  private readonly start: Int32Array;
  private readonly items: Int32Array;

  constructor(
    private readonly mesh: BindMesh,
    targets: ArrayLike<number>,
    cell: number,
  ) {
    const V = mesh.vertices;
    const F = mesh.triangles;
    const min: [number, number, number] = [Infinity, Infinity, Infinity];
    const max: [number, number, number] = [-Infinity, -Infinity, -Infinity];
    for (let i = 0; i < targets.length; i++) {
      const t = targets[i];
      for (let c = 0; c < 3; c++) {
        const v = F[t * 3 + c] * 3;
        for (let a = 0; a < 3; a++) {
          min[a] = Math.min(min[a], V[v + a]);
          max[a] = Math.max(max[a], V[v + a]);
        }
      }
    }
    this.cell = cell;
    this.min = min;
    this.dims = [0, 1, 2].map((a) => Math.max(1, Math.ceil((max[a] - min[a]) / cell) + 1)) as [
      number,
      number,
      number,
    ];
    const [nx, ny, nz] = this.dims;
    const counts = new Int32Array(nx * ny * nz + 1);
    const ranges: number[] = [];
    for (let i = 0; i < targets.length; i++) {
      const t = targets[i];
      const lo = [Infinity, Infinity, Infinity];
      const hi = [-Infinity, -Infinity, -Infinity];
      for (let c = 0; c < 3; c++) {
        const v = F[t * 3 + c] * 3;
        for (let a = 0; a < 3; a++) {
          lo[a] = Math.min(lo[a], V[v + a]);
          hi[a] = Math.max(hi[a], V[v + a]);
        }
      }
      const r = [0, 1, 2].flatMap((a) => [this.index(a, lo[a]), this.index(a, hi[a])]);
      ranges.push(...r);
      for (let z = r[4]; z <= r[5]; z++)
        for (let y = r[2]; y <= r[3]; y++)
          for (let x = r[0]; x <= r[1]; x++) counts[(z * ny + y) * nx + x + 1]++;
    }
    for (let i = 1; i < counts.length; i++) counts[i] += counts[i - 1];
    this.start = counts;
    this.items = new Int32Array(counts[counts.length - 1]);
    const fill = counts.slice(0, counts.length - 1);
    for (let i = 0; i < targets.length; i++) {
      const r = ranges.slice(i * 6, i * 6 + 6);
      for (let z = r[4]; z <= r[5]; z++)
        for (let y = r[2]; y <= r[3]; y++)
          for (let x = r[0]; x <= r[1]; x++) this.items[fill[(z * ny + y) * nx + x]++] = targets[i];
    }
  }

  private index(axis: number, v: number): number {
    return Math.min(this.dims[axis] - 1, Math.max(0, Math.floor((v - this.min[axis]) / this.cell)));
  }

  /** Nearest target triangle within maxDistance of p: [triangle, squared distance], or [-1, Infinity]. */
  nearest(px: number, py: number, pz: number, maxDistance: number): [number, number] {
    const V = this.mesh.vertices;
    const F = this.mesh.triangles;
    const [nx, ny, nz] = this.dims;
    const c = [px, py, pz].map((v, a) => Math.floor((v - this.min[a]) / this.cell));
    let best = -1;
    let bestD2 = maxDistance * maxDistance;
    const maxRing = Math.ceil(maxDistance / this.cell);
    for (let ring = 0; ring <= maxRing; ring++) {
      // Everything within (ring) cells of p's cell has been seen: a triangle in a farther cell is at
      // least (ring) cells away minus p's offset inside its cell.
      for (let z = c[2] - ring; z <= c[2] + ring; z++) {
        if (z < 0 || z >= nz) continue;
        for (let y = c[1] - ring; y <= c[1] + ring; y++) {
          if (y < 0 || y >= ny) continue;
          for (let x = c[0] - ring; x <= c[0] + ring; x++) {
            if (x < 0 || x >= nx) continue;
            const onShell =
              Math.abs(x - c[0]) === ring || Math.abs(y - c[1]) === ring || Math.abs(z - c[2]) === ring;
            if (!onShell) continue;
            const cellIdx = (z * ny + y) * nx + x;
            for (let k = this.start[cellIdx]; k < this.start[cellIdx + 1]; k++) {
              const t = this.items[k];
              const d2 = pointTriangleDistance2(
                px,
                py,
                pz,
                V,
                F[t * 3] * 3,
                F[t * 3 + 1] * 3,
                F[t * 3 + 2] * 3,
              );
              if (d2 < bestD2 || (d2 === bestD2 && best >= 0 && t < best)) {
                bestD2 = d2;
                best = t;
              }
            }
          }
        }
      }
      // After ring r every point within r * cell of p (in any direction) has been covered.
      if (best >= 0 && Math.sqrt(bestD2) <= ring * this.cell) break;
    }
    return [best, best >= 0 ? bestD2 : Infinity];
  }
}

export interface BindOptions {
  /** Triangles a Gaussian may bind to (indices into mesh.triangles); default all. */
  targets?: ArrayLike<number>;
  /** Gaussians farther than this from every target triangle are not bound by the nearest rule (world units). */
  maxDistance: number;
  /** Triangle lists that `route` can send a Gaussian to (nearest within the list, up to groupMaxDistance). */
  groups?: ArrayLike<number>[];
  /** Default: maxDistance. */
  groupMaxDistance?: number;
  /** Per Gaussian: a group index to bind within instead of the targets, or -1 for the targets. */
  route?: (index: number, x: number, y: number, z: number) => number;
  /** When the nearest rule finds nothing within maxDistance: a triangle to bind to, or -1 (not bound). */
  fallback?: (index: number, x: number, y: number, z: number) => number;
}

/**
 * Bind every Gaussian of `cloud` to a triangle of `mesh` at the rest pose (the mesh the Gaussians were
 * made on): its route group's nearest triangle, else the nearest target triangle within maxDistance,
 * else the fallback's triangle, else none.
 */
export function bindGaussians(cloud: GaussianCloud, mesh: BindMesh, opts: BindOptions): SplatBinding {
  const n = cloud.count;
  const T = mesh.triangles.length / 3;
  const targets = opts.targets ?? Int32Array.from({ length: T }, (_, i) => i);
  const cell = Math.max(opts.maxDistance / 2, 1e-9);
  const grid = new TriangleGrid(mesh, targets, cell);
  const groupMax = opts.groupMaxDistance ?? opts.maxDistance;
  const groupGrids = (opts.groups ?? []).map((g) => new TriangleGrid(mesh, g, Math.max(groupMax / 2, 1e-9)));
  const triangle = new Int32Array(n).fill(-1);
  const local = new Float64Array(n * 3);
  const localRotation = new Float64Array(n * 4);
  const restLogK = new Float64Array(n);
  const distance = new Float32Array(n).fill(Infinity);
  const frames = new Map<number, { f: TriangleFrame; q: Float64Array } | null>();
  const P = cloud.positions;
  const V = mesh.vertices;
  const F = mesh.triangles;
  const conj = new Float64Array(4);
  for (let i = 0; i < n; i++) {
    const x = P[i * 3];
    const y = P[i * 3 + 1];
    const z = P[i * 3 + 2];
    const g = opts.route ? opts.route(i, x, y, z) : -1;
    let t: number;
    let d2: number;
    if (g >= 0 && groupGrids[g]) [t, d2] = groupGrids[g].nearest(x, y, z, groupMax);
    else [t, d2] = grid.nearest(x, y, z, opts.maxDistance);
    if (t < 0 && opts.fallback) {
      t = opts.fallback(i, x, y, z);
      if (t >= 0) d2 = pointTriangleDistance2(x, y, z, V, F[t * 3] * 3, F[t * 3 + 1] * 3, F[t * 3 + 2] * 3);
    }
    if (t < 0) continue;
    let fr = frames.get(t);
    if (fr === undefined) {
      const f = triangleFrame(mesh, t);
      fr = f ? { f, q: quatFromMatrix(f.R) } : null;
      frames.set(t, fr);
    }
    if (!fr) continue; // a degenerate triangle has no frame: the Gaussian stays unbound
    const { f, q } = fr;
    const dx = x - f.origin[0];
    const dy = y - f.origin[1];
    const dz = z - f.origin[2];
    const R = f.R;
    // mu = R^T (p - T) / k
    local[i * 3] = (R[0] * dx + R[3] * dy + R[6] * dz) / f.k;
    local[i * 3 + 1] = (R[1] * dx + R[4] * dy + R[7] * dz) / f.k;
    local[i * 3 + 2] = (R[2] * dx + R[5] * dy + R[8] * dz) / f.k;
    conj[0] = q[0];
    conj[1] = -q[1];
    conj[2] = -q[2];
    conj[3] = -q[3];
    quatMul(conj, 0, cloud.rotations, i * 4, localRotation, i * 4);
    restLogK[i] = Math.log(f.k);
    triangle[i] = t;
    distance[i] = Math.sqrt(d2);
  }
  return { count: n, triangle, local, localRotation, restLogK, distance };
}

/**
 * Triangles of `triangles` whose three vertices differ (bitwise) between `rest` and `posed`.
 * Returns a Uint8Array flag per triangle.
 */
export function movedTriangles(
  triangles: ArrayLike<number>,
  rest: ArrayLike<number>,
  posed: ArrayLike<number>,
): Uint8Array {
  const T = triangles.length / 3;
  const moved = new Uint8Array(T);
  const V = rest.length / 3;
  const vm = new Uint8Array(V);
  for (let v = 0; v < V; v++) {
    const o = v * 3;
    if (
      !Object.is(rest[o], posed[o]) ||
      !Object.is(rest[o + 1], posed[o + 1]) ||
      !Object.is(rest[o + 2], posed[o + 2])
    )
      vm[v] = 1;
  }
  for (let t = 0; t < T; t++)
    if (vm[triangles[t * 3]] || vm[triangles[t * 3 + 1]] || vm[triangles[t * 3 + 2]]) moved[t] = 1;
  return moved;
}

/**
 * The cloud with every bound Gaussian carried by its triangle from `rest` to `posed` (both vertex
 * arrays of the same topology, `triangles` as at binding). Gaussians of triangles that did not move,
 * and unbound ones, are copied unchanged. Returns new position, rotation and scale arrays; the other
 * buffers are shared with `cloud`.
 */
export function deformBoundCloud(
  cloud: GaussianCloud,
  binding: SplatBinding,
  triangles: ArrayLike<number>,
  rest: ArrayLike<number>,
  posed: ArrayLike<number>,
): GaussianCloud {
  if (binding.count !== cloud.count)
    throw new RangeError(`binding is for ${binding.count} Gaussians, the cloud has ${cloud.count}`);
  const positions = cloud.positions.slice();
  const rotations = cloud.rotations.slice();
  const scales = cloud.scales.slice();
  const moved = movedTriangles(triangles, rest, posed);
  const mesh: BindMesh = { vertices: posed, triangles };
  const frames = new Map<number, { f: TriangleFrame; q: Float64Array; logK: number } | null>();
  const { triangle, local, localRotation, restLogK } = binding;
  for (let i = 0; i < cloud.count; i++) {
    const t = triangle[i];
    if (t < 0 || !moved[t]) continue;
    let fr = frames.get(t);
    if (fr === undefined) {
      const f = triangleFrame(mesh, t);
      fr = f ? { f, q: quatFromMatrix(f.R), logK: Math.log(f.k) } : null;
      frames.set(t, fr);
    }
    if (!fr) continue; // a triangle collapsed to a line: leave its Gaussians where they were
    const { f, q, logK } = fr;
    const R = f.R;
    const mx = local[i * 3] * f.k;
    const my = local[i * 3 + 1] * f.k;
    const mz = local[i * 3 + 2] * f.k;
    positions[i * 3] = f.origin[0] + R[0] * mx + R[1] * my + R[2] * mz;
    positions[i * 3 + 1] = f.origin[1] + R[3] * mx + R[4] * my + R[5] * mz;
    positions[i * 3 + 2] = f.origin[2] + R[6] * mx + R[7] * my + R[8] * mz;
    quatMul(q, 0, localRotation, i * 4, rotations, i * 4);
    const dk = logK - restLogK[i];
    scales[i * 3] += dk;
    scales[i * 3 + 1] += dk;
    scales[i * 3 + 2] += dk;
  }
  return { ...cloud, positions, rotations, scales };
}
