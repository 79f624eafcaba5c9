/**
 * Difference heatmap maths (src/renderer/workspace/heatmap.ts) against slow, obvious references:
 * composite on white, per-pixel error, PSNR agreeing with the definition, colour ramp endpoints.
 */
import { describe, expect, it } from 'vitest';
import { differenceOnWhite, heatColour, heatmapImage, psnrOnWhite } from '../../src/renderer/workspace/heatmap';

function rgba(pixels: [number, number, number, number][]): Uint8ClampedArray {
  return Uint8ClampedArray.from(pixels.flat());
}

describe('differenceOnWhite', () => {
  it('is zero for identical images and for transparent pixels of any colour (both are white)', () => {
    const a = rgba([
      [10, 200, 30, 255],
      [255, 0, 0, 0],
    ]);
    const b = rgba([
      [10, 200, 30, 255],
      [0, 0, 255, 0],
    ]);
    expect(Array.from(differenceOnWhite(a, b, 2, 1))).toEqual([0, 0]);
  });

  it('matches a hand computation for black vs half-transparent black over white', () => {
    // Black opaque = 0; black at alpha 128/255 over white = 1 - 128/255 per channel.
    const d = differenceOnWhite(rgba([[0, 0, 0, 255]]), rgba([[0, 0, 0, 128]]), 1, 1);
    expect(d[0]).toBeCloseTo(1 - 128 / 255, 6);
  });

  it('refuses buffers of the wrong size with a clear message', () => {
    expect(() => differenceOnWhite(new Uint8ClampedArray(4), new Uint8ClampedArray(8), 1, 1)).toThrow(/1x1 RGBA/);
  });
});

describe('psnrOnWhite', () => {
  it('agrees with 10 log10(1 / MSE) computed the slow way, and is Infinity for equal images', () => {
    const a = rgba([
      [0, 0, 0, 255],
      [255, 255, 255, 255],
      [100, 50, 25, 200],
    ]);
    const b = rgba([
      [64, 0, 0, 255],
      [255, 255, 255, 0],
      [90, 60, 20, 255],
    ]);
    let se = 0;
    for (let p = 0; p < 3; p++) {
      for (let c = 0; c < 3; c++) {
        const av = (a[p * 4 + c] / 255) * (a[p * 4 + 3] / 255) + 1 - a[p * 4 + 3] / 255;
        const bv = (b[p * 4 + c] / 255) * (b[p * 4 + 3] / 255) + 1 - b[p * 4 + 3] / 255;
        se += (av - bv) ** 2;
      }
    }
    expect(psnrOnWhite(a, b, 3, 1)).toBeCloseTo(10 * Math.log10(1 / (se / 9)), 9);
    expect(psnrOnWhite(a, a, 3, 1)).toBe(Infinity);
  });
});

describe('heat colours', () => {
  it('run from black (no difference) to pale yellow (saturated), brighter as the error grows, never NaN', () => {
    expect(heatColour(0)).toEqual([0, 0, 0]);
    expect(heatColour(1)).toEqual([252, 255, 164]);
    expect(heatColour(5)).toEqual([252, 255, 164]);
    expect(heatColour(Number.NaN)).toEqual([252, 255, 164]);
    let last = -1;
    for (let t = 0; t <= 1; t += 0.05) {
      const [r, g, b] = heatColour(t);
      const luma = 0.2126 * r + 0.7152 * g + 0.0722 * b;
      expect(luma).toBeGreaterThanOrEqual(last);
      last = luma;
    }
  });

  it('heatmapImage saturates at the full scale and is opaque', () => {
    const img = heatmapImage(Float32Array.from([0, 0.25, 1]), 0.25);
    expect(Array.from(img.slice(0, 4))).toEqual([0, 0, 0, 255]);
    expect(Array.from(img.slice(4, 8))).toEqual([252, 255, 164, 255]);
    expect(Array.from(img.slice(8, 12))).toEqual([252, 255, 164, 255]);
  });
});
