/**
 * Cel / toon shading: edge-preserving smoothing (Kuwahara), colour posterised to a small palette
 * chosen for this image (median cut, so skin stays skin instead of snapping to RGB corners), and
 * hard ink lines on luminance edges. Output colours are exactly the palette plus the ink colour, so
 * the "colours" setting bounds the palette (colours + 1).
 */
import type { RgbaImage } from '../image';
import { dilate, gaussianBlur, sobelMagnitude } from './kernels';
import { kuwahara } from './kuwahara';
import { copyImage, fromPlanes, luma, toPlanesOnWhite, validateStrength } from './planes';
import { mapToPalette, medianCutPalette } from './median-cut';

export interface CelOptions {
  /** 0 = the input unchanged; 1 = fewest bands, strongest ink. */
  strength: number;
  /** Palette size; default from strength: round(24 - 16 * strength) (8..24). */
  colours?: number;
  /** Draw ink edges (default true). */
  ink?: boolean;
}

/** Ink colour (sRGB 0..1): a warm near-black, like printed line art. */
export const INK_RGB: readonly [number, number, number] = [24 / 255, 20 / 255, 28 / 255];

/** Palette size used for a strength when none is given. */
export function celColours(strength: number): number {
  return Math.round(24 - 16 * strength);
}

/** Share of the image's pixels that may become ink: 3% at strength 0 -> 8% at 1. */
export function inkShare(strength: number): number {
  return 0.03 + 0.05 * strength;
}

/**
 * Ink mask (1 = ink), length width*height: Sobel magnitude of the sigma-1 blurred luma above a
 * threshold that falls with strength (0.3 at 0 -> 0.1 at 1), but never below the magnitude of the
 * image's strongest inkShare(strength) edges. The relative floor is why: a fixed threshold on a busy
 * photo (stubble, a spacesuit's folds) inked a quarter of the picture and turned faces into dark
 * blotches. Lines thicken to 3 px above strength 0.7 only on images of 384 px or more, so a line stays
 * about 1/256 of the picture wide.
 */
export function inkMask(y: Float32Array, width: number, height: number, strength: number): Uint8Array {
  const mag = sobelMagnitude(gaussianBlur(y, width, height, 1), width, height);
  const sorted = Float32Array.from(mag).sort();
  const relative = sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * (1 - inkShare(strength))))] ?? 0;
  const threshold = Math.max(0.3 - 0.2 * strength, relative);
  const mask = new Uint8Array(mag.length);
  for (let i = 0; i < mag.length; i++) mask[i] = mag[i] > threshold ? 1 : 0;
  return dilate(mask, width, height, strength > 0.7 && Math.min(width, height) >= 384 ? 1 : 0);
}

export function celShade(img: RgbaImage, opts: CelOptions): RgbaImage {
  validateStrength(opts.strength);
  const colours = opts.colours ?? celColours(opts.strength);
  if (!Number.isInteger(colours) || colours < 2 || colours > 256)
    throw new RangeError(`cel colours must be an integer in [2, 256], got ${colours}`);
  if (opts.strength === 0) return copyImage(img);
  const planes = toPlanesOnWhite(img);
  const smooth = kuwahara(planes, opts.strength < 0.5 ? 1 : 2);
  const out = mapToPalette(smooth, medianCutPalette(smooth, colours, 128));
  if (opts.ink ?? true) {
    // Ink from the smoothed picture: outlines and features, not skin pores or fabric texture.
    const mask = inkMask(luma(smooth), img.width, img.height, opts.strength);
    for (let i = 0; i < mask.length; i++) {
      if (!mask[i]) continue;
      out.r[i] = INK_RGB[0];
      out.g[i] = INK_RGB[1];
      out.b[i] = INK_RGB[2];
    }
  }
  return fromPlanes(out);
}
