/**
 * The eye and mouth openings of the head model, from its Multi-PIE 68 landmark vertices (0-based
 * numbering): contours, the pairs across each opening whose distance says how far it is open, and
 * the lid margins a blink moves. Model space (cm) unless said otherwise.
 */
import type { HeadModel } from '../head-model/types';

/** Contours: subject's right eye (-x), left eye (+x), inner lips. */
export const EYE_R_68 = [36, 37, 38, 39, 40, 41];
export const EYE_L_68 = [42, 43, 44, 45, 46, 47];
export const MOUTH_IN_68 = [60, 61, 62, 63, 64, 65, 66, 67];
/** Upper/lower pairs across each opening. */
export const EYE_R_PAIRS: [number, number][] = [
  [37, 41],
  [38, 40],
];
export const EYE_L_PAIRS: [number, number][] = [
  [43, 47],
  [44, 46],
];
export const MOUTH_PAIRS: [number, number][] = [
  [61, 67],
  [62, 66],
  [63, 65],
];

/** Landmark `i68` of vertices `verts` [V*3]. */
export function landmarkAt(
  model: HeadModel,
  verts: ArrayLike<number>,
  i68: number,
): [number, number, number] {
  const v = model.multiPie68[i68] * 3;
  return [verts[v], verts[v + 1], verts[v + 2]];
}

/** Distances across an opening, one per pair, at vertices `verts`. */
export function openingGaps(model: HeadModel, pairs: [number, number][], verts: ArrayLike<number>): number[] {
  return pairs.map(([u, l]) => {
    const [ax, ay, az] = landmarkAt(model, verts, u);
    const [cx, cy, cz] = landmarkAt(model, verts, l);
    return Math.hypot(ax - cx, ay - cy, az - cz);
  });
}

/** Upper and lower lid margins of one eye ('L' = the subject's left, +x), each sorted by x. */
export function lidMargins(
  model: HeadModel,
  side: 'L' | 'R',
  verts: ArrayLike<number>,
): { upper: number[][]; lower: number[][] } {
  const ids = side === 'L' ? EYE_L_68 : EYE_R_68;
  const pt = (k: number) => landmarkAt(model, verts, ids[k]);
  // Corners are 0 and 3 of the six; the upper lid 1, 2; the lower lid 5, 4.
  const upper = [0, 1, 2, 3].map(pt).sort((a, b) => a[0] - b[0]);
  const lower = [0, 5, 4, 3].map(pt).sort((a, b) => a[0] - b[0]);
  return { upper, lower };
}


/** y of a polyline (points sorted by x) at x, clamped to its ends. */
export function polylineY(pts: readonly (readonly number[])[], x: number): number {
  if (x <= pts[0][0]) return pts[0][1];
  for (let i = 1; i < pts.length; i++) {
    if (x <= pts[i][0]) {
      const [x0, y0] = pts[i - 1];
      const [x1, y1] = pts[i];
      return x1 > x0 ? y0 + ((y1 - y0) * (x - x0)) / (x1 - x0) : y1;
    }
  }
  return pts[pts.length - 1][1];
}

/** Triangles of the named model parts, in part order. */
export function partTriangles(model: HeadModel, names: readonly string[]): Uint32Array {
  const out: number[] = [];
  for (const n of names) {
    const p = model.parts.find((q) => q.name === n);
    if (!p) continue;
    for (let t = p.triangleStart; t < p.triangleEnd; t++) out.push(t);
  }
  return Uint32Array.from(out);
}
