/**
 * Is a pixel skin-coloured? Region labels below the chin are "clothing" for everything that is not
 * as bright as the face (a shadowed neck, an open collar's chest), so the torso's appearance decides
 * by colour: chromaticity (r, g shares) against the cheek skin's, with brightness counted only weakly
 * (shading changes brightness far more than chromaticity). The same measure as the preprocessing
 * regions (src/engine/preprocess/regions.ts), with a tolerance wide enough for shadowed skin.
 */
import type { Rgb } from './hair-model';

/** Distance in (8 x chromaticity, 0.7 x log brightness) under which a colour counts as skin. */
export const SKIN_TOLERANCE = 0.4;
/**
 * Wider, for the torso's observed texels: a neck under the chin is in shadow (Grace Hopper's mid-neck
 * at 0.22..0.5 from her cheeks), while clothing stays past it (a cream lace top in shadow 0.56, a
 * white shirt 0.9..1.2, a navy jacket 2.0).
 */
export const TORSO_SKIN_TOLERANCE = 0.5;

function features(r: number, g: number, b: number): [number, number, number] {
  const s = r + g + b + 3;
  return [(r + 1) / s, (g + 1) / s, Math.log(s)];
}

/** Distance between two colours in the shading-tolerant chromaticity measure. */
export function skinDistance(r: number, g: number, b: number, skin: Rgb): number {
  const f = features(r, g, b);
  const s = features(skin[0], skin[1], skin[2]);
  return Math.hypot(8 * (f[0] - s[0]), 8 * (f[1] - s[1]), 0.7 * (f[2] - s[2]));
}

export function isSkinLike(r: number, g: number, b: number, skin: Rgb, tolerance = SKIN_TOLERANCE): boolean {
  return skinDistance(r, g, b, skin) < tolerance;
}

/**
 * Generic skin colour test without a reference (normalised rg chromaticity, warm and not too dark):
 * what a profile falls back on when it has no cheek to compare with.
 */
export function isSkinColour(r: number, g: number, b: number): boolean {
  const s = r + g + b;
  if (s < 150 || r < 60) return false;
  const rn = r / s;
  const gn = g / s;
  return rn >= 0.36 && rn <= 0.6 && gn >= 0.26 && gn <= 0.37 && r - b >= 20;
}
