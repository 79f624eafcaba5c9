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
