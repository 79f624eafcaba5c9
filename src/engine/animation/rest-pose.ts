/**
 * The fitted head at its rest pose: the model's neutral + the fit's identity (model cm), posed with the
 * portrait's own expression, in model space and in the run's world. Binding (bind-to-head.ts,
 * lineage-binding.ts) and posing (bound-head.ts) start from it.
 */
import type { ModelToWorld } from '../head-fit/model-to-world';
import { transformModelPoints } from '../head-fit/model-to-world';
import type { HeadFit } from '../head-fit/types';
import type { HeadModel } from '../head-model/types';
import { headModelVertices } from '../head-model/vertices';
import { KitBlend } from './kit-weights';

export interface RestPose {
  blend: KitBlend;
  /** Neutral + identity in model space (cm) [V*3]. */
  base: Float32Array;
  /** Rest pose (the fit's expression) in model space (cm) [V*3]. */
  restModel: Float32Array;
  /** The same in the world [V*3]. */
  restVertices: Float32Array;
}

/** Model-space vertices for kit weights `beta` (model order): base + sum beta_k expression_k, into `out`. */
export function posedModel(
  model: HeadModel,
  base: Float32Array,
  beta: ArrayLike<number>,
  out: Float32Array,
): Float32Array {
  out.set(base);
  const n = base.length;
  const E = model.expressions;
  for (let k = 0; k < beta.length; k++) {
    const w = beta[k];
    if (w === 0) continue;
    const o = k * n;
    for (let i = 0; i < n; i++) out[i] += w * E[o + i];
  }
  return out;
}

export function restPose(
  model: HeadModel,
  fit: Pick<HeadFit, 'identity' | 'expression'>,
  toWorld: Pick<ModelToWorld, 'A' | 'b' | 'scale'>,
): RestPose {
  const blend = new KitBlend(model.expressionNames, fit.expression);
  const base = headModelVertices(model, Array.from(fit.identity).slice(0, model.identityCount), null);
  const restModel = posedModel(model, base, blend.fitBeta, new Float32Array(base.length));
  return { blend, base, restModel, restVertices: transformModelPoints(toWorld, restModel) };
}
