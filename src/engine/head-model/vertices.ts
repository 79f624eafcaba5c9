/** Posing the model's shape: neutral + sum of identity and expression deltas. */
import type { HeadModel } from './types';

/**
 * Vertices [V*3] of `neutral + sum_k identityCoeffs[k] * identity_k + sum_j expressionCoeffs[j] *
 * expression_j`. Coefficient arrays may be shorter than the model's mode counts (missing ones are 0)
 * or null; zero coefficients are skipped. Writes into `out` when given (length V*3).
 */
export function headModelVertices(
  model: Pick<
    HeadModel,
    'vertexCount' | 'neutral' | 'identity' | 'identityCount' | 'expressions' | 'expressionNames'
  >,
  identityCoeffs: ArrayLike<number> | null,
  expressionCoeffs: ArrayLike<number> | null,
  out?: Float32Array,
): Float32Array {
  const n = model.vertexCount * 3;
  const res = out ?? new Float32Array(n);
  if (res.length !== n) throw new RangeError(`out has length ${res.length}, expected ${n}`);
  res.set(model.neutral);
  const add = (coeffs: ArrayLike<number> | null, modes: Float32Array, count: number) => {
    if (!coeffs) return;
    if (coeffs.length > count) throw new RangeError(`${coeffs.length} coefficients for ${count} modes`);
    for (let k = 0; k < coeffs.length; k++) {
      const w = coeffs[k];
      if (w === 0) continue;
      const base = k * n;
      for (let i = 0; i < n; i++) res[i] += w * modes[base + i];
    }
  };
  add(identityCoeffs, model.identity, model.identityCount);
  add(expressionCoeffs, model.expressions, model.expressionNames.length);
  return res;
}

/** Index of an expression by its kit name (e.g. "jawOpen"), or -1. */
export function expressionIndex(model: Pick<HeadModel, 'expressionNames'>, name: string): number {
  return model.expressionNames.indexOf(name);
}

/** The named part, or throws naming the parts there are. */
export function headModelPart(model: Pick<HeadModel, 'parts'>, name: string) {
  const p = model.parts.find((q) => q.name === name);
  if (!p)
    throw new Error(`head model has no part "${name}" (parts: ${model.parts.map((q) => q.name).join(', ')})`);
  return p;
}

/**
 * The 478 face-mesh landmarks on posed `vertices` [V*3] (from headModelVertices): [478*3], NaN for the
 * landmarks without a reliable correspondence (landmarkTriangles -1).
 */
export function headModelLandmarks(
  model: Pick<HeadModel, 'triangles' | 'landmarkTriangles' | 'landmarkBarycentrics'>,
  vertices: Float32Array,
  out: Float32Array = new Float32Array(model.landmarkTriangles.length * 3),
): Float32Array {
  const { triangles: T, landmarkTriangles: lt, landmarkBarycentrics: lb } = model;
  for (let i = 0; i < lt.length; i++) {
    const t = lt[i];
    if (t < 0) {
      out[i * 3] = out[i * 3 + 1] = out[i * 3 + 2] = NaN;
      continue;
    }
    const a = T[t * 3] * 3,
      b = T[t * 3 + 1] * 3,
      c = T[t * 3 + 2] * 3;
    const w0 = lb[i * 3],
      w1 = lb[i * 3 + 1],
      w2 = lb[i * 3 + 2];
    for (let k = 0; k < 3; k++)
      out[i * 3 + k] = w0 * vertices[a + k] + w1 * vertices[b + k] + w2 * vertices[c + k];
  }
  return out;
}
