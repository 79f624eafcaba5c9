import { describe, expect, it } from 'vitest';
import { chwToRgba, imageToChw, resizeHwc } from '../../src/engine/diffusion/image-tensor';

/** Slow, obviously correct 2-D reference of the antialiased triangle-filter resize. */
function referenceResize(src: Float32Array, w: number, h: number, c: number, ow: number, oh: number): Float32Array {
  const out = new Float32Array(ow * oh * c);
  const tri = (dist: number, support: number) => Math.max(0, 1 - Math.abs(dist) / support);
  const sx = w / ow;
  const sy = h / oh;
  const supX = Math.max(1, sx);
  const supY = Math.max(1, sy);
  for (let y = 0; y < oh; y++)
    for (let x = 0; x < ow; x++)
      for (let k = 0; k < c; k++) {
        let acc = 0;
        let total = 0;
        for (let iy = 0; iy < h; iy++)
          for (let ix = 0; ix < w; ix++) {
            const wt = tri(ix + 0.5 - (x + 0.5) * sx, supX) * tri(iy + 0.5 - (y + 0.5) * sy, supY);
            acc += wt * src[(iy * w + ix) * c + k];
            total += wt;
          }
        out[(y * ow + x) * c + k] = acc / total;
      }
  return out;
}

function randomImage(n: number, seed: number): Float32Array {
  const a = new Float32Array(n);
  let s = seed;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    a[i] = s / 2 ** 32;
  }
  return a;
}

describe('antialiased resize', () => {
  for (const [w, h, ow, oh] of [
    [37, 23, 11, 7],
    [5, 4, 13, 9],
    [16, 16, 16, 8],
  ]) {
    it(`${w}x${h} -> ${ow}x${oh} matches the 2-D reference within 1e-5`, () => {
      const src = randomImage(w * h * 3, w * 31 + h);
      const fast = resizeHwc(src, w, h, 3, ow, oh);
      const ref = referenceResize(src, w, h, 3, ow, oh);
      let maxErr = 0;
      for (let i = 0; i < ref.length; i++) maxErr = Math.max(maxErr, Math.abs(fast[i] - ref[i]));
      expect(fast.every(Number.isFinite)).toBe(true);
      expect(maxErr).toBeLessThan(1e-5);
    });
  }

  it('keeps a constant image constant', () => {
    const src = new Float32Array(20 * 10 * 2).fill(0.25);
    expect(resizeHwc(src, 20, 10, 2, 7, 3).every((v) => Math.abs(v - 0.25) < 1e-7)).toBe(true);
  });
});

describe('image <-> tensor', () => {
  it('normalises (rgb - mean) / std in CHW, composites transparent pixels on white, honours BGR order', () => {
    const img = { width: 1, height: 1, data: Uint8ClampedArray.from([255, 0, 51, 255]) };
    const chw = imageToChw(img, 1, { mean: [0.5, 0.5, 0.5], std: [0.5, 0.25, 0.5] });
    expect(Array.from(chw)).toEqual([1, -2, expect.closeTo(-0.6, 6)]);
    const bgr = imageToChw(img, 1, { mean: [0, 0, 0], std: [1, 1, 1], channelOrder: 'bgr' });
    expect(bgr[0]).toBeCloseTo(0.2, 6);
    expect(bgr[2]).toBe(1);
    const clear = imageToChw({ width: 1, height: 1, data: Uint8ClampedArray.from([0, 0, 0, 0]) }, 1, { mean: [0, 0, 0], std: [1, 1, 1] });
    expect(Array.from(clear)).toEqual([1, 1, 1]);
  });

  it('maps [-1, 1] CHW back to opaque 8-bit RGBA', () => {
    const rgba = chwToRgba(Float32Array.from([-1, 1, 0]), 0, 1, 1);
    expect(Array.from(rgba.data)).toEqual([0, 255, 128, 255]);
  });
});
