/**
 * Image-quality metrics used by the run record (per-view PSNR/SSIM of the head against the 16 views)
 * and the evaluation harness. Inputs are RgbaImage (8-bit sRGB); metrics are computed on RGB in [0, 1],
 * optionally inside a mask (alpha of either image > 0.5, or an explicit mask).
 */
import type { RgbaImage } from '../image';

function assertSameSize(a: RgbaImage, b: RgbaImage): void {
  if (a.width !== b.width || a.height !== b.height) {
    throw new RangeError(`image sizes differ: ${a.width}x${a.height} vs ${b.width}x${b.height}`);
  }
}

/** Mean squared error over RGB in [0,1]; `mask` (length w*h, > 0.5 = inside) restricts the pixels. */
export function mse(a: RgbaImage, b: RgbaImage, mask?: ArrayLike<number>): number {
  assertSameSize(a, b);
  let sum = 0;
  let n = 0;
  const px = a.width * a.height;
  for (let i = 0; i < px; i++) {
    if (mask && !(mask[i] > 0.5)) continue;
    for (let c = 0; c < 3; c++) {
      const d = (a.data[i * 4 + c] - b.data[i * 4 + c]) / 255;
      sum += d * d;
    }
    n += 3;
  }
  if (n === 0) throw new RangeError('mask selects no pixels');
  return sum / n;
}

/** PSNR in dB (peak 1.0). Identical images give +Infinity. */
export function psnr(a: RgbaImage, b: RgbaImage, mask?: ArrayLike<number>): number {
  const m = mse(a, b, mask);
  return m === 0 ? Infinity : -10 * Math.log10(m);
}

/** Luma (Rec. 601) in [0,1] as Float64Array [w*h]. */
function luma(img: RgbaImage): Float64Array {
  const out = new Float64Array(img.width * img.height);
  for (let i = 0; i < out.length; i++) {
    out[i] = (0.299 * img.data[i * 4] + 0.587 * img.data[i * 4 + 1] + 0.114 * img.data[i * 4 + 2]) / 255;
  }
  return out;
}

/** Separable Gaussian blur (window 11, sigma 1.5, edges clamped) of a w x h plane. */
function blur(src: Float64Array, w: number, h: number, kernel: Float64Array): Float64Array {
  const r = (kernel.length - 1) / 2;
  const tmp = new Float64Array(src.length);
  const out = new Float64Array(src.length);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let s = 0;
      for (let k = -r; k <= r; k++) s += kernel[k + r] * src[y * w + Math.min(w - 1, Math.max(0, x + k))];
      tmp[y * w + x] = s;
    }
  }
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let s = 0;
      for (let k = -r; k <= r; k++) s += kernel[k + r] * tmp[Math.min(h - 1, Math.max(0, y + k)) * w + x];
      out[y * w + x] = s;
    }
  }
  return out;
}

function gaussianKernel(size = 11, sigma = 1.5): Float64Array {
  const k = new Float64Array(size);
  const r = (size - 1) / 2;
  let sum = 0;
  for (let i = 0; i < size; i++) sum += k[i] = Math.exp(-((i - r) ** 2) / (2 * sigma * sigma));
  for (let i = 0; i < size; i++) k[i] /= sum;
  return k;
}

/**
 * SSIM (Wang et al. 2004) on luma with an 11x11 Gaussian window (sigma 1.5), C1 = 0.01^2, C2 = 0.03^2,
 * averaged over pixels (inside `mask` when given). 1 for identical images.
 */
export function ssim(a: RgbaImage, b: RgbaImage, mask?: ArrayLike<number>): number {
  assertSameSize(a, b);
  const { width: w, height: h } = a;
  const x = luma(a);
  const y = luma(b);
  const k = gaussianKernel();
  const xx = new Float64Array(x.length);
  const yy = new Float64Array(x.length);
  const xy = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) {
    xx[i] = x[i] * x[i];
    yy[i] = y[i] * y[i];
    xy[i] = x[i] * y[i];
  }
  const mx = blur(x, w, h, k);
  const my = blur(y, w, h, k);
  const sxx = blur(xx, w, h, k);
  const syy = blur(yy, w, h, k);
  const sxy = blur(xy, w, h, k);
  const C1 = 0.01 ** 2;
  const C2 = 0.03 ** 2;
  let sum = 0;
  let n = 0;
  for (let i = 0; i < x.length; i++) {
    if (mask && !(mask[i] > 0.5)) continue;
    const vx = sxx[i] - mx[i] * mx[i];
    const vy = syy[i] - my[i] * my[i];
    const cxy = sxy[i] - mx[i] * my[i];
    sum += ((2 * mx[i] * my[i] + C1) * (2 * cxy + C2)) / ((mx[i] ** 2 + my[i] ** 2 + C1) * (vx + vy + C2));
    n++;
  }
  if (n === 0) throw new RangeError('mask selects no pixels');
  return sum / n;
}

/** Intersection over union of two alpha masks (threshold 0.5 on alpha / 255). 1 when both are empty. */
export function maskIoU(a: RgbaImage, b: RgbaImage): number {
  assertSameSize(a, b);
  let inter = 0;
  let uni = 0;
  for (let i = 3; i < a.data.length; i += 4) {
    const ia = a.data[i] > 127;
    const ib = b.data[i] > 127;
    if (ia && ib) inter++;
    if (ia || ib) uni++;
  }
  return uni === 0 ? 1 : inter / uni;
}

/** Mean and (population) standard deviation of finite values. */
export function meanStd(values: number[]): { mean: number; std: number; n: number } {
  const v = values.filter((x) => Number.isFinite(x));
  if (v.length === 0) return { mean: NaN, std: NaN, n: 0 };
  const mean = v.reduce((s, x) => s + x, 0) / v.length;
  const std = Math.sqrt(v.reduce((s, x) => s + (x - mean) ** 2, 0) / v.length);
  return { mean, std, n: v.length };
}
