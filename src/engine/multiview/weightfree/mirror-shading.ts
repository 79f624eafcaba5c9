/**
 * The portrait's light on each side of the face, for colours borrowed from the mirror side.
 *
 * Where the portrait sees a head point worse than its left-right mirror partner (the far cheek of a
 * turned face, the side towards the ear), the atlas takes the partner's colour (appearance.ts). A
 * portrait lit from one side then had its shadow copied onto the lit side, or its light onto the
 * shadowed one: facelift-mvd-000's lit right cheek, seen a little obliquely, took the shadowed left
 * cheek's colour and the head was dark from that side, where the light falls. The head's colours are
 * near symmetric, its light is not: a borrowed colour (skin, hair, ear alike) keeps its detail but is
 * scaled, channel by channel, to the light the portrait shows on its own side, measured on the skin
 * (a broad, skin-only low-pass of the colour, so hair, brows and eyes do not set it, and taken again
 * without the skin's own shadows; continued by pull-push where the own side shows no skin; on the
 * torso, measured on everything the portrait shows of it, so a garment lit from one side keeps each
 * side's light). Per channel, not by luma: skin in shadow is warmer and more saturated than lit skin made darker (a luma gain
 * painted the shadowed side grey).
 *
 * Buffers: colour [n * 3] straight RGB 0..255, weight [n] 0..1, skin [n] 1 for skin texels, all on the
 * atlas grid (W columns wrapping round the head, rows not wrapping); gain [n * 3] per RGB channel.
 */
import { rgbLuma } from '../../../shared/image';
import { smoothMeanWrapX } from './atlas-box';
import { pullPush } from './inpaint';
import { smoothstep } from '../../../shared/smoothstep';

/**
 * Low-pass box half-widths (texels), three passes (atlas-box.ts smoothMeanWrapX): a spread of about 6
 * degrees of azimuth and 3 of polar angle (standard deviation) on the 1024 x 512 head rows, that of the
 * single 32 x 16 box it replaces. One box painted the light of a few samples as a rectangle of their
 * mean: a 45-degree portrait's far cheek, seen in shadow beside the nose, was a brown box with hard
 * edges on the far side of every view from the front round to the far profile.
 */
const RADIUS_X = 18;
const RADIUS_Y = 9;
/** A borrowed colour is made at most this much brighter or darker. */
const MAX_GAIN = 3;
/**
 * Share of a low-pass window that must be seen skin (its mean weight) for it to say anything: on a
 * frontal face MIN_SUPPORT; on a turned one TURNED_MIN_SUPPORT. A turned face's far side shows its
 * skin only as the sliver beside the nose, grazing and in the nose's shadow: at the frontal share that
 * sliver set the far cheek's light, continued by pull-push over the whole far side, and every view
 * nearer the front had a grey smear from the nose to the jaw (a 45-degree photo and fixture heads
 * rendered 35 to 50 degrees round). The frontal share stays: at the turned one facelift-mvd-000's
 * frontal input lost 0.08 dB.
 */
export const MIN_SUPPORT = 0.05;
export const TURNED_MIN_SUPPORT = 0.4;
/** Skin darker than this share of its low-pass is the surface's own shadow, not the light. */
const TRIM = 0.75;

/**
 * How much of a borrowed colour's variation about its side's light survives a large gain: all of it up
 * to a gain (luma, either way) of DETAIL_GAIN_FROM, DETAIL_KEEP_MIN of it (as a power of the ratio) from
 * DETAIL_GAIN_TO on. The gain is a ratio of two broad low-passes; a far cheek lit by the portrait's light
 * borrowing from a near cheek in shadow took the shadow's own structure (the edge of the nose's shadow,
 * the dark rim by the ear, the warm shadowed skin's hue) multiplied by up to 3 and clipped channel by
 * channel: pale, pink and yellow blotches over facelift-mvd-000's far cheek from the temple to the jaw
 * in every view of that side.
 */
const DETAIL_GAIN_FROM = 1.3;
const DETAIL_GAIN_TO = 2.5;
export const DETAIL_KEEP_MIN = 0.2;

/**
 * Writes into out[0..2] the colour of texel j (colour [n * 3]) borrowed for texel i: its ratio to its own
 * side's light, compressed (DETAIL_KEEP_MIN) where i's gain (mirrorShadingGain) is large, times i's
 * light (mirrorShadingGain's `light`); then scaled as a whole, not clipped per channel, to stay within 255.
 */
export function borrowedColour(
  colour: Float32Array,
  j: number,
  gain: Float32Array,
  light: Float32Array,
  i: number,
  out: Float32Array | number[],
): void {
  const g = rgbLuma(gain, i);
  const m = Math.max(g, 1 / Math.max(1e-6, g));
  const keep = 1 - (1 - DETAIL_KEEP_MIN) * smoothstep(DETAIL_GAIN_FROM, DETAIL_GAIN_TO, m);
  for (let c = 0; c < 3; c++) {
    const shaded = colour[j * 3 + c] * gain[i * 3 + c];
    // shaded = light * ratio, ratio the partner's colour over its side's light; keep ratio^keep.
    const ratio = Math.max(1e-3, shaded / Math.max(1, light[i * 3 + c]));
    out[c] = shaded * Math.pow(ratio, keep - 1);
  }
  const top = Math.max(out[0], out[1], out[2]);
  if (top > 255) for (let c = 0; c < 3; c++) out[c] *= 255 / top;
}

/**
 * Per texel i and channel, the factor for a colour borrowed from its mirror partner (column
 * `partnerColumn(x, y)`, by default W - 1 - x, same row): the skin's low-pass colour on i's side over
 * that on the partner's side, in [1 / MAX_GAIN, MAX_GAIN]; 1 where neither side shows skin nearby.
 * `light` [n * 3], when given, receives the skin's low-pass colour on each texel's own side.
 */
export function mirrorShadingGain(
  colour: Float32Array,
  weight: Float32Array,
  skin: Uint8Array,
  W: number,
  rows: number,
  partnerColumn: (x: number, y: number) => number = (x) => W - 1 - x,
  minSupport = MIN_SUPPORT,
  light?: Float32Array,
): Float32Array {
  const n = W * rows;
  if (colour.length !== n * 3 || weight.length !== n || skin.length !== n)
    throw new RangeError(`mirrorShadingGain: buffers do not match a ${W} x ${rows} atlas`);
  // The skin's low-pass, then again without the skin far darker than it (TRIM): the broad light is
  // what a borrowed colour must take. The eye socket's shadow is the surface's own, and the borrowed
  // colour brings its own; kept in the window, it painted the light as a blob (a 45-degree portrait's
  // far eye socket, seen a little off where the fitted head puts it, was a dark patch over the brow
  // of every front view). Highlights stay: dropping them too removed the normal skin round a large
  // shadow, whose low-pass it darkened.
  const first = skinLowPass(colour, weight, skin, W, rows, minSupport);
  if (!first) return new Float32Array(n * 3).fill(1);
  const kept = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    if (!skin[i]) continue;
    const r = rgbLuma(colour, i) / Math.max(1, rgbLuma(first, i));
    kept[i] = r >= TRIM ? 1 : 0;
  }
  const filled = skinLowPass(colour, weight, kept, W, rows, minSupport) ?? first;
  light?.set(filled);
  const gain = new Float32Array(n * 3).fill(1);
  for (let i = 0; i < n; i++) {
    const x = i % W;
    const j = i - x + partnerColumn(x, (i - x) / W);
    for (let c = 0; c < 3; c++) {
      const own = filled[i * 3 + c];
      const partner = filled[j * 3 + c];
      if (own > 1 && partner > 1) gain[i * 3 + c] = Math.min(MAX_GAIN, Math.max(1 / MAX_GAIN, own / partner));
    }
  }
  return gain;
}

/**
 * The weighted low-pass of the skin texels' colour [n * 3], continued by pull-push where its window
 * has too little support; null where no skin is seen at all.
 */
function skinLowPass(
  colour: Float32Array,
  weight: Float32Array,
  skin: Uint8Array,
  W: number,
  rows: number,
  minSupport: number,
): Float32Array | null {
  const n = W * rows;
  // Weighted means over the window: colour x weight [n * 3], and the weight (channel 0 of [n * 3]).
  const num = new Float32Array(n * 3);
  const den = new Float32Array(n * 3);
  for (let i = 0; i < n; i++) {
    if (!skin[i] || weight[i] <= 0) continue;
    den[i * 3] = weight[i];
    for (let c = 0; c < 3; c++) num[i * 3 + c] = weight[i] * colour[i * 3 + c];
  }
  const mNum = smoothMeanWrapX(num, W, rows, RADIUS_X, RADIUS_Y);
  const mDen = smoothMeanWrapX(den, W, rows, RADIUS_X, RADIUS_Y);
  const low = new Float32Array(n * 3);
  const lowW = new Float32Array(n);
  let any = false;
  for (let i = 0; i < n; i++) {
    if (mDen[i * 3] < minSupport) continue;
    for (let c = 0; c < 3; c++) low[i * 3 + c] = mNum[i * 3 + c] / mDen[i * 3];
    lowW[i] = 1;
    any = true;
  }
  return any ? pullPush(low, lowW, W, rows) : null;
}
