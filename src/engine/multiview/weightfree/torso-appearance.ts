/**
 * Fill colour of the neck/shoulder stub's texels (torso rows of the atlas, proxy.ts) where the
 * portrait does not show them:
 *   - skin or clothing by colour, not by region label: the labels call everything below the chin that
 *     is not as bright as the face "clothing", shadowed neck and open-collar chest included
 *     (skin-colour.ts);
 *   - clothing: the colours at the stub's observed sides carried round the back row by row
 *     (side-continuation.ts), plus the clothing's own texture copied in patches from the portrait's
 *     clothing beside the body (patch-synthesis.ts); inside the observed span, a pull-push of the
 *     clothing seen there;
 *   - skin: the neck sections (at most NECK_WIDEN x the narrowest one) whose observed part is mostly
 *     skin are skin all round, and the skin share seen at the sides is carried round the back too,
 *     in the colour of the skin at the neck's observed sides (rows hidden under the jaw take the
 *     nearest observed row's); the neck tucked into the head round the back (the nape) in the skin
 *     each side of the face shows (`napeTones`), not in the neck's shadow under the jaw.
 * Buffers: [rows * ATLAS_WIDTH * 3] straight RGB 0..255, [rows * ATLAS_WIDTH] weights/kinds.
 */
import type { PreprocessResult } from '../../../shared/contracts/preprocess';
import { REGION } from '../../../shared/contracts/preprocess';
import { colourDistance, type Rgb } from './hair-model';
import { pullPush } from './inpaint';
import { CROP } from './landmarks';
import { preparePatchSource, synthesizeResidual } from './patch-synthesis';
import { ATLAS_WIDTH, atlasAngle, torsoRowSection, type HeadProxy } from './proxy';
import { valueNoise2 } from './random';
import { continueDown, continueSides } from './side-continuation';
import { isSkinLike } from './skin-colour';
import { smoothstep } from '../../../shared/smoothstep';

/** Half-width (atlas rows) of the smoothing of the torso's per-row skin share. */
const RING_SMOOTH = 8;
/** Rows sampled for the neck's skin colour, as a share of the crop below the chin. */
const NECK_SAMPLE = 0.06;
/** Torso sections up to this multiple of the narrowest section's width count as neck. */
const NECK_WIDEN = 1.35;
/** Sections over which the tucked neck's skin fades into the body's colours at the chin's row. */
const TUCK_FADE = 3;
/** Clothing texture is copied from this outer share of the body's width on each side of each row. */
const CLOTHING_SOURCE_SIDE = 0.35;
/** Rows this share of the crop below the chin (the collar, the neck's shadow) give no clothing texture. */
const COLLAR_SKIP = 0.08;
/** Side colours within GARMENT_NEAR (opponent units) of the garment are kept round the back, past GARMENT_FAR replaced. */
const GARMENT_NEAR = 30;
const GARMENT_FAR = 80;
/** Round the back (cos of the angle from the front, going from -> to) the clothing takes the back's lighting (garmentColours). */
const BACK_LIT_FROM = -0.2;
const BACK_LIT_TO = -0.8;
/** sin of the angle from the front over which the left and right garment colours blend. */
const SIDE_BLEND = 0.5;
/** Half-width (rad) of the front centre that decides the collar line, and the feather (rows) there. */
const COLLAR_FRONT = 0.35;
const COLLAR_FEATHER = 4;
/** Clothing texture at this share of its contrast: big folds copied at full strength read as stains. */
const CLOTHING_DETAIL = 0.5;

/**
 * Median colour of the neck's skin: skin-coloured matte pixels in the rows just below the chin,
 * within the neck's foreground run there, and no greener than they are red: beside a pale face the
 * chromaticity test also takes a lit white collar (facelift-mvd-000 seen from 45 degrees: the collar's
 * rgb(215, 221, 210) against a cheek of (224, 206, 191)), and the neck under the back of the head
 * was a grey-green band behind the ears. Skin is redder than it is green in shadow and in light.
 * Null without skin or landmarks' chin.
 */
export function neckSkinColour(
  pre: PreprocessResult,
  skin: Rgb | null,
  chinRow: number,
  chinU: number,
): Rgb | null {
  if (!skin) return null;
  const img = pre.image512.data;
  const matte = pre.matte512.data;
  const px: number[][] = [[], [], []];
  for (let v = Math.max(0, Math.ceil(chinRow)); v < Math.min(CROP, chinRow + NECK_SAMPLE * CROP); v++) {
    let l = Math.round(chinU);
    let r = l;
    while (l > 0 && matte[v * CROP + l - 1] > 0.5) l--;
    while (r < CROP - 1 && matte[v * CROP + r + 1] > 0.5) r++;
    for (let u = l; u <= r; u++) {
      const i = v * CROP + u;
      if (matte[i] > 0.9 && img[i * 4] >= img[i * 4 + 1] && isSkinLike(img[i * 4], img[i * 4 + 1], img[i * 4 + 2], skin))
        for (let c = 0; c < 3; c++) px[c].push(img[i * 4 + c]);
    }
  }
  if (px[0].length < 32) return null;
  return px.map((ch) => Float32Array.from(ch).sort()[ch.length >> 1]) as Rgb;
}

/**
 * Portrait pixels [CROP*CROP] to copy clothing texture from: below `chinRow`, confidently inside the
 * matte, not skin-coloured, and in the outer CLOTHING_SOURCE_SIDE of the row's foreground run on
 * either side (the jacket at the shoulders, not the shirt front and tie between the lapels).
 */
export function clothingSourceMask(pre: PreprocessResult, skin: Rgb | null, chinRow: number): Uint8Array {
  const mask = new Uint8Array(CROP * CROP);
  const img = pre.image512.data;
  const matte = pre.matte512.data;
  for (let v = Math.max(0, Math.ceil(chinRow + COLLAR_SKIP * CROP)); v < CROP; v++) {
    let l = -1,
      r = -1;
    for (let u = 0; u < CROP; u++) {
      if (matte[v * CROP + u] > 0.5) {
        if (l < 0) l = u;
        r = u;
      }
    }
    if (l < 0) continue;
    const side = CLOTHING_SOURCE_SIDE * (r - l + 1);
    for (let u = l; u <= r; u++) {
      if (u > l + side && u < r - side) continue;
      const i = v * CROP + u;
      if (matte[i] <= 0.9 || pre.regions[i] === REGION.hair) continue;
      if (skin && isSkinLike(img[i * 4], img[i * 4 + 1], img[i * 4 + 2], skin)) continue;
      mask[i] = 1;
    }
  }
  return mask;
}

/** Median RGB of the image pixels in `mask` [CROP*CROP] with columns in [u0, u1), or null under 64 of them. */
function maskedMedian(pre: PreprocessResult, mask: Uint8Array, u0 = 0, u1 = CROP): Rgb | null {
  const img = pre.image512.data;
  const px: number[][] = [[], [], []];
  for (let i = 0; i < mask.length; i++) {
    const u = i % CROP;
    if (mask[i] && u >= u0 && u < u1) for (let c = 0; c < 3; c++) px[c].push(img[i * 4 + c]);
  }
  if (px[0].length < 64) return null;
  return px.map((ch) => Float32Array.from(ch).sort()[ch.length >> 1]) as Rgb;
}

const luma = (c: Rgb) => 0.299 * c[0] + 0.587 * c[1] + 0.114 * c[2];

/**
 * The garment's colour on each side of the body (image left and right halves of the clothing source),
 * and the one the back takes. A portrait's key light falls on the front from one side: the lit side
 * shows the garment brighter, the shadowed side shows it under the ambient light alone, and the back,
 * turned away from the key light, is lit like the shadowed side. One median over both sides (a cream
 * lit side and its olive shadow) gave the back a grey neither side has. Evenly lit clothing has two
 * near-equal sides, so the choice changes nothing there. Null sides fall back to the other side.
 */
export function garmentColours(
  pre: PreprocessResult,
  clothingMask: Uint8Array,
): { left: Rgb; right: Rgb; back: Rgb } | null {
  const left = maskedMedian(pre, clothingMask, 0, CROP / 2);
  const right = maskedMedian(pre, clothingMask, CROP / 2, CROP);
  const l = left ?? right;
  const r = right ?? left;
  if (!l || !r) return null;
  return { left: l, right: r, back: luma(l) <= luma(r) ? l : r };
}

export interface TorsoObservation {
  rows: number;
  /** Observed colour [n*3] and weight [n] (direct or mirrored). */
  colour: Float32Array;
  weight: Float32Array;
  /** 1 where the observed texel is skin-coloured [n]. */
  skin: Uint8Array;
}

export function fillTorso(
  pre: PreprocessResult,
  proxy: HeadProxy,
  o: TorsoObservation,
  skinRef: Rgb | null,
  chinRow: number,
  seed: number,
  /** The skin each side of the face shows well, [subject's right, subject's left] (head-appearance.ts sideSkinTones), or null. */
  napeTones: [Rgb, Rgb] | null = null,
): Float32Array {
  const { rows, colour, weight } = o;
  const W = ATLAS_WIDTH;
  const n = W * rows;
  const skinW = new Float32Array(n);
  const clothW = new Float32Array(n);
  const observed = new Uint8Array(n);
  const clothMember = new Uint8Array(n);
  const indicator = new Float32Array(n * 3);
  for (let i = 0; i < n; i++) {
    if (weight[i] <= 0.05) continue;
    observed[i] = 1;
    if (o.skin[i]) skinW[i] = weight[i];
    else {
      clothW[i] = weight[i];
      clothMember[i] = 1;
    }
    indicator[i * 3] = o.skin[i] ? 1 : 0;
  }
  const anySkin = skinW.some((w) => w > 0);
  const anyCloth = clothW.some((w) => w > 0);
  const skinFill = pullPush(colour, anySkin ? skinW : clothW, W, rows);
  // Skin hidden from the input (round the back, beside the neck under the jaw) takes the neck's own
  // colour at its observed sides, not the pull-push average that the lit chin and chest brighten.
  const skinMember = new Uint8Array(n);
  for (let i = 0; i < n; i++) skinMember[i] = skinW[i] > 0 ? 1 : 0;
  const skinSidesColour = continueSides(colour, weight, anySkin ? skinMember : observed, W, rows);
  const clothInside = pullPush(colour, anyCloth ? clothW : skinW, W, rows);
  const clothSides = continueSides(colour, weight, anyCloth ? clothMember : observed, W, rows);
  // Skin share: local inside the observed span, the sides' share round the back.
  const obsW = new Float32Array(n);
  for (let i = 0; i < n; i++) obsW[i] = observed[i] ? weight[i] : 0;
  const skinInside = pullPush(indicator, obsW, W, rows);
  const skinSides = continueSides(indicator, weight, observed, W, rows);
  const { ring: ringSkin, neck } = neckRings(proxy, o, rows);
  // Below the collar line seen at the front the back is clothing: no skin ring at the neck's base.
  const collar = collarRow(o, rows);
  for (let y = 0; y < rows; y++) {
    const above = smoothstep(collar + COLLAR_FEATHER, collar - COLLAR_FEATHER, y);
    ringSkin[y] *= above;
    neck[y] *= above;
  }
  const clothingMask = clothingSourceMask(pre, skinRef, chinRow);
  const detail = synthesizeResidual(preparePatchSource(pre.image512, clothingMask), W, rows, seed + 11);
  // Round the back, a row's side colour far from the clothing beside the body (a shadowed neck side, a
  // collar, hair over the shoulder: Hopper's peach and brown rings) gives way to that clothing's colour.
  // Each side's colour is checked against the garment on the same side (a shadowed side is not "far"
  // from its garment), and the far back goes to the garment as the back is lit (garmentColours).
  const garment = garmentColours(pre, clothingMask);
  // Per atlas column: 0 on the body's image-left half (sin(psi) < 0; the subject's right on a frontal
  // portrait), 1 on its image-right half, blended across the front and back centre lines (no seam).
  const towardsRight = Float32Array.from({ length: W }, (_, x) =>
    smoothstep(-SIDE_BLEND, SIDE_BLEND, Math.sin(atlasAngle(x, W))),
  );
  const backCloth = new Float32Array(n * 3);
  const near: Rgb = [0, 0, 0];
  for (let i = 0; i < n; i++) {
    const r = clothSides.colour[i * 3],
      g = clothSides.colour[i * 3 + 1],
      b = clothSides.colour[i * 3 + 2];
    if (!garment) {
      for (let c = 0; c < 3; c++) backCloth[i * 3 + c] = clothSides.colour[i * 3 + c];
      continue;
    }
    const x = i % W;
    // Atlas x: the front is centred at W / 2. The garment of the texel's side.
    const psi = atlasAngle(x, W);
    const side = towardsRight[x];
    for (let c = 0; c < 3; c++) near[c] = garment.left[c] * (1 - side) + garment.right[c] * side;
    const t = smoothstep(GARMENT_NEAR, GARMENT_FAR, colourDistance(r, g, b, near));
    const rear = smoothstep(BACK_LIT_FROM, BACK_LIT_TO, Math.cos(psi));
    for (let c = 0; c < 3; c++) {
      const sideColour = clothSides.colour[i * 3 + c] * (1 - t) + near[c] * t;
      backCloth[i * 3 + c] = sideColour * (1 - rear) + garment.back[c] * rear;
    }
  }
  // Rows the portrait never shows (below the crop's bottom): the garment the last rows show, carried
  // straight down each column; round the back the sides' colours as before.
  const down = continueDown(colour, weight, anyCloth ? clothMember : observed, W, rows);
  const rowSeen = new Uint8Array(rows);
  for (let i = 0; i < n; i++) if (observed[i]) rowSeen[Math.floor(i / W)] = 1;
  // Per row, 1 on the sections above the chin's (the neck tucked into the head), fading over
  // TUCK_FADE sections; per column, 1 round the back.
  const nSec = proxy.torso ? proxy.torso.halfWidth.length : 1;
  const chin = proxy.torso ? proxy.torso.chin : -1;
  // The shoulders a camera above sees beside the head (sections riseFrom..chin) are not the neck: their
  // back is the garment's.
  const riseFrom = proxy.torso ? proxy.torso.riseFrom : chin;
  const tucked = Float32Array.from({ length: rows }, (_, y) => {
    const k = torsoRowSection(y, nSec, rows);
    return smoothstep(chin, chin - TUCK_FADE, k) * (riseFrom < chin ? smoothstep(riseFrom, riseFrom - TUCK_FADE, k) : 1);
  });
  const behind = Float32Array.from({ length: W }, (_, x) => smoothstep(0, -0.5, Math.cos(atlasAngle(x, W))));
  const out = new Float32Array(n * 3);
  for (let y = 0; y < rows; y++) {
    for (let x = 0; x < W; x++) {
      const i = y * W + x;
      const under = rowSeen[y] ? 0 : down.below[i];
      const back = clothSides.any ? clothSides.outside[i] : 0;
      const sBack = skinSides.any ? skinSides.outside[i] : 0;
      // Round the back, the sides' skin share only on the neck: shoulders stay clothing.
      // (squared: where the neck starts to widen into the shoulders the jacket wins already).
      const share = skinInside[i * 3] * (1 - sBack) + skinSides.colour[i * 3] * sBack * neck[y] * neck[y];
      // Round the back, the sections above the chin's row are the neck tucked into the head: skin. From
      // below they show between the hair and the collar, and in the clothing's colour they were a
      // turtleneck up to the hairline; at the front the portrait's own colours hold.
      const tuck = tucked[y] * behind[x];
      const ps = Math.max(ringSkin[y], Math.min(1, Math.max(0, share)), tuck);
      const mottle = 0.96 + 0.08 * valueNoise2(seed + 4, ((x + 0.5) / W) * 48, ((y + 0.5) / rows) * 24, 48);
      for (let c = 0; c < 3; c++) {
        const sides = clothInside[i * 3 + c] * (1 - back) + backCloth[i * 3 + c] * back;
        const cloth =
          sides * (1 - under) + down.colour[i * 3 + c] * under + CLOTHING_DETAIL * (1 - under) * detail[i * 3 + c];
        const sOut = skinSidesColour.any ? skinSidesColour.outside[i] : 0;
        let skinC = skinFill[i * 3 + c] * (1 - sOut) + skinSidesColour.colour[i * 3 + c] * sOut;
        if (napeTones) {
          // The nape is lit like the head round it, not like the neck's front in the jaw's shadow (a
          // dark red-brown band between a pale man's hair and his sweater, a leather collar from behind).
          // napeTones are [subject's right, subject's left]: the body's image-left and image-right halves.
          const nape = napeTones[0][c] * (1 - towardsRight[x]) + napeTones[1][c] * towardsRight[x];
          skinC = skinC * (1 - tuck) + nape * tuck;
        }
        out[i * 3 + c] = skinC * mottle * ps + cloth * (1 - ps);
      }
    }
  }
  return out;
}

/**
 * The collar line: the first torso atlas row, below observed skin at the front, whose front centre
 * (|psi| < COLLAR_FRONT rad, observed texels) is mostly not skin; `rows` when there is none (an open
 * neckline down to the crop). A collar rises at the back rather than falls, so round the back the
 * neck's skin ends here at the latest (Hopper's jacket back had a peach ring at the neck's base).
 */
export function collarRow(o: TorsoObservation, rows: number): number {
  const W = ATLAS_WIDTH;
  const half = Math.round((COLLAR_FRONT / (2 * Math.PI)) * W);
  let seenSkin = false;
  for (let y = 0; y < rows; y++) {
    let sw = 0,
      ss = 0;
    for (let x = W / 2 - half; x < W / 2 + half; x++) {
      const i = y * W + x;
      if (o.weight[i] <= 0.05) continue;
      sw += o.weight[i];
      if (o.skin[i]) ss += o.weight[i];
    }
    if (sw < 0.25 * half) continue;
    if (ss / sw >= 0.5) seenSkin = true;
    else if (seenSkin) return y;
  }
  return rows;
}

/**
 * Per torso atlas row [rows]: `neck`, 1 on narrow (neck) sections and 0 from NECK_WIDEN x the
 * narrowest one; `ring`, 1 where the stub is a neck whose observed part is
 * mostly skin, so the skin goes all the way round. Smoothed over +-RING_SMOOTH rows and never
 * increasing going down (skin at the neck, clothing below), so ragged colours cannot paint rings.
 */
function neckRings(
  proxy: HeadProxy,
  o: TorsoObservation,
  rows: number,
): { ring: Float32Array; neck: Float32Array } {
  const W = ATLAS_WIDTH;
  const rowW = new Float32Array(rows);
  const rowS = new Float32Array(rows);
  for (let y = 0; y < rows; y++) {
    for (let x = 0; x < W; x++) {
      const i = y * W + x;
      if (o.weight[i] <= 0.05) continue;
      rowW[y] += o.weight[i];
      if (o.skin[i]) rowS[y] += o.weight[i];
    }
  }
  const ring = new Float32Array(rows);
  const neckShare = new Float32Array(rows);
  const torso = proxy.torso;
  if (!torso) return { ring, neck: neckShare };
  const nSec = torso.halfWidth.length;
  const neckHalfWidth = Math.max(1, Math.min(...torso.halfWidth));
  let running = 1;
  for (let y = 0; y < rows; y++) {
    let sw = 0,
      ss = 0;
    for (let k = Math.max(0, y - RING_SMOOTH); k <= Math.min(rows - 1, y + RING_SMOOTH); k++) {
      sw += rowW[k];
      ss += rowS[k];
    }
    if (sw > 8) running = Math.min(running, smoothstep(0.45, 0.8, ss / sw));
    const k = Math.round(torsoRowSection(y, nSec, rows));
    const neck = smoothstep(NECK_WIDEN, 1, torso.halfWidth[k] / neckHalfWidth);
    neckShare[y] = neck;
    ring[y] = sw > 8 ? running * neck : 0;
  }
  return { ring, neck: neckShare };
}
