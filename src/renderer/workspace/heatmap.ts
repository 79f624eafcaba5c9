/**
 * Difference heatmap of a generated view against the head rendered from the same camera, measured the
 * way the engine scores PSNR (src/engine/pipeline/evaluate.ts): both composited on white, then the
 * per-pixel error. Pure functions over RGBA8 buffers (row-major, 4 bytes per pixel, straight alpha),
 * so the maths is unit-tested without a DOM.
 */

/** Error at which the colour map saturates: mean |difference| over RGB of 0.25 (a quarter of full scale). */
export const HEATMAP_FULL_SCALE = 0.25;

/** Mean absolute RGB difference per pixel in 0..1, after compositing both images on white. Length w*h. */
export function differenceOnWhite(a: Uint8ClampedArray, b: Uint8ClampedArray, width: number, height: number): Float32Array {
  const n = width * height;
  if (a.length !== n * 4 || b.length !== n * 4) {
    throw new RangeError(`heatmap inputs must both be ${width}x${height} RGBA (${n * 4} bytes), got ${a.length} and ${b.length}`);
  }
  const out = new Float32Array(n);
  for (let p = 0; p < n; p++) {
    const aa = a[p * 4 + 3] / 255;
    const ba = b[p * 4 + 3] / 255;
    let sum = 0;
    for (let c = 0; c < 3; c++) {
      // Straight alpha over white: v*alpha + 1*(1 - alpha), in 0..1.
      const av = (a[p * 4 + c] / 255) * aa + (1 - aa);
      const bv = (b[p * 4 + c] / 255) * ba + (1 - ba);
      sum += Math.abs(av - bv);
    }
    out[p] = sum / 3;
  }
  return out;
}

/** PSNR in dB (peak 1) of the same composited images, from the per-pixel mean squared RGB error. */
export function psnrOnWhite(a: Uint8ClampedArray, b: Uint8ClampedArray, width: number, height: number): number {
  const n = width * height;
  let se = 0;
  for (let p = 0; p < n; p++) {
    const aa = a[p * 4 + 3] / 255;
    const ba = b[p * 4 + 3] / 255;
    for (let c = 0; c < 3; c++) {
      const d = (a[p * 4 + c] / 255) * aa + (1 - aa) - ((b[p * 4 + c] / 255) * ba + (1 - ba));
      se += d * d;
    }
  }
  const mse = se / (n * 3);
  return mse === 0 ? Infinity : -10 * Math.log10(mse);
}

/**
 * Colour map for an error in 0..1 of full scale: black (no difference) -> purple -> orange -> yellow
 * -> white (saturated), a perceptually ordered ramp that reads on a dark UI. Returns r, g, b in 0..255.
 */
const STOPS: [number, number, number, number][] = [
  [0, 0, 0, 0],
  [0.25, 87, 16, 110],
  [0.5, 188, 55, 84],
  [0.75, 249, 142, 9],
  [1, 252, 255, 164],
];

export function heatColour(t: number): [number, number, number] {
  const x = Number.isFinite(t) ? Math.min(1, Math.max(0, t)) : 1;
  for (let i = 1; i < STOPS.length; i++) {
    const [t1, ...c1] = STOPS[i];
    if (x <= t1) {
      const [t0, ...c0] = STOPS[i - 1];
      const f = (x - t0) / (t1 - t0);
      return [0, 1, 2].map((k) => Math.round(c0[k] + (c1[k] - c0[k]) * f)) as [number, number, number];
    }
  }
  return [252, 255, 164];
}

/** The heatmap image (opaque RGBA8, w*h*4) of a per-pixel error array, saturating at `fullScale`. */
export function heatmapImage(error: Float32Array, fullScale = HEATMAP_FULL_SCALE): Uint8ClampedArray {
  const out = new Uint8ClampedArray(error.length * 4);
  for (let p = 0; p < error.length; p++) {
    const [r, g, b] = heatColour(error[p] / fullScale);
    out[p * 4] = r;
    out[p * 4 + 1] = g;
    out[p * 4 + 2] = b;
    out[p * 4 + 3] = 255;
  }
  return out;
}
