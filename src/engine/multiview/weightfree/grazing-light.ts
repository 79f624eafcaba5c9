/**
 * The face's outline in a frontal portrait is a few pixels where the cheek turns away: its shadow
 * against the ear and the jaw's underside. On the fitted head those pixels are painted over the
 * surface the portrait sees at a grazing angle, which wraps a long way round the side of the head: a
 * dark crescent from the temple to the jaw in every 60-110 degree view.
 *
 * Only that band is corrected: skin seen at facing (cosine to the input camera) under GRAZING_TO whose
 * luminance is under FLOOR of the same side's face-on skin (facing >= FACE_ON, median) is lifted to
 * that floor, fully below GRAZING_FROM. Skin seen more directly keeps the portrait's shading: brightening
 * the whole falloff (a measured gain up to 1.6 from facing 0.7 down) flattened the face and cost identity
 * at 33 degrees (hq-0003 0.65 -> 0.61).
 * Buffers: colour [n*3] straight RGB 0..255, facing [n] (0 where unseen), skin [n] and side [n] (0/1).
 */
import { rgbLuma } from '../../../shared/image';
import { smoothstep } from '../../../shared/smoothstep';

export const FACE_ON = 0.6;
export const GRAZING_FROM = 0.3;
export const GRAZING_TO = 0.4;
/** Grazing skin is lifted to at least this share of the face-on skin's median luminance. */
export const FLOOR = 0.8;
/** Fewest face-on skin samples for a side's reference. */
const MIN_REFERENCE = 200;

/** Median luminance of each side's face-on skin, or NaN where there are too few samples. */
export function faceOnSkinLuma(colour: Float32Array, facing: Float32Array, skin: Uint8Array, side: Uint8Array): [number, number] {
  const ref: number[][] = [[], []];
  for (let i = 0; i < facing.length; i++) if (skin[i] && facing[i] >= FACE_ON) ref[side[i]].push(rgbLuma(colour, i));
  return ref.map((r) => {
    if (r.length < MIN_REFERENCE) return NaN;
    const s = Float64Array.from(r).sort();
    return s[s.length >> 1];
  }) as [number, number];
}

/** Lifts dark grazing skin in place (see the file comment); returns how many samples were lifted. */
export function liftGrazingShadow(colour: Float32Array, facing: Float32Array, skin: Uint8Array, side: Uint8Array): number {
  const ref = faceOnSkinLuma(colour, facing, skin, side);
  let lifted = 0;
  for (let i = 0; i < facing.length; i++) {
    const f = facing[i];
    if (!skin[i] || f <= 0 || f >= GRAZING_TO) continue;
    const r = ref[side[i]];
    if (!(r > 0)) continue;
    const l = rgbLuma(colour, i);
    const floor = FLOOR * r;
    if (l >= floor) continue;
    const g = 1 + (floor / Math.max(1, l) - 1) * smoothstep(GRAZING_TO, GRAZING_FROM, f);
    for (let c = 0; c < 3; c++) colour[i * 3 + c] = Math.min(255, colour[i * 3 + c] * g);
    lifted++;
  }
  return lifted;
}
