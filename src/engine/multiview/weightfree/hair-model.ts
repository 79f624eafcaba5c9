/**
 * The portrait's hair colour, measured only where it is hair.
 *
 * The region labels from preprocessing are coarse: they call the forehead, the ears and parts of the
 * neck "hair". Statistics over hair-labelled pixels therefore drift towards skin (grey hair came out
 * brown, the back of a grey head skin-toned). Instead:
 *   - skin: the median colour of skin-labelled pixels on the cheeks (between the eyes and the mouth,
 *     inside the face's width), where the labels are reliable;
 *   - hair seed: the median of the matte's top band (from the top of the head down a third of the way
 *     to the forehead landmarks), which is hair whenever the subject has any on top;
 *   - candidates: matte pixels above the forehead contour, whatever their label;
 *   - two-means in an opponent colour space (luminance, red-blue, green-magenta; chroma weighted up so
 *     grey hair and pale skin separate): the skin centre stays fixed, the hair centre moves to the
 *     median of the pixels nearer to it;
 *   - a pixel is confidently hair when its distance to the hair centre is under HAIR_MARGIN times its
 *     distance to skin.
 * No hair model when the top band is skin-coloured (bald, shaved) or too few pixels qualify.
 */
import { REGION, type PreprocessResult } from '../../../shared/contracts/preprocess';
import { CROP, LM } from './landmarks';
import { hairDetailRms } from './hair-strands';

export type Rgb = [number, number, number];

export interface HairModel {
  /** Per-channel median RGB (0..255) of the confident hair pixels. */
  reference: Rgb;
  /** Median cheek skin RGB. */
  skin: Rgb;
  /**
   * Confident hair pixel colours sorted by luminance, 10th..97th percentile, Float32Array [n * 3] RGB
   * (the strand palette).
   */
  palette: Float32Array;
}

/** Forehead-contour landmarks: the top of the face mesh. */
const FOREHEAD_CONTOUR = [10, 109, 67, 103, 54, 21, 338, 297, 332, 284, 251];
/** Hair must be this much nearer (relative distance) to the hair centre than to skin. */
export const HAIR_MARGIN = 0.7;
/** Minimum distance (opponent units) between the hair seed and skin for hair to exist at all. */
const MIN_SEPARATION = 28;
/** Box radius (px) of the fine-detail measure that tells strands from bare scalp. */
const DETAIL_RADIUS = 3;
/** A band with this many times the cheek's fine detail shows strands (fixtures' hair: 1.2-3x). */
const TEXTURED_BAND = 1.5;

/** Opponent-space distance between two RGB colours (chroma weighted 1.5x). */
export function colourDistance(r: number, g: number, b: number, c: Rgb): number {
  const dr = r - c[0],
    dg = g - c[1],
    db = b - c[2];
  const dl = (dr + dg + db) / 3;
  const c1 = dr - db;
  const c2 = dg - (dr + db) / 2;
  return Math.hypot(dl, 1.5 * c1, 1.5 * c2);
}

/** Per-channel median of packed RGB samples [r, g, b, r, g, b, ...]; null without samples. */
export function medianRgb(px: number[]): Rgb | null {
  const n = px.length / 3;
  if (n < 1) return null;
  const out: Rgb = [0, 0, 0];
  for (let c = 0; c < 3; c++) {
    const ch = new Float32Array(n);
    for (let k = 0; k < n; k++) ch[k] = px[k * 3 + c];
    ch.sort();
    out[c] = ch[n >> 1];
  }
  return out;
}

/** The colour is HAIR_MARGIN times nearer the hair tone `hair` than the skin. */
function nearerHairThanSkin(hair: Rgb, skin: Rgb, r: number, g: number, b: number): boolean {
  return colourDistance(r, g, b, hair) < HAIR_MARGIN * colourDistance(r, g, b, skin);
}

export function isConfidentHair(model: HairModel | null, r: number, g: number, b: number): boolean {
  return model !== null && nearerHairThanSkin(model.reference, model.skin, r, g, b);
}

/**
 * isConfidentHair, or - where the portrait shows the hair's lengths in a second tone (`lengths`,
 * head-appearance.ts lengthsTone: dark roots over silver, ombre, highlights) - as near that tone by
 * the same margin. The model's reference is the top of the head, so silver lengths under dark roots
 * were nearer the skin than the roots and read as skin: the fill grew a skin band over the ears under
 * long hair.
 */
export function isHairColour(
  model: HairModel | null,
  lengths: Rgb | null,
  r: number,
  g: number,
  b: number,
): boolean {
  return (
    isConfidentHair(model, r, g, b) ||
    (model !== null && lengths !== null && nearerHairThanSkin(lengths, model.skin, r, g, b))
  );
}

/**
 * Median cheek skin RGB (skin-labelled matte pixels between the eyes and the mouth, inside the face's
 * width; the middle of the crop without landmarks), or null when there is none.
 */
export function cheekSkin(pre: PreprocessResult): Rgb | null {
  return medianRgb(cheekSkinSamples(pre));
}

/**
 * The lit cheek: the median of the brighter half of the cheek samples. A face lit from one side has
 * its median cheek in the shadow's colour (facelift-mvd-000's side-lit front: rgb(105, 80, 63) for
 * cheeks of about 200 on the lit side), as dark as red-brown hair.
 */
export function litCheekSkin(pre: PreprocessResult): Rgb | null {
  return brighterHalfMedian(cheekSkinSamples(pre));
}

/** Per-channel median of the brighter half (by R + G + B) of packed RGB samples; null without samples. */
function brighterHalfMedian(px: number[]): Rgb | null {
  const n = px.length / 3;
  const luma = Float32Array.from({ length: n }, (_, k) => px[k * 3] + px[k * 3 + 1] + px[k * 3 + 2]);
  const order = Array.from({ length: n }, (_, k) => k).sort((a, b) => luma[a] - luma[b]);
  const lit: number[] = [];
  for (const k of order.slice(n >> 1)) lit.push(px[k * 3], px[k * 3 + 1], px[k * 3 + 2]);
  return medianRgb(lit);
}

/** Skin-labelled matte pixels of the cheeks [CROP*CROP] 0/1 (see cheekSkin for the region). */
function cheekSkinMask(pre: PreprocessResult): Uint8Array {
  const matte = pre.matte512.data;
  const lm = pre.face?.landmarks ?? null;
  const top = lm ? Math.max(lm[LM.rightEyeOuter * 3 + 1], lm[LM.leftEyeOuter * 3 + 1]) + 8 : CROP * 0.35;
  const bottom = lm ? lm[13 * 3 + 1] : CROP * 0.6;
  const left = lm ? Math.min(lm[LM.rightCheekSide * 3], lm[LM.leftCheekSide * 3]) : 0;
  const right = lm ? Math.max(lm[LM.rightCheekSide * 3], lm[LM.leftCheekSide * 3]) : CROP;
  const mask = new Uint8Array(CROP * CROP);
  for (let v = Math.max(0, Math.floor(top)); v < Math.min(CROP, bottom); v++) {
    for (let u = Math.max(0, Math.floor(left)); u < Math.min(CROP, right); u++) {
      const i = v * CROP + u;
      if (pre.regions[i] === REGION.skin && matte[i] > 0.9) mask[i] = 1;
    }
  }
  return mask;
}

/** The cheek mask's pixels (cheekSkinMask unless given), packed RGB in row order. */
function cheekSkinSamples(pre: PreprocessResult, mask = cheekSkinMask(pre)): number[] {
  const img = pre.image512.data;
  const px: number[] = [];
  for (let i = 0; i < mask.length; i++) if (mask[i]) px.push(img[i * 4], img[i * 4 + 1], img[i * 4 + 2]);
  return px;
}

/**
 * The skin the top band's colour `hair` is told apart from, or null when the band is bare scalp:
 *   - the median cheek when the band is far enough from it;
 *   - else the lit cheek (a side-lit face's median cheek is in the shadow's colour, in the middle of
 *     red-brown hair's range: facelift-mvd-000's front view) when the band is far enough from that and
 *     shows strands: its fine detail (hair-strands.ts hairDetailRms) at least TEXTURED_BAND times the
 *     cheek's. A bald scalp is as smooth as the cheek, so its colour alone must set it apart.
 * `cheek`: the cheek mask, its pixels and their median, as fitHairModel already has them.
 */
function skinToTellHairFrom(
  pre: PreprocessResult,
  hair: Rgb,
  cheek: { mask: Uint8Array; samples: number[]; median: Rgb },
  bandTop: number,
  bandBottom: number,
): Rgb | null {
  if (colourDistance(hair[0], hair[1], hair[2], cheek.median) >= MIN_SEPARATION) return cheek.median;
  const lit = brighterHalfMedian(cheek.samples);
  if (!lit || colourDistance(hair[0], hair[1], hair[2], lit) < MIN_SEPARATION) return null;
  return showsStrands(pre, [Math.floor(bandTop), Math.ceil(bandBottom)], [0, CROP], cheek.mask) ? lit : null;
}

/**
 * Whether the matte's pixels in rows [rows[0], rows[1]) x columns [cols[0], cols[1]) show hair's
 * strands: their fine detail (hair-strands.ts hairDetailRms) at least TEXTURED_BAND times the cheek's
 * (`cheekMask`, default cheekSkinMask). Skin and cloth are smooth beside it; a crown of hair is not.
 */
export function showsStrands(
  pre: PreprocessResult,
  rows: readonly [number, number],
  cols: readonly [number, number],
  cheekMask: Uint8Array = cheekSkinMask(pre),
): boolean {
  const band = new Uint8Array(CROP * CROP);
  for (let v = Math.max(0, rows[0]); v < Math.min(CROP, rows[1]); v++)
    for (let u = Math.max(0, cols[0]); u < Math.min(CROP, cols[1]); u++)
      band[v * CROP + u] = pre.matte512.data[v * CROP + u] > 0.9 ? 1 : 0;
  const cheekRms = hairDetailRms(pre.image512, cheekMask, DETAIL_RADIUS);
  return cheekRms > 0 && hairDetailRms(pre.image512, band, DETAIL_RADIUS) >= TEXTURED_BAND * cheekRms;
}

/** Where the hair is under headwear (headwear.ts): its colour and the side region it was seen in. */
export interface HairUnderHeadwear {
  sideHair: Rgb;
  sideRows: [number, number];
  sideCols: [number, number];
}

export function fitHairModel(
  pre: PreprocessResult,
  underHeadwear?: HairUnderHeadwear | null,
): HairModel | null {
  if (underHeadwear) return fitHairUnderHeadwear(pre, underHeadwear);
  const img = pre.image512.data;
  const matte = pre.matte512.data;
  const lm = pre.face?.landmarks ?? null;
  const foreheadRow = lm ? Math.min(...FOREHEAD_CONTOUR.map((i) => lm[i * 3 + 1])) : CROP * 0.35;
  const cheekMask = cheekSkinMask(pre);
  const skinPx = cheekSkinSamples(pre, cheekMask);
  let matteTop = -1;
  for (let i = 0; i < CROP * CROP && matteTop < 0; i++) if (matte[i] > 0.9) matteTop = Math.floor(i / CROP);
  if (matteTop < 0 || matteTop >= foreheadRow) return null;
  const bandBottom = matteTop + Math.max(4, (foreheadRow - matteTop) / 3);
  const seedPx: number[] = [];
  for (let v = matteTop; v < bandBottom; v++) {
    for (let u = 0; u < CROP; u++) {
      const i = v * CROP + u;
      if (matte[i] > 0.9) seedPx.push(img[i * 4], img[i * 4 + 1], img[i * 4 + 2]);
    }
  }
  const cheek = medianRgb(skinPx);
  let hair = medianRgb(seedPx);
  if (!cheek || !hair || seedPx.length < 3 * 32) return null;
  const skin = skinToTellHairFrom(pre, hair, { mask: cheekMask, samples: skinPx, median: cheek }, matteTop, bandBottom);
  if (!skin) return null;
  // Candidates: inside the matte, above the forehead contour (hair-labelled pixels lower down are
  // too often ears, neck shadow or beard).
  const cand: number[] = [];
  for (let i = 0; i < Math.floor(foreheadRow) * CROP; i++) {
    if (matte[i] > 0.9) cand.push(img[i * 4], img[i * 4 + 1], img[i * 4 + 2]);
  }
  let confident: number[] = [];
  for (let it = 0; it < 3; it++) {
    const model: HairModel = { reference: hair, skin, palette: new Float32Array(0) };
    confident = [];
    for (let k = 0; k < cand.length; k += 3) {
      if (isConfidentHair(model, cand[k], cand[k + 1], cand[k + 2]))
        confident.push(cand[k], cand[k + 1], cand[k + 2]);
    }
    const next = medianRgb(confident);
    if (!next) return null;
    hair = next;
  }
  return finishModel(hair, skin, confident);
}

/**
 * Under headwear the top band is the hat: the seed is the hair seen beside the face below it, the
 * candidates the matte pixels of that side region.
 */
function fitHairUnderHeadwear(pre: PreprocessResult, h: HairUnderHeadwear): HairModel | null {
  const img = pre.image512.data;
  const matte = pre.matte512.data;
  const skin = cheekSkin(pre);
  if (!skin || colourDistance(h.sideHair[0], h.sideHair[1], h.sideHair[2], skin) < MIN_SEPARATION)
    return null;
  const cand: number[] = [];
  for (let v = Math.max(0, h.sideRows[0]); v < Math.min(CROP, h.sideRows[1]); v++) {
    for (let u = 0; u < CROP; u++) {
      if (u >= h.sideCols[0] && u <= h.sideCols[1]) continue;
      const i = v * CROP + u;
      if (matte[i] > 0.9) cand.push(img[i * 4], img[i * 4 + 1], img[i * 4 + 2]);
    }
  }
  const model: HairModel = { reference: h.sideHair, skin, palette: new Float32Array(0) };
  const confident: number[] = [];
  for (let k = 0; k < cand.length; k += 3)
    if (isConfidentHair(model, cand[k], cand[k + 1], cand[k + 2]))
      confident.push(cand[k], cand[k + 1], cand[k + 2]);
  return finishModel(h.sideHair, skin, confident, 16);
}

/** The model from its confident pixels [n*3]: null under `minPixels`; the palette sorted and trimmed. */
function finishModel(hair: Rgb, skin: Rgb, confident: number[], minPixels = 64): HairModel | null {
  if (confident.length < 3 * minPixels) return null;
  const n = confident.length / 3;
  const order = Array.from({ length: n }, (_, k) => k);
  const luma = (k: number) =>
    0.299 * confident[k * 3] + 0.587 * confident[k * 3 + 1] + 0.114 * confident[k * 3 + 2];
  order.sort((a, b) => luma(a) - luma(b));
  // Trimmed: the darkest tenth (shadowed roots, the matte's dark fringe) and the brightest few
  // percent (specular glints) would print as blotches when stretched over the whole back of the head.
  const lo = Math.floor(0.1 * n);
  const hi = Math.ceil(0.97 * n);
  const palette = new Float32Array((hi - lo) * 3);
  for (let j = lo; j < hi; j++)
    palette.set(
      [confident[order[j] * 3], confident[order[j] * 3 + 1], confident[order[j] * 3 + 2]],
      (j - lo) * 3,
    );
  return { reference: hair, skin, palette };
}
