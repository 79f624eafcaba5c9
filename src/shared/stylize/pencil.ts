/**
 * Pencil sketch: the classic colour-dodge of the luma by its blurred negative (flat areas go to
 * paper white, edges keep graphite), darkened with strength, plus diagonal hatching in the
 * darkest tones. Strength 1 gives pure graphite on paper (r = g = b); lower strengths blend back
 * toward the input colour.
 */
import type { RgbaImage } from '../image';
import { gaussianBlur } from './kernels';
import { copyImage, fromPlanes, luma, toPlanesOnWhite, validateStrength } from './planes';

export interface PencilOptions {
  strength: number;
}

/** Grey sketch value in [0, 1] per pixel (length width*height) at full strength. */
export function pencilTone(y: Float32Array, width: number, height: number, strength: number): Float32Array {
  const inv = y.map((v) => 1 - v);
  const blurred = gaussianBlur(inv, width, height, 1.5 + 2.5 * strength);
  const shade = gaussianBlur(y, width, height, 3);
  const out = new Float32Array(y.length);
  const gamma = 1.5 + 1.5 * strength;
  for (let yy = 0; yy < height; yy++) {
    for (let x = 0; x < width; x++) {
      const i = yy * width + x;
      const dodge = Math.min(1, y[i] / Math.max(1e-3, 1 - blurred[i]));
      let v = dodge ** gamma;
      // Hatching: 45-degree lines every 5 px where the local tone is dark; darker tone, heavier line.
      const darkness = Math.max(0, 0.45 - shade[i]) / 0.45;
      if (darkness > 0 && (x + yy) % 5 === 0) v *= 1 - 0.5 * darkness;
      out[i] = v;
    }
  }
  return out;
}

export function pencilSketch(img: RgbaImage, opts: PencilOptions): RgbaImage {
  validateStrength(opts.strength);
  if (opts.strength === 0) return copyImage(img);
  const planes = toPlanesOnWhite(img);
  const tone = pencilTone(luma(planes), img.width, img.height, opts.strength);
  const s = opts.strength;
  const mix = (c: Float32Array) => c.map((v, i) => v + (tone[i] - v) * s);
  return fromPlanes({ ...planes, r: mix(planes.r), g: mix(planes.g), b: mix(planes.b) });
}
