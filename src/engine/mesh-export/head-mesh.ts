/**
 * The fitted ICT head as an engine mesh: the exported parts, split at UV seams, with the kit's UDIM
 * tiles packed into one square atlas, in the run's world frame, and the expression shapes as morph
 * targets under their ARKit names.
 *
 * Atlas (u right, v down, fractions of the texture side; docs/mesh-export.md):
 *   face                               tile 0          -> [0, .5)   x [0, .5)
 *   headNeck, mouthSocket, eyeSockets  tile 1          -> [.5, 1)   x [0, .5)
 *   gumsTongue                         tile 2          -> [0, .25)  x [.5, .75)
 *   teeth                              tile 3          -> [.25, .5) x [.5, .75)
 *   sclera (both eyes)                 tile 0 (eyes)   -> [0, .25)  x [.75, 1)
 *   iris (both eyes)                   tile 0 (eyes)   -> [.25, .5) x [.75, 1)
 *   [.5, 1) x [.5, 1) is free (kept for a hair shell).
 * Inside a cell, atlas = cell origin + (u - tile, v) * cell size. Sclera and iris share UVs in the kit
 * (separate materials there), so they get a cell each; the left and right eye share theirs.
 */
import { ARKIT_SPLIT_SHAPES, kitToArkitName } from '../../shared/animation/arkit';
import type { HeadModel } from '../head-model/types';
import { headModelVertices, expressionIndex } from '../head-model/vertices';
import type { ModelToWorld } from '../head-fit/model-to-world';
import { transformModelPoints } from '../head-fit/model-to-world';

export type AtlasCellName = 'face' | 'head' | 'gums' | 'teeth' | 'sclera' | 'iris';

export interface AtlasCell {
  name: AtlasCellName;
  /** Origin and side, fractions of the texture side. */
  x: number;
  y: number;
  size: number;
}

export const ATLAS_CELLS: Record<AtlasCellName, AtlasCell> = {
  face: { name: 'face', x: 0, y: 0, size: 0.5 },
  head: { name: 'head', x: 0.5, y: 0, size: 0.5 },
  gums: { name: 'gums', x: 0, y: 0.5, size: 0.25 },
  teeth: { name: 'teeth', x: 0.25, y: 0.5, size: 0.25 },
  sclera: { name: 'sclera', x: 0, y: 0.75, size: 0.25 },
  iris: { name: 'iris', x: 0.25, y: 0.75, size: 0.25 },
};

/** Kit parts in the export and their atlas cell (sub-parts sclera/iris split the eyeballs). */
const PART_CELLS: [string, AtlasCellName][] = [
  ['face', 'face'],
  ['headNeck', 'head'],
  ['mouthSocket', 'head'],
  ['eyeSocketL', 'head'],
  ['eyeSocketR', 'head'],
  ['gumsTongue', 'gums'],
  ['teeth', 'teeth'],
  ['scleraL', 'sclera'],
  ['irisL', 'iris'],
  ['scleraR', 'sclera'],
  ['irisR', 'iris'],
];
/** Parts left out: thin shells and cards that need their own shaders (docs/mesh-export.md). */
export const LEFT_OUT_PARTS = [
  'lacrimalL',
  'lacrimalR',
  'eyeBlendL',
  'eyeBlendR',
  'eyeOcclusionL',
  'eyeOcclusionR',
  'eyelashesL',
  'eyelashesR',
];

/** Expression deltas shorter than this (model cm) are exported as exactly zero. */
const DELTA_SNAP_CM = 1e-3;

export interface MorphTarget {
  /** ARKit spelling (browDownLeft ...), or the kit's half shapes browInnerUpLeft/Right, cheekPuffLeft/Right. */
  name: string;
  /** World-space position deltas per exported vertex [N*3]. */
  deltas: Float32Array;
}

export interface HeadMesh {
  /** Exported vertex -> model vertex. */
  sourceVertex: Uint32Array;
  /** Identity-only (zero expression) world positions [N*3]. */
  positions: Float32Array;
  /** Positions with the fit's expression (what the views show; used for baking) [N*3]. */
  posedPositions: Float32Array;
  /** Smooth normals of `positions` and of `posedPositions` [N*3] (shared across UV seams). */
  normals: Float32Array;
  posedNormals: Float32Array;
  /** Atlas UVs [N*2], v down (glTF convention). */
  uvs: Float32Array;
  indices: Uint32Array;
  /** Atlas cell of each exported triangle. */
  triangleCell: AtlasCellName[];
  /** Model triangle of each exported triangle. */
  sourceTriangle: Uint32Array;
  morphTargets: MorphTarget[];
  /** The fit's expression in ARKit names (non-zero weights only). */
  fittedExpression: Record<string, number>;
  /** World units per model centimetre. */
  scale: number;
}

function partRange(model: HeadModel, name: string): [number, number] | null {
  const p = model.parts.find((q) => q.name === name);
  return p ? [p.triangleStart, p.triangleEnd] : null;
}

function smoothNormals(modelPositions: Float32Array, tris: Uint32Array[]): Float32Array {
  const n = new Float32Array(modelPositions.length);
  for (const range of tris) {
    for (let k = 0; k < range.length; k += 3) {
      const a = range[k] * 3;
      const b = range[k + 1] * 3;
      const c = range[k + 2] * 3;
      const e1x = modelPositions[b] - modelPositions[a];
      const e1y = modelPositions[b + 1] - modelPositions[a + 1];
      const e1z = modelPositions[b + 2] - modelPositions[a + 2];
      const e2x = modelPositions[c] - modelPositions[a];
      const e2y = modelPositions[c + 1] - modelPositions[a + 1];
      const e2z = modelPositions[c + 2] - modelPositions[a + 2];
      const nx = e1y * e2z - e1z * e2y;
      const ny = e1z * e2x - e1x * e2z;
      const nz = e1x * e2y - e1y * e2x;
      for (const v of [a, b, c]) {
        n[v] += nx;
        n[v + 1] += ny;
        n[v + 2] += nz;
      }
    }
  }
  for (let i = 0; i < n.length; i += 3) {
    const l = Math.hypot(n[i], n[i + 1], n[i + 2]) || 1;
    n[i] /= l;
    n[i + 1] /= l;
    n[i + 2] /= l;
  }
  return n;
}

/**
 * Build the export mesh. `identity` and `expression` (kit names -> weight) are the fit's; the neutral
 * is the identity with zero expression, the posed copy adds the fit's expression.
 */
export function buildHeadMesh(
  model: HeadModel,
  identity: ArrayLike<number>,
  expression: Record<string, number>,
  toWorld: Pick<ModelToWorld, 'A' | 'b' | 'scale'>,
): HeadMesh {
  const beta = new Float32Array(model.expressionNames.length);
  for (const [name, w] of Object.entries(expression)) {
    const k = expressionIndex(model, name);
    if (k >= 0) beta[k] = w;
  }
  const idCoeffs = Array.from(identity).slice(0, model.identityCount);
  const neutralModel = headModelVertices(model, idCoeffs, null);
  const posedModel = headModelVertices(model, idCoeffs, beta);

  // Corners -> exported vertices (split where a model vertex has more than one atlas UV).
  const key = new Map<string, number>();
  const srcV: number[] = [];
  const uv: number[] = [];
  const idx: number[] = [];
  const cells: AtlasCellName[] = [];
  const srcT: number[] = [];
  const used: Uint32Array[] = [];
  for (const [part, cellName] of PART_CELLS) {
    const r = partRange(model, part);
    if (!r) continue;
    used.push(model.triangles.subarray(r[0] * 3, r[1] * 3));
    const cell = ATLAS_CELLS[cellName];
    for (let t = r[0]; t < r[1]; t++) {
      for (let c = 0; c < 3; c++) {
        const v = model.triangles[t * 3 + c];
        const u0 = model.triangleUvs[(t * 3 + c) * 2];
        const v0 = model.triangleUvs[(t * 3 + c) * 2 + 1];
        const tile = Math.min(Math.max(Math.floor(u0), 0), 9);
        const U = cell.x + Math.min(Math.max(u0 - tile, 0), 1) * cell.size;
        const V = cell.y + Math.min(Math.max(v0, 0), 1) * cell.size;
        const k = `${v},${Math.round(U * 1e6)},${Math.round(V * 1e6)}`;
        let e = key.get(k);
        if (e === undefined) {
          e = srcV.length;
          key.set(k, e);
          srcV.push(v);
          uv.push(U, V);
        }
        idx.push(e);
      }
      cells.push(cellName);
      srcT.push(t);
    }
  }
  const sourceVertex = Uint32Array.from(srcV);
  const N = sourceVertex.length;
  const gather = (src: Float32Array): Float32Array => {
    const out = new Float32Array(N * 3);
    for (let i = 0; i < N; i++) {
      const s = sourceVertex[i] * 3;
      out[i * 3] = src[s];
      out[i * 3 + 1] = src[s + 1];
      out[i * 3 + 2] = src[s + 2];
    }
    return out;
  };
  const neutralWorld = transformModelPoints(toWorld, neutralModel);
  const posedWorld = transformModelPoints(toWorld, posedModel);
  const normals = gather(smoothNormals(neutralWorld, used));
  const posedNormals = gather(smoothNormals(posedWorld, used));

  // Morph targets: every kit expression under its ARKit name, then ARKit's whole shapes the kit splits.
  const V3 = model.vertexCount * 3;
  const targetOf = (weights: [number, number][]): Float32Array => {
    const d = new Float32Array(N * 3);
    for (let i = 0; i < N; i++) {
      const s = sourceVertex[i] * 3;
      let x = 0;
      let y = 0;
      let z = 0;
      for (const [k, w] of weights) {
        x += w * model.expressions[k * V3 + s];
        y += w * model.expressions[k * V3 + s + 1];
        z += w * model.expressions[k * V3 + s + 2];
      }
      // The kit's files carry float noise far from where a shape acts: under 10 um it is zero (so the
      // GLB can store the shape sparsely).
      if (x * x + y * y + z * z < DELTA_SNAP_CM * DELTA_SNAP_CM) continue;
      d[i * 3] = x;
      d[i * 3 + 1] = y;
      d[i * 3 + 2] = z;
    }
    return transformModelPoints(toWorld, d, d, true);
  };
  const morphTargets: MorphTarget[] = model.expressionNames.map((name, k) => ({
    name: kitToArkitName(name),
    deltas: targetOf([[k, 1]]),
  }));
  for (const [whole, halves] of Object.entries(ARKIT_SPLIT_SHAPES)) {
    const ks = halves.map((h) => expressionIndex(model, h));
    if (ks.some((k) => k < 0)) continue;
    morphTargets.push({ name: whole, deltas: targetOf(ks.map((k) => [k, 1] as [number, number])) });
  }
  const fittedExpression: Record<string, number> = {};
  for (const [name, w] of Object.entries(expression)) if (w) fittedExpression[kitToArkitName(name)] = w;

  return {
    sourceVertex,
    positions: gather(neutralWorld),
    posedPositions: gather(posedWorld),
    normals,
    posedNormals,
    uvs: Float32Array.from(uv),
    indices: Uint32Array.from(idx),
    triangleCell: cells,
    sourceTriangle: Uint32Array.from(srcT),
    morphTargets,
    fittedExpression,
    scale: toWorld.scale,
  };
}
