/**
 * Slow, obviously correct references for the stylize kernels. Tests compare the fast kernels with
 * these; nothing in the app calls them.
 */
import type { ColourPlanes } from './planes';
import { gaussianTaps } from './kernels';
import { kuwaharaQuadrants } from './kuwahara';

/** Direct 2D convolution with the outer product of the 1D taps, clamp-to-edge. */
export function gaussianBlurReference(
  src: Float32Array,
  width: number,
  height: number,
  sigma: number,
): Float32Array {
  const taps = gaussianTaps(sigma);
  const radius = (taps.length - 1) / 2;
  const out = new Float32Array(src.length);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let acc = 0;
      for (let dy = -radius; dy <= radius; dy++) {
        for (let dx = -radius; dx <= radius; dx++) {
          const yy = Math.min(height - 1, Math.max(0, y + dy));
          const xx = Math.min(width - 1, Math.max(0, x + dx));
          acc += taps[dy + radius] * taps[dx + radius] * src[yy * width + xx];
        }
      }
      out[y * width + x] = acc;
    }
  }
  return out;
}

/** Kuwahara by looping over every quadrant pixel (same variance formula and tie rule as the fast one). */
export function kuwaharaReference(p: ColourPlanes, r: number): ColourPlanes {
  const { width: w, height: h } = p;
  const n = w * h;
  const ch = [p.r, p.g, p.b].map((plane) => Array.from(plane, (v) => Math.round(v * 255)));
  const out = {
    width: w,
    height: h,
    r: new Float32Array(n),
    g: new Float32Array(n),
    b: new Float32Array(n),
    alpha: p.alpha,
  };
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let best = Infinity;
      let bestMean = [0, 0, 0];
      for (const [x0, x1, y0, y1] of kuwaharaQuadrants(x, y, r, w, h)) {
        const sums = [0, 0, 0];
        let sumSq = 0;
        let count = 0;
        for (let yy = y0; yy <= y1; yy++) {
          for (let xx = x0; xx <= x1; xx++) {
            for (let c = 0; c < 3; c++) {
              const v = ch[c][yy * w + xx];
              sums[c] += v;
              sumSq += v * v;
            }
            count++;
          }
        }
        const variance = (sumSq - (sums[0] ** 2 + sums[1] ** 2 + sums[2] ** 2) / count) / count;
        if (variance < best) {
          best = variance;
          bestMean = sums.map((s) => s / count);
        }
      }
      out.r[y * w + x] = bestMean[0] / 255;
      out.g[y * w + x] = bestMean[1] / 255;
      out.b[y * w + x] = bestMean[2] / 255;
    }
  }
  return out;
}
