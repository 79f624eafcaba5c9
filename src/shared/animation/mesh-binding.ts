/**
 * Gaussians bound to the triangles of a mesh, as GaussianAvatars does it (Qian et al., CVPR 2024):
 * every bound Gaussian belongs to one triangle and keeps its position, rotation and scale in that
 * triangle's local frame (triangle-frame.ts), so whatever moves the mesh (a blend of expression
 * shapes, the jaw, the eyes) moves the Gaussians with the skin.
 *
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
import { pointTriangleDistance2 } from './triangle-distance';
import { frameCache, quatMul, type BindMesh } from './triangle-frame';
import { TriangleGrid } from './triangle-grid';

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
  const P = cloud.positions;
  for (let i = 0; i < n; i++) {
    const x = P[i * 3];
    const y = P[i * 3 + 1];
    const z = P[i * 3 + 2];
    const g = opts.route ? opts.route(i, x, y, z) : -1;
    let t: number;
    if (g >= 0 && groupGrids[g]) t = groupGrids[g].nearest(x, y, z, groupMax)[0];
    else t = grid.nearest(x, y, z, opts.maxDistance)[0];
    if (t < 0 && opts.fallback) t = opts.fallback(i, x, y, z);
    triangle[i] = t;
  }
  return bindToTriangles(cloud, mesh, triangle);
}

/**
 * Bind every Gaussian of `cloud` to the triangle `triangle[i]` of `mesh` at the rest pose (-1 = not
 * bound), whatever chose it (the nearest rule above, or an ancestor's triangle inherited through
 * densification): its centre, rotation and log-scale in that triangle's frame. A degenerate triangle
 * has no frame: its Gaussians stay unbound (-1 in the result).
 */
export function bindToTriangles(cloud: GaussianCloud, mesh: BindMesh, triangle: Int32Array): SplatBinding {
  const n = cloud.count;
  if (triangle.length !== n) throw new RangeError(`${triangle.length} triangles for ${n} Gaussians`);
  const out = new Int32Array(n).fill(-1);
  const local = new Float64Array(n * 3);
  const localRotation = new Float64Array(n * 4);
  const restLogK = new Float64Array(n);
  const distance = new Float32Array(n).fill(Infinity);
  const frameOf = frameCache(mesh);
  const P = cloud.positions;
  const V = mesh.vertices;
  const F = mesh.triangles;
  const conj = new Float64Array(4);
  for (let i = 0; i < n; i++) {
    const t = triangle[i];
    if (t < 0) continue;
    const fr = frameOf(t);
    if (!fr) continue; // a degenerate triangle has no frame: the Gaussian stays unbound
    const x = P[i * 3];
    const y = P[i * 3 + 1];
    const z = P[i * 3 + 2];
    const { f, q, logK } = fr;
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
    restLogK[i] = logK;
    out[i] = t;
    distance[i] = Math.sqrt(
      pointTriangleDistance2(x, y, z, V, F[t * 3] * 3, F[t * 3 + 1] * 3, F[t * 3 + 2] * 3),
    );
  }
  return { count: n, triangle: out, local, localRotation, restLogK, distance };
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
  const frameOf = frameCache({ vertices: posed, triangles });
  const { triangle, local, localRotation, restLogK } = binding;
  for (let i = 0; i < cloud.count; i++) {
    const t = triangle[i];
    if (t < 0 || !moved[t]) continue;
    const fr = frameOf(t);
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
