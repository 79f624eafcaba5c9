/**
 * Measurements on rendered views for the appearance tests: colour statistics of image regions.
 * Images are straight RGBA (RgbaImage); masks [w*h] of 0/1.
 */
import type { RgbaImage } from '../../src/shared/image';

export type Rgb = [number, number, number];

/** Mean RGB of the opaque pixels (alpha 255) in rows [y0, y1) of `img`. */
export function meanOpaque(img: RgbaImage, y0: number, y1: number): { mean: Rgb; count: number } {
  const s = [0, 0, 0];
  let n = 0;
  for (let y = Math.max(0, y0); y < Math.min(img.height, y1); y++) {
    for (let x = 0; x < img.width; x++) {
      const i = (y * img.width + x) * 4;
      if (img.data[i + 3] < 255) continue;
      for (let c = 0; c < 3; c++) s[c] += img.data[i + c];
      n++;
    }
  }
  return { mean: s.map((v) => v / Math.max(1, n)) as Rgb, count: n };
}

/** First and last rows with any opaque pixel. */
export function opaqueRows(img: RgbaImage): [number, number] {
  let top = -1, bottom = -1;
  for (let y = 0; y < img.height; y++) {
    for (let x = 0; x < img.width; x++) {
      if (img.data[(y * img.width + x) * 4 + 3] === 255) {
        if (top < 0) top = y;
        bottom = y;
        break;
      }
    }
  }
  return [top, bottom];
}

export const luma = (r: number, g: number, b: number): number => 0.299 * r + 0.587 * g + 0.114 * b;

/** Normalised luminance histogram (`bins` over 0..256) of the listed RGB values [n*3]. */
export function lumaHistogram(px: ArrayLike<number>, bins = 16): Float64Array {
  const h = new Float64Array(bins);
  const n = px.length / 3;
  for (let k = 0; k < n; k++) h[Math.min(bins - 1, Math.floor((luma(px[k * 3], px[k * 3 + 1], px[k * 3 + 2]) / 256) * bins))] += 1 / n;
  return h;
}

/** Histogram intersection (1 = identical distributions, 0 = disjoint). */
export function histogramIntersection(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += Math.min(a[i], b[i]);
  return s;
}

/** RGB values [n*3] of the opaque pixels of `img` in rows [y0, y1). */
export function opaquePixels(img: RgbaImage, y0: number, y1: number): Float32Array {
  const out: number[] = [];
  for (let y = Math.max(0, y0); y < Math.min(img.height, y1); y++) {
    for (let x = 0; x < img.width; x++) {
      const i = (y * img.width + x) * 4;
      if (img.data[i + 3] === 255) out.push(img.data[i], img.data[i + 1], img.data[i + 2]);
    }
  }
  return Float32Array.from(out);
}

/** RGB values [n*3] of `img` where `mask` is set. */
export function maskedPixels(img: RgbaImage, mask: Uint8Array): Float32Array {
  const out: number[] = [];
  for (let i = 0; i < mask.length; i++) if (mask[i]) out.push(img.data[i * 4], img.data[i * 4 + 1], img.data[i * 4 + 2]);
  return Float32Array.from(out);
}

export function medianRgb(px: Float32Array): Rgb {
  const n = px.length / 3;
  return [0, 1, 2].map((c) => {
    const ch = new Float32Array(n);
    for (let k = 0; k < n; k++) ch[k] = px[k * 3 + c];
    ch.sort();
    return ch[n >> 1];
  }) as Rgb;
}
