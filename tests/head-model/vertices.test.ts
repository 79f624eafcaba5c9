// headModelVertices (neutral + identity and expression deltas) against a slow float64 reference.
import { beforeAll, describe, expect, it } from 'vitest';
import { headModelVertices, type HeadModel } from '../../src/engine/head-model';
import { ictHeadModel } from './helpers';

let model: HeadModel;
beforeAll(async () => {
  model = (await ictHeadModel()).model;
});

function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** Slow reference: every vertex, every mode, in float64. */
function reference(m: HeadModel, id: number[], ex: number[]): Float64Array {
  const n = m.vertexCount * 3;
  const out = Float64Array.from(m.neutral);
  for (let v = 0; v < n; v++) {
    let s = out[v];
    for (let k = 0; k < id.length; k++) s += id[k] * m.identity[k * n + v];
    for (let k = 0; k < ex.length; k++) s += ex[k] * m.expressions[k * n + v];
    out[v] = s;
  }
  return out;
}

describe('headModelVertices', () => {
  it('equals neutral + sum of deltas (slow float64 reference), with and without `out`', () => {
    const r = rng(7);
    const id = Array.from({ length: model.identityCount }, () => (r() - 0.5) * 4);
    const ex = Array.from({ length: model.expressionNames.length }, () => (r() < 0.3 ? r() : 0));
    const ref = reference(model, id, ex);
    const out = new Float32Array(model.vertexCount * 3);
    const got = headModelVertices(model, id, ex, out);
    expect(got).toBe(out);
    let maxErr = 0;
    for (let i = 0; i < ref.length; i++) maxErr = Math.max(maxErr, Math.abs(got[i] - ref[i]));
    expect(maxErr).toBeLessThan(1e-4); // cm
    expect(headModelVertices(model, null, null)).toEqual(model.neutral);
    // Fewer coefficients than modes: the rest count as 0.
    const few = headModelVertices(model, id.slice(0, 3), null);
    const refFew = reference(model, id.slice(0, 3), []);
    for (let i = 0; i < few.length; i += 97) expect(Math.abs(few[i] - refFew[i])).toBeLessThan(1e-4);
    expect(() => headModelVertices(model, new Array(model.identityCount + 1).fill(0), null)).toThrow(
      RangeError,
    );
  });

  it('samples like the kit’s randomize_identity (N(0,1) weights) stay head-sized', () => {
    const r = rng(3);
    const normal = () => Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
    const v = headModelVertices(model, Array.from({ length: model.identityCount }, normal), null);
    let maxMove = 0;
    for (let i = 0; i < v.length; i++) maxMove = Math.max(maxMove, Math.abs(v[i] - model.neutral[i]));
    expect(maxMove).toBeGreaterThan(0.3);
    expect(maxMove).toBeLessThan(6);
  });
});
