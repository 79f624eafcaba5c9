/**
 * A hair shell for the exported head: the head model has no hair, so engines would show a bald skull
 * painted in the hair's colour. The shell is a copy of the scalp's triangles pushed out along their
 * normals to the outside of the run's hair, measured from the run's Gaussians:
 *
 *   - opaque Gaussians (alpha >= SHELL_ALPHA) are counted in a grid of CELL_CM cells (world units);
 *   - from each scalp vertex (head-and-neck skin above the jaw angle) a ray goes out along its
 *     normal in STEP_CM steps up to REACH_CM: the farthest occupied cell on it is the outside of the
 *     hair there, its distance the vertex's hair thickness h. (The optimised hair is a surface of
 *     splats on the outline, hollow inside: on hq-0001 at the crown nothing lies between the skull and
 *     a layer 2.5-3 cm above it, so the outermost hit is taken, not a run from the skin.)
 *   - h is smoothed over the scalp's edges (SMOOTH_PASSES), so the shell is a smooth surface that runs
 *     down to the skin where the hair ends (thin hair: a thin shell; no hair: no shell);
 *   - triangles with a vertex whose hair is at least HAIR_MIN_CM thick (or half that once smoothed: a
 *     ray that passed between the sparse splats leaves no hole) are the shell; the shell's
 *     vertices keep their source's atlas UVs (the skull texels already carry the colour the views show
 *     through the hair: the texture is shared) and expression deltas (the shell rides the scalp).
 *
 * Done after the bake, so the shell does not change the atlas.
 */
import type { GaussianCloud } from '../../shared/gaussians/cloud';
import type { AtlasCellName, HeadMesh } from './head-mesh';

const SHELL_ALPHA = 0.5;
const CELL_CM = 0.8;
const STEP_CM = 0.3;
const REACH_CM = 8;
/** Occupied: at least this many opaque Gaussians in the cell. */
const MIN_IN_CELL = 2;
const SMOOTH_PASSES = 8;
export const HAIR_MIN_CM = 0.8;
/** The shell stands at least this far off the skin where it exists (no coincident faces). */
const LIFT_CM = 0.05;

export interface HairShellStats {
  vertices: number;
  triangles: number;
  /** Median and largest hair thickness of the shell's vertices (model cm). */
  medianThicknessCm: number;
  maxThicknessCm: number;
}

/** Opaque Gaussians counted per cell of a grid over their bounding box. */
class Occupancy {
  private readonly min: [number, number, number] = [Infinity, Infinity, Infinity];
  private readonly dims: [number, number, number];
  private readonly counts: Uint16Array;

  constructor(
    cloud: GaussianCloud,
    private readonly cell: number,
  ) {
    const P = cloud.positions;
    const opaque: number[] = [];
    const logit = Math.log(SHELL_ALPHA / (1 - SHELL_ALPHA));
    const max = [-Infinity, -Infinity, -Infinity];
    for (let i = 0; i < cloud.count; i++) {
      if (!(cloud.opacities[i] >= logit)) continue;
      opaque.push(i);
      for (let a = 0; a < 3; a++) {
        this.min[a] = Math.min(this.min[a], P[i * 3 + a]);
        max[a] = Math.max(max[a], P[i * 3 + a]);
      }
    }
    this.dims = [0, 1, 2].map((a) => (opaque.length ? Math.floor((max[a] - this.min[a]) / cell) + 1 : 0)) as [
      number,
      number,
      number,
    ];
    this.counts = new Uint16Array(this.dims[0] * this.dims[1] * this.dims[2]);
    for (const i of opaque) {
      const o = this.index(P[i * 3], P[i * 3 + 1], P[i * 3 + 2]);
      if (o >= 0 && this.counts[o] < 65535) this.counts[o]++;
    }
  }

  private index(x: number, y: number, z: number): number {
    const [nx, ny, nz] = this.dims;
    const ix = Math.floor((x - this.min[0]) / this.cell);
    const iy = Math.floor((y - this.min[1]) / this.cell);
    const iz = Math.floor((z - this.min[2]) / this.cell);
    if (ix < 0 || iy < 0 || iz < 0 || ix >= nx || iy >= ny || iz >= nz) return -1;
    return (iz * ny + iy) * nx + ix;
  }

  occupied(x: number, y: number, z: number): boolean {
    const o = this.index(x, y, z);
    return o >= 0 && this.counts[o] >= MIN_IN_CELL;
  }
}

/** Hair thickness (world units) along the ray p + t n, or 0 (see the file comment). */
function hairAlong(
  occ: Occupancy,
  p: ArrayLike<number>,
  n: ArrayLike<number>,
  o: number,
  scale: number,
): number {
  const step = STEP_CM * scale;
  let last = 0;
  for (let t = 0; t <= REACH_CM * scale; t += step)
    if (occ.occupied(p[o] + n[o] * t, p[o + 1] + n[o + 1] * t, p[o + 2] + n[o + 2] * t)) last = t;
  return last;
}

/**
 * `mesh` with a hair shell appended (new vertices and triangles; morph targets extended), or the mesh
 * as it is when the run shows no hair. `scalp`: the model triangles that may grow hair (the head and
 * neck; not the face, whose rays would reach hair hanging beside the cheeks, nor the eye and mouth
 * sockets, whose rays go out through the face). `scalpMinY`: world height of the jaw angle (below it the skin
 * is face, neck or ears under hanging hair, which the shell leaves alone).
 */
export function addHairShell(
  mesh: HeadMesh,
  cloud: GaussianCloud,
  scalp: (modelTriangle: number) => boolean,
  scalpMinY: number,
): { mesh: HeadMesh; stats: HairShellStats } {
  const scale = mesh.scale;
  const occ = new Occupancy(cloud, CELL_CM * scale);
  const N = mesh.positions.length / 3;
  const T = mesh.indices.length / 3;

  const P = mesh.posedPositions;
  const Nrm = mesh.posedNormals;

  // Hair thickness per model vertex (exported vertices split at UV seams share it).
  const h = new Map<number, number>();
  const neighbours = new Map<number, Set<number>>();
  for (let k = 0; k < T; k++) {
    if (!scalp(mesh.sourceTriangle[k])) continue;
    const vs = [0, 1, 2].map((c) => mesh.indices[k * 3 + c]);
    if (vs.some((v) => P[v * 3 + 1] < scalpMinY)) continue;
    for (const v of vs) {
      const s = mesh.sourceVertex[v];
      if (!h.has(s)) h.set(s, hairAlong(occ, P, Nrm, v * 3, scale));
      const set = neighbours.get(s) ?? new Set<number>();
      for (const w of vs) if (w !== v) set.add(mesh.sourceVertex[w]);
      neighbours.set(s, set);
    }
  }
  // Scalp vertices on the face's edge (the hairline) are held at the skin, so the shell comes down to
  // the forehead and temples instead of ending in the air above them.
  const hairline = new Set<number>();
  for (let k = 0; k < T; k++)
    if (mesh.triangleCell[k] === 'face')
      for (let c = 0; c < 3; c++) {
        const src = mesh.sourceVertex[mesh.indices[k * 3 + c]];
        if (h.has(src)) hairline.add(src);
      }
  for (const src of hairline) h.set(src, 0);
  const raw = new Map(h);
  let cur = h;
  for (let pass = 0; pass < SMOOTH_PASSES; pass++) {
    const next = new Map<number, number>();
    for (const [s, v] of cur) {
      if (hairline.has(s)) {
        next.set(s, 0);
        continue;
      }
      let sum = v;
      let n = 1;
      for (const w of neighbours.get(s) ?? []) {
        sum += cur.get(w) ?? 0;
        n++;
      }
      next.set(s, sum / n);
    }
    cur = next;
  }

  // Shell triangles and their vertices.
  const hairMin = HAIR_MIN_CM * scale;
  const shellOf = new Int32Array(N).fill(-1);
  const newSrc: number[] = [];
  const tris: number[] = [];
  const cells: AtlasCellName[] = [];
  const srcT: number[] = [];
  for (let k = 0; k < T; k++) {
    if (!scalp(mesh.sourceTriangle[k])) continue;
    const vs = [0, 1, 2].map((c) => mesh.indices[k * 3 + c]);
    const ss = vs.map((v) => mesh.sourceVertex[v]);
    if (!ss.every((s) => cur.has(s)) || !ss.some((s) => raw.get(s)! >= hairMin || cur.get(s)! >= hairMin / 2))
      continue;
    for (const v of vs) {
      if (shellOf[v] < 0) {
        shellOf[v] = N + newSrc.length;
        newSrc.push(v);
      }
      tris.push(shellOf[v]);
    }
    cells.push(mesh.triangleCell[k]);
    srcT.push(mesh.sourceTriangle[k]);
  }
  const M = newSrc.length;
  if (!M) return { mesh, stats: { vertices: 0, triangles: 0, medianThicknessCm: 0, maxThicknessCm: 0 } };

  const grow = (a: Float32Array, width: number, fill: (out: Float32Array, j: number, v: number) => void) => {
    const out = new Float32Array(a.length + M * width);
    out.set(a);
    newSrc.forEach((v, j) => fill(out, (N + j) * width, v));
    return out;
  };
  const lift = LIFT_CM * scale;
  const thick = newSrc.map((v) => Math.max(lift, cur.get(mesh.sourceVertex[v])!));
  const offset = (pos: Float32Array, nrm: Float32Array) =>
    grow(pos, 3, (out, o, v) => {
      const t = thick[o / 3 - N];
      for (let a = 0; a < 3; a++) out[o + a] = pos[v * 3 + a] + nrm[v * 3 + a] * t;
    });
  const copy3 = (a: Float32Array) => grow(a, 3, (out, o, v) => out.set(a.subarray(v * 3, v * 3 + 3), o));
  const sorted = thick.map((t) => t / scale).sort((a, b) => a - b);
  const positions = offset(mesh.positions, mesh.normals);
  // Where the scalp is concave (behind the ears, the nape) a thick offset folds over itself: its
  // triangles turn to face the skull. They are left out; their neighbours cover the place.
  const keep: number[] = [];
  for (let j = 0; j < tris.length / 3; j++) {
    const [a, b, c] = [0, 1, 2].map((i) => tris[j * 3 + i] * 3);
    const src = [0, 1, 2].map((i) => newSrc[tris[j * 3 + i] - N] * 3);
    const u = [0, 1, 2].map((i) => positions[b + i] - positions[a + i]);
    const w = [0, 1, 2].map((i) => positions[c + i] - positions[a + i]);
    const n = [u[1] * w[2] - u[2] * w[1], u[2] * w[0] - u[0] * w[2], u[0] * w[1] - u[1] * w[0]];
    let dot = 0;
    for (const o of src) for (let i = 0; i < 3; i++) dot += n[i] * mesh.normals[o + i];
    if (dot > 0) keep.push(j);
  }
  return {
    mesh: {
      ...mesh,
      sourceVertex: Uint32Array.from([...mesh.sourceVertex, ...newSrc.map((v) => mesh.sourceVertex[v])]),
      positions,
      posedPositions: offset(mesh.posedPositions, mesh.posedNormals),
      normals: copy3(mesh.normals),
      posedNormals: copy3(mesh.posedNormals),
      uvs: grow(mesh.uvs, 2, (out, o, v) => out.set(mesh.uvs.subarray(v * 2, v * 2 + 2), o)),
      indices: Uint32Array.from([...mesh.indices, ...keep.flatMap((j) => tris.slice(j * 3, j * 3 + 3))]),
      triangleCell: [...mesh.triangleCell, ...keep.map((j) => cells[j])],
      sourceTriangle: Uint32Array.from([...mesh.sourceTriangle, ...keep.map((j) => srcT[j])]),
      morphTargets: mesh.morphTargets.map((t) => ({ name: t.name, deltas: copy3(t.deltas) })),
    },
    stats: {
      vertices: M,
      triangles: keep.length,
      medianThicknessCm: sorted[sorted.length >> 1],
      maxThicknessCm: sorted[sorted.length - 1],
    },
  };
}
