/**
 * Edge-aware matte refinement: the guided filter (He, Sun, Tang 2010) with the image's luminance as
 * guide. It snaps a coarse (upsampled 256x256) segmentation to real edges and gives hair a soft alpha
 * that follows the strands instead of a blurry blob.
 */
import type { GrayImageF32, RgbaImage } from '../../shared/image';

/**
 * Mean over the (2r+1)^2 window clipped to the image, for a W x H float image (row-major), via a
 * summed-area table: O(W*H) for any radius. Returns a new array.
 */
export function boxMean(src: Float32Array, width: number, height: number, r: number): Float32Array {
  const W1 = width + 1;
  // sat[(y+1)*W1 + (x+1)] = sum of src over [0..x] x [0..y]; float64 to keep precision on big images.
  const sat = new Float64Array(W1 * (height + 1));
  for (let y = 0; y < height; y++) {
    let row = 0;
    for (let x = 0; x < width; x++) {
      row += src[y * width + x];
      sat[(y + 1) * W1 + x + 1] = sat[y * W1 + x + 1] + row;
    }
  }
  const out = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    const y0 = Math.max(0, y - r), y1 = Math.min(height - 1, y + r);
    for (let x = 0; x < width; x++) {
      const x0 = Math.max(0, x - r), x1 = Math.min(width - 1, x + r);
      const sum = sat[(y1 + 1) * W1 + x1 + 1] - sat[y0 * W1 + x1 + 1] - sat[(y1 + 1) * W1 + x0] + sat[y0 * W1 + x0];
      out[y * width + x] = sum / ((x1 - x0 + 1) * (y1 - y0 + 1));
    }
  }
  return out;
}

/** Luminance in [0, 1] of an RGBA image (Rec. 709 weights on the sRGB values). */
export function luminance(img: RgbaImage): Float32Array {
  const out = new Float32Array(img.width * img.height);
  for (let i = 0, j = 0; j < out.length; i += 4, j++) {
    out[j] = (0.2126 * img.data[i] + 0.7152 * img.data[i + 1] + 0.0722 * img.data[i + 2]) / 255;
  }
  return out;
}

/** Guided filter of `p` with guide `guide` (both W x H); result clamped to [0, 1]. */
export function guidedFilter(guide: Float32Array, p: GrayImageF32, r: number, eps: number): GrayImageF32 {
  const { width, height } = p;
  const n = width * height;
  const meanI = boxMean(guide, width, height, r);
  const meanP = boxMean(p.data, width, height, r);
  const ii = new Float32Array(n);
  const ip = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    ii[i] = guide[i] * guide[i];
    ip[i] = guide[i] * p.data[i];
  }
  const corrI = boxMean(ii, width, height, r);
  const corrIp = boxMean(ip, width, height, r);
  const a = new Float32Array(n);
  const b = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const varI = corrI[i] - meanI[i] * meanI[i];
    const covIp = corrIp[i] - meanI[i] * meanP[i];
    a[i] = covIp / (varI + eps);
    b[i] = meanP[i] - a[i] * meanI[i];
  }
  const meanA = boxMean(a, width, height, r);
  const meanB = boxMean(b, width, height, r);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = Math.min(1, Math.max(0, meanA[i] * guide[i] + meanB[i]));
  return { width, height, data: out };
}
