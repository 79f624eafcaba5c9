/**
 * The morphable model restricted to the face-mesh landmarks it has correspondences for: each landmark
 * is a fixed barycentric combination of one triangle's corners, so its position is linear in the
 * identity and expression coefficients:
 *   p_l(alpha, beta) = mean_l + A_l alpha + B_l beta.
 * Layouts (float64, row-major):
 *   mean       [L*3]        landmark l, axis c at l*3 + c (centimetres, model axes: +Y up, +Z front)
 *   identity   [L*3*K]      row (l*3 + c), column k
 *   expression [L*3*E]      row (l*3 + c), column e (only the expressions in `expressionIndex`)
 */
import type { HeadModel } from '../head-model/types';

export interface LandmarkBasis {
  /** Face-mesh index (0..477) of each used landmark, [L]. */
  ids: Int32Array;
  count: number;
  identityCount: number;
  /** Indices into model.expressionNames of the fitted expressions, [E]. */
  expressionIndex: number[];
  mean: Float64Array;
  identity: Float64Array;
  expression: Float64Array;
}

/**
 * Expressions a single photo can tell apart from identity: everything but gaze (eyeLook*: the iris
 * points are not fitted) and the pupil.
 */
export function fittedExpressions(model: HeadModel): number[] {
  const out: number[] = [];
  model.expressionNames.forEach((n, i) => {
    if (!/^eyeLook|^Pupil/i.test(n)) out.push(i);
  });
  return out;
}

export function landmarkBasis(
  model: HeadModel,
  opts: { identityCount?: number; landmarks?: readonly number[] } = {},
): LandmarkBasis {
  const V3 = model.vertexCount * 3;
  const K = Math.min(opts.identityCount ?? model.identityCount, model.identityCount);
  const expressionIndex = fittedExpressions(model);
  const E = expressionIndex.length;
  const wanted = opts.landmarks ?? Array.from({ length: model.landmarkTriangles.length }, (_, i) => i);
  const ids = wanted.filter((i) => model.landmarkTriangles[i] >= 0);
  const L = ids.length;
  const mean = new Float64Array(L * 3);
  const identity = new Float64Array(L * 3 * K);
  const expression = new Float64Array(L * 3 * E);
  for (let l = 0; l < L; l++) {
    const id = ids[l];
    const t = model.landmarkTriangles[id];
    for (let corner = 0; corner < 3; corner++) {
      const w = model.landmarkBarycentrics[id * 3 + corner];
      const v = model.triangles[t * 3 + corner];
      for (let c = 0; c < 3; c++) {
        const row = l * 3 + c;
        mean[row] += w * model.neutral[v * 3 + c];
        for (let k = 0; k < K; k++) identity[row * K + k] += w * model.identity[k * V3 + v * 3 + c];
        for (let e = 0; e < E; e++)
          expression[row * E + e] += w * model.expressions[expressionIndex[e] * V3 + v * 3 + c];
      }
    }
  }
  return {
    ids: Int32Array.from(ids),
    count: L,
    identityCount: K,
    expressionIndex,
    mean,
    identity,
    expression,
  };
}

/** Landmark positions (model space, cm) for the given coefficients, [L*3]. */
export function basisPoints(
  b: LandmarkBasis,
  alpha: ArrayLike<number>,
  beta: ArrayLike<number>,
  out = new Float64Array(b.count * 3),
): Float64Array {
  const K = b.identityCount;
  const E = b.expressionIndex.length;
  for (let row = 0; row < b.count * 3; row++) {
    let s = b.mean[row];
    for (let k = 0; k < K; k++) s += b.identity[row * K + k] * alpha[k];
    for (let e = 0; e < E; e++) s += b.expression[row * E + e] * beta[e];
    out[row] = s;
  }
  return out;
}

/** Unit normals of the neutral head at each basis landmark (its triangle's face normal), [L*3]. */
export function landmarkNormals(model: HeadModel, b: LandmarkBasis): Float64Array {
  const out = new Float64Array(b.count * 3);
  for (let l = 0; l < b.count; l++) {
    const t = model.landmarkTriangles[b.ids[l]];
    const [a, c, d] = [0, 1, 2].map((k) => model.triangles[t * 3 + k]);
    const P = (v: number) => [model.neutral[v * 3], model.neutral[v * 3 + 1], model.neutral[v * 3 + 2]];
    const [p0, p1, p2] = [P(a), P(c), P(d)];
    const e1 = [p1[0] - p0[0], p1[1] - p0[1], p1[2] - p0[2]];
    const e2 = [p2[0] - p0[0], p2[1] - p0[1], p2[2] - p0[2]];
    const n = [e1[1] * e2[2] - e1[2] * e2[1], e1[2] * e2[0] - e1[0] * e2[2], e1[0] * e2[1] - e1[1] * e2[0]];
    const len = Math.hypot(n[0], n[1], n[2]) || 1;
    for (let c2 = 0; c2 < 3; c2++) out[l * 3 + c2] = n[c2] / len;
  }
  return out;
}
