/**
 * Expression weights over time for export: either keyframes (linear between keys, held at the ends)
 * or a preset pulse per expression (0 -> 1 -> 0, sin^2 shaped, `cycles` times over the clip).
 */
import { EXPRESSION_NAMES, type ExpressionName, type ExpressionWeights } from './expression-rig';

export interface ExpressionKeyframe {
  timeS: number;
  weights: ExpressionWeights;
}

export type ExpressionTrack =
  | { kind: 'keyframes'; keyframes: ExpressionKeyframe[] }
  | { kind: 'pulse'; expressions: ExpressionName[]; cycles?: number };

export function expressionAt(track: ExpressionTrack, tS: number, durationS: number): ExpressionWeights {
  if (track.kind === 'pulse') {
    const u = durationS > 0 ? tS / durationS : 0;
    const v = Math.sin(Math.PI * (track.cycles ?? 1) * u) ** 2;
    const out: ExpressionWeights = {};
    for (const e of track.expressions) out[e] = v;
    return out;
  }
  const keys = track.keyframes;
  if (keys.length === 0) throw new RangeError('an expression track needs at least one keyframe');
  for (let i = 1; i < keys.length; i++) {
    if (!(keys[i].timeS > keys[i - 1].timeS))
      throw new RangeError('expression keyframe times must increase strictly');
  }
  if (tS <= keys[0].timeS) return { ...keys[0].weights };
  if (tS >= keys[keys.length - 1].timeS) return { ...keys[keys.length - 1].weights };
  let i = 0;
  while (keys[i + 1].timeS < tS) i++;
  const s = (tS - keys[i].timeS) / (keys[i + 1].timeS - keys[i].timeS);
  const out: ExpressionWeights = {};
  for (const e of EXPRESSION_NAMES) {
    const a = keys[i].weights[e] ?? 0;
    const b = keys[i + 1].weights[e] ?? 0;
    if (a !== 0 || b !== 0) out[e] = a + (b - a) * s;
  }
  return out;
}
