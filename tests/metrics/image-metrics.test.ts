import { describe, expect, it } from 'vitest';
import { createRgba, type RgbaImage } from '../../src/shared/image';
import { maskIoU, meanStd, psnr, ssim } from '../../src/shared/metrics/image-metrics';

function noiseImage(w: number, h: number, seed: number): RgbaImage {
  const img = createRgba(w, h);
  let s = seed >>> 0;
  for (let i = 0; i < img.data.length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    img.data[i] = i % 4 === 3 ? 255 : s >>> 24;
  }
  return img;
}

describe('image metrics', () => {
  it('PSNR: identical images are infinite, a constant offset of 1/255*k gives the closed form', () => {
    const a = createRgba(16, 16, [100, 100, 100, 255]);
    expect(psnr(a, a)).toBe(Infinity);
    const b = createRgba(16, 16, [110, 110, 110, 255]);
    // MSE = (10/255)^2 -> PSNR = 20 log10(255/10) = 28.13 dB
    expect(psnr(a, b)).toBeCloseTo(20 * Math.log10(25.5), 6);
  });

  it('PSNR inside a mask ignores pixels outside it', () => {
    const a = createRgba(4, 1, [0, 0, 0, 255]);
    const b = createRgba(4, 1, [0, 0, 0, 255]);
    b.data.set([255, 255, 255, 255], 12); // last pixel differs
    expect(psnr(a, b, [1, 1, 1, 0])).toBe(Infinity);
    expect(psnr(a, b)).toBeCloseTo(-10 * Math.log10(0.25), 6);
  });

  it('SSIM is 1 for identical images, lower for noise, and drops as the image shifts', () => {
    const a = noiseImage(48, 48, 1);
    expect(ssim(a, a)).toBeCloseTo(1, 10);
    expect(ssim(a, noiseImage(48, 48, 2))).toBeLessThan(0.2);
    const shifted = createRgba(48, 48);
    for (let y = 0; y < 48; y++)
      for (let x = 0; x < 48; x++) {
        const sx = Math.min(47, x + 1);
        shifted.data.set(a.data.subarray((y * 48 + sx) * 4, (y * 48 + sx) * 4 + 4), (y * 48 + x) * 4);
      }
    expect(ssim(a, shifted)).toBeLessThan(0.5);
  });

  it('mask IoU and mean/std', () => {
    const a = createRgba(2, 1, [0, 0, 0, 255]);
    const b = createRgba(2, 1, [0, 0, 0, 255]);
    b.data[7] = 0;
    expect(maskIoU(a, b)).toBe(0.5);
    expect(meanStd([1, 3, Infinity])).toEqual({ mean: 2, std: 1, n: 2 });
  });
});
