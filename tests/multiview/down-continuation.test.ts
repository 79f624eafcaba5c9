/**
 * The body below the crop's bottom (side-continuation.ts continueDown): each column carries on the
 * garment its last observed rows show - a shirt placket stays under the placket, a lapel under the
 * lapel - instead of the sides' colours blended across the chest (a light grey band under every bust).
 */
import { describe, expect, it } from 'vitest';
import { continueDown } from '../../src/engine/multiview/weightfree/side-continuation';

const W = 16;
const ROWS = 12;
/** Observed rows 0..5 of columns 4..11; column x's colour is (10x, 100, 200 - 10x), except a dark stripe at x = 8. */
function atlas(): { colour: Float32Array; weight: Float32Array; member: Uint8Array } {
  const colour = new Float32Array(W * ROWS * 3);
  const weight = new Float32Array(W * ROWS);
  const member = new Uint8Array(W * ROWS);
  for (let y = 0; y < 6; y++) {
    for (let x = 4; x < 12; x++) {
      const i = y * W + x;
      weight[i] = 1;
      member[i] = 1;
      colour.set(x === 8 ? [20, 20, 20] : [10 * x, 100, 200 - 10 * x], i * 3);
    }
  }
  return { colour, weight, member };
}

describe('continueDown', () => {
  it('carries each column down from its last observed rows, the stripe included', () => {
    const a = atlas();
    const d = continueDown(a.colour, a.weight, a.member, W, ROWS);
    // Row 10 (well below): column 5 is the mean of columns 4-6's colours (3-tap), the stripe stays dark.
    expect(d.below[10 * W + 5]).toBe(1);
    expect(d.colour[(10 * W + 5) * 3]).toBeCloseTo(50, 4);
    expect(d.colour[(10 * W + 5) * 3 + 2]).toBeCloseTo(150, 4);
    // The one-texel stripe, smoothed with its neighbours (3-tap), still stands out: green (100 + 20 + 100) / 3.
    const stripe = d.colour[(10 * W + 8) * 3 + 1];
    const beside = d.colour[(10 * W + 10) * 3 + 1];
    expect(stripe).toBeCloseTo(220 / 3, 4);
    expect(beside).toBeCloseTo(100, 4);
    // The first row below ramps in; observed rows and unobserved columns are untouched.
    expect(d.below[6 * W + 5]).toBeCloseTo(1 / 3, 5);
    expect(d.below[5 * W + 5]).toBe(0);
    expect(d.below[10 * W + 2]).toBe(0);
    expect(d.colour.every(Number.isFinite)).toBe(true);
  });

  it('ignores texels observed too weakly and refuses buffers of the wrong size', () => {
    const a = atlas();
    for (let x = 4; x < 12; x++) a.weight[5 * W + x] = 0.3; // the last row barely seen: row 4 is the last
    const d = continueDown(a.colour, a.weight, a.member, W, ROWS);
    expect(d.below[5 * W + 6]).toBeCloseTo(1 / 3, 5);
    expect(() => continueDown(a.colour, a.weight, a.member, W, ROWS + 1)).toThrow(RangeError);
  });
});
