/**
 * Kuwahara filter (painterly smoothing that keeps edges) on RGB planes.
 *
 * For every pixel the four overlapping (r+1)x(r+1) quadrants that share the pixel as a corner
 * (up-left, up-right, down-left, down-right, clipped to the image) are scored by their colour
 * variance (sum over r, g, b); the pixel takes the mean colour of the least-varied quadrant (first
 * one wins a tie). Sums come from integer summed-area tables so that the result is exact and
 * O(1) per pixel; ./reference.ts has the direct O(r^2) version the tests compare against.
 */
import type { ColourPlanes } from './planes';

/** Summed-area table of an integer plane: (w+1)*(h+1) entries, sat[(y)*(w+1)+x] = sum over [0,x)x[0,y). */
function summedArea(values: Float64Array, w: number, h: number): Float64Array {
  const sat = new Float64Array((w + 1) * (h + 1));
  for (let y = 0; y < h; y++) {
    let rowSum = 0;
    for (let x = 0; x < w; x++) {
      rowSum += values[y * w + x];
      sat[(y + 1) * (w + 1) + x + 1] = sat[y * (w + 1) + x + 1] + rowSum;
    }
  }
  return sat;
}

/** The four quadrants of pixel (x, y), clipped: [x0, x1] x [y0, y1] inclusive. */
export function kuwaharaQuadrants(x: number, y: number, r: number, w: number, h: number): number[][] {
  const l = Math.max(0, x - r);
  const rt = Math.min(w - 1, x + r);
  const t = Math.max(0, y - r);
  const b = Math.min(h - 1, y + r);
  return [
    [l, x, t, y],
    [x, rt, t, y],
    [l, x, y, b],
    [x, rt, y, b],
  ];
}

/** Kuwahara with radius r >= 1 on 8-bit-quantised planes; alpha is carried through. */
export function kuwahara(p: ColourPlanes, r: number): ColourPlanes {
  if (!Number.isInteger(r) || r < 1 || r > 32)
    throw new RangeError(`Kuwahara radius must be an integer in [1, 32], got ${r}`);
  const { width: w, height: h } = p;
  const n = w * h;
  // Work on integer 0..255 values so every sum below is exact in float64.
  const ch = [p.r, p.g, p.b].map((plane) => {
    const v = new Float64Array(n);
    for (let i = 0; i < n; i++) v[i] = Math.round(plane[i] * 255);
    return v;
  });
  const sq = new Float64Array(n);
  for (let i = 0; i < n; i++) sq[i] = ch[0][i] ** 2 + ch[1][i] ** 2 + ch[2][i] ** 2;
  const sats = ch.map((v) => summedArea(v, w, h));
  const satSq = summedArea(sq, w, h);
  const W = w + 1;
  const box = (sat: Float64Array, x0: number, x1: number, y0: number, y1: number) =>
    sat[(y1 + 1) * W + x1 + 1] - sat[y0 * W + x1 + 1] - sat[(y1 + 1) * W + x0] + sat[y0 * W + x0];

  const out = {
    width: w,
    height: h,
    r: new Float32Array(n),
    g: new Float32Array(n),
    b: new Float32Array(n),
    alpha: p.alpha,
  };
  const outCh = [out.r, out.g, out.b];
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let best = Infinity;
      let bestMean = [0, 0, 0];
      for (const [x0, x1, y0, y1] of kuwaharaQuadrants(x, y, r, w, h)) {
        const count = (x1 - x0 + 1) * (y1 - y0 + 1);
        const sums = sats.map((s) => box(s, x0, x1, y0, y1));
        const variance =
          (box(satSq, x0, x1, y0, y1) - (sums[0] ** 2 + sums[1] ** 2 + sums[2] ** 2) / count) / count;
        if (variance < best) {
          best = variance;
          bestMean = sums.map((s) => s / count);
        }
      }
      const i = y * w + x;
      for (let c = 0; c < 3; c++) outCh[c][i] = bestMean[c] / 255;
    }
  }
  return out;
}
