/**
 * How much an image's colour varies round each pixel: the standard deviation of RGB (0..255, the
 * channels' variances averaged) over the (2r + 1)^2 box about the pixel, clipped at the image's edges.
 * Summed-area tables of the values and their squares make it O(1) per pixel whatever r.
 *
 * Layout: image RGBA [width * height * 4]; result Float32Array [width * height], index y * width + x.
 */
import type { RgbaImage } from '../../../shared/image';

export function localSpread(img: RgbaImage, r: number): Float32Array {
  const { width: W, height: H, data } = img;
  const SW = W + 1;
  // Tables [(H + 1) * (W + 1) * 3]: sums over [0, y) x [0, x) per channel; float64 holds 255^2 * W * H exactly enough.
  const sum = new Float64Array(SW * (H + 1) * 3);
  const sq = new Float64Array(SW * (H + 1) * 3);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const o = ((y + 1) * SW + x + 1) * 3;
      const up = (y * SW + x + 1) * 3;
      const left = ((y + 1) * SW + x) * 3;
      const diag = (y * SW + x) * 3;
      for (let c = 0; c < 3; c++) {
        const v = data[(y * W + x) * 4 + c];
        sum[o + c] = v + sum[up + c] + sum[left + c] - sum[diag + c];
        sq[o + c] = v * v + sq[up + c] + sq[left + c] - sq[diag + c];
      }
    }
  }
  const out = new Float32Array(W * H);
  for (let y = 0; y < H; y++) {
    const y0 = Math.max(0, y - r);
    const y1 = Math.min(H, y + r + 1);
    for (let x = 0; x < W; x++) {
      const x0 = Math.max(0, x - r);
      const x1 = Math.min(W, x + r + 1);
      const n = (y1 - y0) * (x1 - x0);
      const a = (y1 * SW + x1) * 3;
      const b = (y0 * SW + x1) * 3;
      const c0 = (y1 * SW + x0) * 3;
      const d = (y0 * SW + x0) * 3;
      let variance = 0;
      for (let c = 0; c < 3; c++) {
        const m = (sum[a + c] - sum[b + c] - sum[c0 + c] + sum[d + c]) / n;
        const m2 = (sq[a + c] - sq[b + c] - sq[c0 + c] + sq[d + c]) / n;
        variance += Math.max(0, m2 - m * m);
      }
      out[y * W + x] = Math.sqrt(variance / 3);
    }
  }
  return out;
}
