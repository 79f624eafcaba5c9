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
 * (a broad, skin-only low-pass of the colour, so hair, brows and eyes do not set it; continued by
 * pull-push where the own side shows no skin; on the torso, measured on everything the portrait
 * shows of it, so a garment lit from one side keeps each side's light). Per channel,
 * not by luma: skin in shadow is warmer and more saturated than lit skin made darker (a luma gain
 * painted the shadowed side grey).
 *
 * Buffers: colour [n * 3] straight RGB 0..255, weight [n] 0..1, skin [n] 1 for skin texels, all on the
 * atlas grid (W columns wrapping round the head, rows not wrapping); gain [n * 3] per RGB channel.
 */
import { pullPush } from './inpaint';

/** Low-pass half-widths (texels): about 11 degrees of azimuth, 6 of polar angle on the 1024 x 512 head rows. */
const RADIUS_X = 32;
const RADIUS_Y = 16;
/** A borrowed colour is made at most this much brighter or darker. */
const MAX_GAIN = 3;
/** Share of a low-pass window that must be seen skin (weighted) for it to say anything. */
const MIN_SUPPORT = 0.05;

/** Box sums of f [W * rows] over (2 rx + 1) x (2 ry + 1), x wrapping, y clipped. */
function boxSum(f: Float64Array, W: number, rows: number, rx: number, ry: number): Float64Array {
  const tmp = new Float64Array(f.length);
  for (let y = 0; y < rows; y++) {
    let s = 0;
    for (let k = -rx; k <= rx; k++) s += f[y * W + ((k % W) + W) % W];
    for (let x = 0; x < W; x++) {
      tmp[y * W + x] = s;
      s += f[y * W + ((x + rx + 1) % W)] - f[y * W + (((x - rx) % W) + W) % W];
    }
  }
  const out = new Float64Array(f.length);
  for (let x = 0; x < W; x++) {
    let s = 0;
    for (let y = 0; y <= Math.min(rows - 1, ry); y++) s += tmp[y * W + x];
    for (let y = 0; y < rows; y++) {
      out[y * W + x] = s;
      if (y + ry + 1 < rows) s += tmp[(y + ry + 1) * W + x];
      if (y - ry >= 0) s -= tmp[(y - ry) * W + x];
    }
  }
  return out;
}

/**
 * Per texel i and channel, the factor for a colour borrowed from its mirror partner (column W - 1 - x,
 * same row): the skin's low-pass colour on i's side over that on the partner's side, in
 * [1 / MAX_GAIN, MAX_GAIN]; 1 where neither side shows skin nearby.
 */
export function mirrorShadingGain(
  colour: Float32Array,
  weight: Float32Array,
  skin: Uint8Array,
  W: number,
  rows: number,
): Float32Array {
  const n = W * rows;
  if (colour.length !== n * 3 || weight.length !== n || skin.length !== n)
    throw new RangeError(`mirrorShadingGain: buffers do not match a ${W} x ${rows} atlas`);
  const den = new Float64Array(n);
  for (let i = 0; i < n; i++) if (skin[i] && weight[i] > 0) den[i] = weight[i];
  const sDen = boxSum(den, W, rows, RADIUS_X, RADIUS_Y);
  const low = new Float32Array(n * 3);
  const num = new Float64Array(n);
  for (let c = 0; c < 3; c++) {
    for (let i = 0; i < n; i++) num[i] = den[i] * colour[i * 3 + c];
    const sNum = boxSum(num, W, rows, RADIUS_X, RADIUS_Y);
    for (let i = 0; i < n; i++) if (sDen[i] > 0) low[i * 3 + c] = sNum[i] / sDen[i];
  }
  // The low-pass where its window has support; pull-push carries it on to the rest.
  const support = MIN_SUPPORT * (2 * RADIUS_X + 1) * (2 * RADIUS_Y + 1);
  const lowW = new Float32Array(n);
  let any = false;
  for (let i = 0; i < n; i++) {
    if (sDen[i] < support) continue;
    lowW[i] = 1;
    any = true;
  }
  const gain = new Float32Array(n * 3).fill(1);
  if (!any) return gain;
  const filled = pullPush(low, lowW, W, rows);
  for (let i = 0; i < n; i++) {
    const x = i % W;
    const j = i - x + (W - 1 - x);
    for (let c = 0; c < 3; c++) {
      const own = filled[i * 3 + c];
      const partner = filled[j * 3 + c];
      if (own > 1 && partner > 1) gain[i * 3 + c] = Math.min(MAX_GAIN, Math.max(1 / MAX_GAIN, own / partner));
    }
  }
  return gain;
}
