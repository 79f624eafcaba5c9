/**
 * Image <-> tensor conversions for the adapters. Tensors are float32 NCHW, row-major.
 * Resizing is separable with a triangle (bilinear) filter whose support widens when downscaling
 * (antialiased, like PIL's BILINEAR), so CLIP's 224 and the 112 identity crop are not aliased.
 */
import type { RgbaImage } from '../../shared/image';

export interface Normalisation {
  mean: readonly [number, number, number];
  std: readonly [number, number, number];
  channelOrder?: 'rgb' | 'bgr';
}

/** RGB of an RGBA image composited on white, as float [H*W*3] in [0, 1] (HWC). */
export function rgbOnWhite(img: RgbaImage): Float32Array {
  const n = img.width * img.height;
  const out = new Float32Array(n * 3);
  for (let i = 0; i < n; i++) {
    const a = img.data[i * 4 + 3] / 255;
    for (let c = 0; c < 3; c++) out[i * 3 + c] = (img.data[i * 4 + c] / 255) * a + (1 - a);
  }
  return out;
}

/** Resize along one axis. src: [outer, inLen, inner] -> [outer, outLen, inner]. */
function resizeAxis(src: Float32Array, outer: number, inLen: number, inner: number, outLen: number): Float32Array {
  const out = new Float32Array(outer * outLen * inner);
  const scale = inLen / outLen;
  const support = Math.max(1, scale);
  // Taps per output position: first input index, count, and normalised weights (flat).
  const first = new Int32Array(outLen);
  const count = new Int32Array(outLen);
  const maxTaps = Math.ceil(2 * support) + 2;
  const weights = new Float32Array(outLen * maxTaps);
  for (let o = 0; o < outLen; o++) {
    const centre = (o + 0.5) * scale;
    const lo = Math.max(0, Math.floor(centre - support));
    const hi = Math.min(inLen - 1, Math.ceil(centre + support));
    let total = 0;
    for (let i = lo; i <= hi; i++) total += Math.max(0, 1 - Math.abs(i + 0.5 - centre) / support);
    first[o] = lo;
    count[o] = hi - lo + 1;
    for (let i = lo; i <= hi; i++) weights[o * maxTaps + i - lo] = Math.max(0, 1 - Math.abs(i + 0.5 - centre) / support) / total;
  }
  // Innermost loop runs over the contiguous `inner` axis.
  for (let u = 0; u < outer; u++) {
    for (let o = 0; o < outLen; o++) {
      const outBase = (u * outLen + o) * inner;
      for (let t = 0; t < count[o]; t++) {
        const w = weights[o * maxTaps + t];
        if (w === 0) continue;
        const inBase = (u * inLen + first[o] + t) * inner;
        for (let k = 0; k < inner; k++) out[outBase + k] += w * src[inBase + k];
      }
    }
  }
  return out;
}

/** Resize HWC float image (any channel count). */
export function resizeHwc(src: Float32Array, w: number, h: number, channels: number, outW: number, outH: number): Float32Array {
  if (w === outW && h === outH) return src.slice();
  const rows = resizeAxis(src, h, w, channels, outW); // [h, outW, c]
  return resizeAxis(rows, 1, h, outW * channels, outH); // [outH, outW, c]
}

/** RGBA -> normalised CHW [3, size, size] (composited on white, resized, (x - mean) / std). */
export function imageToChw(img: RgbaImage, size: number, norm: Normalisation): Float32Array {
  const hwc = resizeHwc(rgbOnWhite(img), img.width, img.height, 3, size, size);
  const out = new Float32Array(3 * size * size);
  const plane = size * size;
  const order = norm.channelOrder === 'bgr' ? [2, 1, 0] : [0, 1, 2];
  for (let c = 0; c < 3; c++) {
    const src = order[c];
    for (let i = 0; i < plane; i++) out[c * plane + i] = (hwc[i * 3 + src] - norm.mean[src]) / norm.std[src];
  }
  return out;
}

/** The [-1, 1] normalisation of VAE inputs. */
export const MINUS_ONE_TO_ONE: Normalisation = { mean: [0.5, 0.5, 0.5], std: [0.5, 0.5, 0.5] };

/** CHW in [-1, 1] -> opaque RGBA (alpha 255). */
export function chwToRgba(chw: Float32Array, offset: number, width: number, height: number): RgbaImage {
  const plane = width * height;
  const data = new Uint8ClampedArray(plane * 4);
  for (let i = 0; i < plane; i++) {
    for (let c = 0; c < 3; c++) data[i * 4 + c] = Math.round((chw[offset + c * plane + i] * 0.5 + 0.5) * 255);
    data[i * 4 + 3] = 255;
  }
  return { width, height, data };
}

/** Resize a batch of CHW images [N, C, h, w] to [N, C, H, W]. */
export function resizeNchw(src: Float32Array, n: number, c: number, w: number, h: number, outW: number, outH: number): Float32Array {
  const out = new Float32Array(n * c * outW * outH);
  for (let i = 0; i < n * c; i++) {
    const plane = src.subarray(i * w * h, (i + 1) * w * h);
    out.set(resizeHwc(plane, w, h, 1, outW, outH), i * outW * outH);
  }
  return out;
}
