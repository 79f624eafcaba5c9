/**
 * Low-pass filters on the atlas grid (weightfree/atlas-box.ts): x wraps round the head, y does not.
 */
import { describe, expect, it } from 'vitest';
import { boxMeanWrapX, smoothMeanWrapX } from '../../src/engine/multiview/weightfree/atlas-box';

const W = 128;
const H = 64;

/** One texel of value 1 (channel 0) at (x, y) of a W x H field. */
function impulse(x: number, y: number): Float32Array {
  const f = new Float32Array(W * H * 3);
  f[(y * W + x) * 3] = 1;
  return f;
}

describe('smoothMeanWrapX', () => {
  it('spreads a point into a round hill, where one box makes a flat rectangle', () => {
    const at = (f: Float32Array, x: number, y: number) => f[(y * W + ((x + W) % W)) * 3];
    const box = boxMeanWrapX(impulse(64, 32), W, H, 6, 6);
    const hill = smoothMeanWrapX(impulse(64, 32), W, H, 6, 6);
    // The box: as much 5 texels off as at the centre, and as much at the corner as on the axis.
    expect(at(box, 69, 32)).toBeCloseTo(at(box, 64, 32), 9);
    expect(at(box, 69, 37)).toBeCloseTo(at(box, 69, 32), 9);
    // The hill falls from its centre along the axes and falls faster towards a corner.
    for (let d = 1; d <= 12; d++) expect(at(hill, 64 + d, 32)).toBeLessThan(at(hill, 64 + d - 1, 32));
    expect(at(hill, 69, 37)).toBeLessThan(0.9 * at(hill, 69, 32));
    // Mass kept, no other channel touched, and x wraps: an impulse at column 1 reaches column W - 5.
    let sum = 0;
    for (let i = 0; i < W * H; i++) sum += hill[i * 3];
    expect(sum).toBeCloseTo(1, 4);
    expect(hill.filter((_, i) => i % 3 !== 0).every((v) => v === 0)).toBe(true);
    expect(at(smoothMeanWrapX(impulse(1, 32), W, H, 6, 6), -5, 32)).toBeGreaterThan(0);
  });
});
