/**
 * Fill colour of the head's texels (head rows of the atlas, proxy.ts) where the portrait does not
 * show them:
 *   - hair over the crown and the back above the nape (when the portrait has hair), elsewhere skin,
 *     from the observed hair indicator continued by pull-push;
 *   - hair colour: the observed hair continued by pull-push (the low frequencies) plus the hair's own
 *     texture, random patches of the portrait's confident hair pixels chosen by the seed
 *     (patch-synthesis.ts), reduced to their detail and drawn out into strands that fall from the
 *     crown, as long as the visible hair's strands are coherent and at its level of detail
 *     (hair-strands.ts): curls stay curls, short grey hair is not a stone print. Without enough
 *     hair pixels for whole patches: seeded strand noise coloured from the hair palette;
 *   - headwear (headwear.ts): above the band's lower edge the head is the hat all round, its colours
 *     at the observed sides carried round the back row by row (side-continuation.ts), plain (a badge or
 *     embroidery copied round the back would be invented detail); the hair only below it;
 *   - skin: the observed skin continued, with a faint seeded mottle; the underside darkened slightly.
 * Buffers: [HEAD_ROWS * ATLAS_WIDTH * 3] straight RGB 0..255, [HEAD_ROWS * ATLAS_WIDTH] scalars.
 */
import type { PreprocessResult } from '../../../shared/contracts/preprocess';
import { REGION } from '../../../shared/contracts/preprocess';
import { colourDistance, isConfidentHair, medianRgb, type HairModel, type Rgb } from './hair-model';
import type { Headwear } from './headwear';
import { observedNearby, pullPush } from './inpaint';
import { CROP, FACE_OVAL, landmarkG, LM, toHead } from './landmarks';
import {
  preparePatchSource,
  streakAlongY,
  synthesizeResidual,
  verticalAnisotropy,
  weightByTypicality,
  type PatchSource,
} from './patch-synthesis';
import { ATLAS_WIDTH, HEAD_ROWS, type HeadProxy } from './proxy';
import { valueNoise2 } from './random';
import { continueSides } from './side-continuation';
import { backOfHead, behindEars, hairlineAt, type Hairline } from './hair-line';
import { CONTRAST_RADIUS, hairDetailRms, hairStrandCoherence, strandsFromResidual, strandStreak } from './hair-strands';
import { smoothstep } from '../../../shared/smoothstep';

/**
 * Hair residuals are taken about the hair's mean within this radius (pixels): curls and strands keep
 * their contrast, large colour regions (hq-0001's dark roots over silver hair: a leopard print when
 * copied as such) do not travel.
 */
const HAIR_MEAN_RADIUS = 48;
/**
 * Straight hair: horizontal gradient energy of the hair texture at least this many times the vertical
 * (patch-synthesis.ts verticalAnisotropy); its residual is then smoothed along the strands over
 * 2 * STREAK_RADIUS + 1 rows, so the copies are streaks, not spots.
 */
const STRAIGHT_ANISOTROPY = 1.8;
const STREAK_RADIUS = 6;
/** Lengths must be at least this far (opponent units) from the cheek skin: ears, neck shadow stay out. */
const LENGTHS_SKIN_DISTANCE = 28;
/** Radius (texels of the 1024-wide atlas, ~8 degrees) of the neighbourhood that counts as observed. */
const SEEN_RADIUS = 24;
/**
 * cos of the azimuths from which the side of the head above its measured hairline is hair whatever
 * the portrait's edge-on view of it says (60 degrees from the face), whole from 80 degrees.
 */
const SIDE_FROM_COS = 0.5;
const SIDE_FULL_COS = 0.17;
/** Forehead-contour landmarks (the top of the face mesh). */
const FOREHEAD_CONTOUR = [10, 109, 67, 103, 54, 21, 338, 297, 332, 284, 251];

export interface HeadObservation {
  /** Observed colour [n*3] and weight [n] (direct or mirrored). */
  colour: Float32Array;
  weight: Float32Array;
  /** Observed kind [n]: 0 skin-like, 1 hair, 2 other. */
  kind: Uint8Array;
  /** Head-frame height of each texel's surface point [n] (pixels, up). */
  dirY: Float32Array;
}

export interface HeadFillOptions {
  seed: number;
  hairPresent: boolean;
  napeY: number;
  /** Where the hair ends round the head (hair-line.ts); default: at the nape prior all round. */
  hairline?: Hairline;
  /** Lowest hair seen (head-frame y, pixels): hair ends there. */
  hairBottomY?: number;
  hairModel: HairModel | null;
  headwear: Headwear | null;
  /** Skin colour of the neck (shadowed, darker than the face): the skin under the back of the head. */
  neckSkin: Rgb | null;
  /** The face's skin tone (median cheek skin): skin the portrait never showed (behind the ears). */
  skinTone: Rgb | null;
  /**
   * The skin tone each side of the head shows, [subject's right (atlas x < W/2), subject's left]
   * (sideSkinTones), where it differs from the face's median: a portrait lit from one side.
   */
  sideSkinTones?: [Rgb, Rgb] | null;
  /** Crop pixels [CROP*CROP] (1 = ear) of the fitted model's ears, left out of the hair's lengths. */
  earMask?: Uint8Array;
}

/** sin(phi) over which the two sides' skin tones blend across the face's and the back's centre lines. */
const SIDE_TONE_BLEND = 0.3;
/** The most a side's light darkens or brightens the neck's colour under the back of the head. */
const NECK_LIGHT_RANGE: [number, number] = [0.5, 2];
/** Texels that say what a side's skin is: skin-labelled, observed with weight and facing at least this. */
const SIDE_TONE_WEIGHT = 0.5;
const SIDE_TONE_FACING = 0.6;
/** Fewest such texels on each side for the sides' tones to be used. */
const MIN_SIDE_TONE_TEXELS = 2000;

/**
 * Median colour of the skin each side of the face shows well ([subject's right, subject's left], from
 * the head's atlas observation: colour [n*3], weight [n], region label [n], facing [n]), or null when
 * either side shows too little. A side-lit portrait's median cheek is the shadow's colour (the
 * ground-truth subject: rgb(105, 80, 63) for a lit side of about 200): the skin it never showed
 * behind the ear and under the jaw on its lit side was as dark as its shadowed side.
 */
export function sideSkinTones(
  colour: Float32Array,
  weight: Float32Array,
  label: Uint8Array,
  facing: Float32Array,
): [Rgb, Rgb] | null {
  const px: [number[], number[]] = [[], []];
  for (let i = 0; i < weight.length; i++) {
    if (label[i] !== REGION.skin || weight[i] < SIDE_TONE_WEIGHT || facing[i] < SIDE_TONE_FACING) continue;
    px[i % ATLAS_WIDTH < ATLAS_WIDTH / 2 ? 0 : 1].push(colour[i * 3], colour[i * 3 + 1], colour[i * 3 + 2]);
  }
  if (px[0].length < 3 * MIN_SIDE_TONE_TEXELS || px[1].length < 3 * MIN_SIDE_TONE_TEXELS) return null;
  return [medianRgb(px[0])!, medianRgb(px[1])!];
}

/**
 * Portrait pixels [CROP*CROP] of hair to copy, inside the matte (> 0.9):
 *   - 'lengths': the hair that continues round the back - beside and below the face (from the
 *     eyes down, outside the face oval's columns widened by 8% of its width), labelled hair and
 *     clearly not skin-coloured. Above the forehead the hair is often roots, a parting or a fringe
 *     in shadow (hq-0001: dark roots over silver lengths printed a dark knit on the back). Short
 *     hair has no lengths (fl-002's afro beside the temples is its rim-lit orange edge);
 *   - 'top': confidently hair-coloured pixels above the forehead (hair cut short at the sides);
 *   - under headwear either: the hair beside the face below the hat.
 * (Adding every hair-labelled pixel that is clearly not skin brought the rim light's white tips of
 * fl-002's curls round the back as white specks; the lengths exclude the top rows, where that rim is.)
 * `ears` (crop pixels, 1 = ear; the fitted model's, fitted-ears.ts earPixelMask) are never lengths: an
 * ear beside a short cut is dark, red and far from the cheek's colour, and was the back's whole hair.
 */
export function hairSourceMask(
  pre: PreprocessResult,
  model: HairModel | null,
  headwear: Headwear | null,
  part: 'lengths' | 'top' = 'top',
  ears?: Uint8Array,
): Uint8Array {
  const mask = new Uint8Array(CROP * CROP);
  if (!model) return mask;
  const img = pre.image512.data;
  const matte = pre.matte512.data;
  const lm = pre.face?.landmarks;
  const foreheadRow = lm ? Math.min(...FOREHEAD_CONTOUR.map((i) => lm[i * 3 + 1])) : CROP * 0.35;
  const eyeRow = lm ? Math.max(lm[LM.rightEyeOuter * 3 + 1], lm[LM.leftEyeOuter * 3 + 1]) : CROP * 0.45;
  const ovalX = lm ? FACE_OVAL.map((i) => lm[i * 3]) : [CROP * 0.3, CROP * 0.7];
  const margin = 0.08 * (Math.max(...ovalX) - Math.min(...ovalX));
  const faceCols = [Math.min(...ovalX) - margin, Math.max(...ovalX) + margin];
  for (let v = 0; v < CROP; v++) {
    if (headwear) {
      if (v < headwear.sideRows[0] || v >= headwear.sideRows[1]) continue;
    } else if (part === 'top' ? v >= foreheadRow : v < eyeRow) continue;
    for (let u = 0; u < CROP; u++) {
      if (headwear && u >= headwear.sideCols[0] && u <= headwear.sideCols[1]) continue;
      const i = v * CROP + u;
      if (matte[i] <= 0.9) continue;
      const r = img[i * 4],
        g = img[i * 4 + 1],
        b = img[i * 4 + 2];
      if (headwear || part === 'top') {
        if (isConfidentHair(model, r, g, b)) mask[i] = 1;
      } else if ((u < faceCols[0] || u > faceCols[1]) && !ears?.[i]) {
        if (pre.regions[i] === REGION.hair && colourDistance(r, g, b, model.skin) > LENGTHS_SKIN_DISTANCE)
          mask[i] = 1;
      }
    }
  }
  return mask;
}

/**
 * Least share of the portrait's hair-labelled pixels the lengths (hairSourceMask 'lengths') must make
 * up to be a tone of their own: long hair beside and below the face is a fifth to a third of the
 * hair; on short hair the 'lengths' are a few hundred pixels of ear shadow and rim light (under 2%),
 * on curls at the temples or a dark collar labelled hair about 6%.
 */
const LENGTHS_MIN_SHARE = 0.1;

/**
 * The hair's lengths as a tone of their own (median RGB of hairSourceMask 'lengths'), or null where
 * the portrait shows too few of them (short hair, headwear, no hair model). Long hair is often not
 * the colour of its top: dark roots over silver, ombre, sun-bleached ends (hair-model.ts isHairColour).
 */
export function lengthsTone(
  pre: PreprocessResult,
  model: HairModel | null,
  headwear: Headwear | null,
  ears?: Uint8Array,
): Rgb | null {
  if (!model || headwear) return null;
  const mask = hairSourceMask(pre, model, null, 'lengths', ears);
  if (!lengthsAreTheirOwn(pre, mask)) return null;
  const px: number[] = [];
  const img = pre.image512.data;
  for (let i = 0; i < mask.length; i++) if (mask[i]) px.push(img[i * 4], img[i * 4 + 1], img[i * 4 + 2]);
  return medianRgb(px);
}

/** Whether the lengths (a hairSourceMask 'lengths' [CROP*CROP]) make up LENGTHS_MIN_SHARE of the portrait's hair. */
function lengthsAreTheirOwn(pre: PreprocessResult, lengths: Uint8Array): boolean {
  let hair = 0;
  let n = 0;
  for (let i = 0; i < lengths.length; i++) {
    if (pre.regions[i] === REGION.hair && pre.matte512.data[i] > 0.9) hair++;
    n += lengths[i];
  }
  return n > 0 && n >= LENGTHS_MIN_SHARE * hair;
}

/**
 * The hair patch source: the lengths where they are a tone of their own (lengthsTone's share; a short
 * cut's few lengths are ear shadow and rim light), else the lengths and the top (also where the lengths
 * hold no whole patch); under headwear the hair beside the face. Its centres are weighted by how
 * typical they are of its colours - under headwear of its light side (the hair there is mostly in the
 * cap's shadow). `ears`: as hairSourceMask.
 */
export function hairPatchSource(
  pre: PreprocessResult,
  model: HairModel | null,
  headwear: Headwear | null,
  ears?: Uint8Array,
): { source: PatchSource; straight: boolean; mask: Uint8Array } {
  const mask = hairSourceMask(pre, model, headwear, 'lengths', ears);
  let src = preparePatchSource(pre.image512, mask, 'local', HAIR_MEAN_RADIUS);
  if (!headwear && (src.centres.length === 0 || !lengthsAreTheirOwn(pre, mask))) {
    const top = hairSourceMask(pre, model, null, 'top');
    for (let i = 0; i < mask.length; i++) mask[i] |= top[i];
    src = preparePatchSource(pre.image512, mask, 'local', HAIR_MEAN_RADIUS);
  }
  const straight = verticalAnisotropy(src, mask, CROP) > STRAIGHT_ANISOTROPY;
  if (straight) streakAlongY(src, mask, CROP, STREAK_RADIUS);
  return { source: weightByTypicality(src, pre.image512, mask, headwear ? 'light' : 'median'), straight, mask };
}

/** Head-frame height (pixels, up) of the headwear's lower edge at the temples, at the forehead's depth. */
export function headwearHeight(pre: PreprocessResult, proxy: HeadProxy, headwear: Headwear): number {
  const lm = pre.face?.landmarks;
  if (!lm) return Infinity;
  const top = landmarkG(lm, LM.foreheadTop);
  return toHead(proxy.shape.frame, [top[0], CROP / 2 - headwear.sideBottomRow, top[2]])[1];
}

/**
 * The light side of a hair palette [n*3] sorted by luminance (hair-model.ts): the mean of its
 * 65..85th percentile with the chroma about that mean's grey halved (lit hair, greyer than its shadow).
 */
export function lightSide(palette: Float32Array): Rgb {
  const n = palette.length / 3;
  const lo = Math.floor(0.65 * n),
    hi = Math.max(lo + 1, Math.floor(0.85 * n));
  const m: Rgb = [0, 0, 0];
  for (let k = lo; k < hi; k++) for (let c = 0; c < 3; c++) m[c] += palette[k * 3 + c] / (hi - lo);
  const grey = (m[0] + m[1] + m[2]) / 3;
  return m.map((v) => grey + 0.5 * (v - grey)) as Rgb;
}

/** Luminance of the RGB triple at offset k of `px`. */
const lumaOf = (px: Float32Array, k: number) => 0.299 * px[k] + 0.587 * px[k + 1] + 0.114 * px[k + 2];

/** Greyness limit ((max - min) / max) and least count of the lit grey hair beside the face. */
const GREY_SATURATION = 0.18;
const MIN_GREY_PIXELS = 100;

/**
 * The lit hair beside the face under headwear as a neutral grey, or null: the mean of the 60..90th
 * luminance percentile of the side region's greyish pixels (saturation under GREY_SATURATION, max
 * channel over 60, matte > 0.5: the wisps are thin), its chroma halved. Hopper's grey hair under the cap is mostly in
 * shadow and as warm as her skin, so the confident-hair median is a dark brown; its lit wisps are grey.
 */
export function litHairUnderHeadwear(pre: PreprocessResult, headwear: Headwear): Rgb | null {
  const img = pre.image512.data;
  const matte = pre.matte512.data;
  const px: Rgb[] = [];
  for (let v = Math.max(0, headwear.sideRows[0]); v < Math.min(CROP, headwear.sideRows[1]); v++) {
    for (let u = 0; u < CROP; u++) {
      if (u >= headwear.sideCols[0] && u <= headwear.sideCols[1]) continue;
      const i = v * CROP + u;
      if (matte[i] <= 0.5) continue;
      const r = img[i * 4],
        g = img[i * 4 + 1],
        b = img[i * 4 + 2];
      const mx = Math.max(r, g, b),
        mn = Math.min(r, g, b);
      if (mx > 60 && (mx - mn) / mx < GREY_SATURATION) px.push([r, g, b]);
    }
  }
  if (px.length < MIN_GREY_PIXELS) return null;
  px.sort((a, b) => a[0] + a[1] + a[2] - (b[0] + b[1] + b[2]));
  const lo = Math.floor(0.6 * px.length),
    hi = Math.floor(0.9 * px.length);
  const m: Rgb = [0, 0, 0];
  for (let k = lo; k < hi; k++) for (let c = 0; c < 3; c++) m[c] += px[k][c] / (hi - lo);
  const grey = (m[0] + m[1] + m[2]) / 3;
  return m.map((v) => grey + 0.5 * (v - grey)) as Rgb;
}

export function fillHead(
  pre: PreprocessResult,
  proxy: HeadProxy,
  o: HeadObservation,
  opts: HeadFillOptions,
): Float32Array {
  const W = ATLAS_WIDTH;
  const rows = HEAD_ROWS;
  const n = W * rows;
  const { colour, weight, kind, dirY } = o;
  // Per-kind continuation of the observed colours: skin (else other, else hair) and hair (else skin).
  const fillOf = (k: number): Float32Array | null => {
    const wk = new Float32Array(n);
    let any = false;
    for (let i = 0; i < n; i++) {
      if (kind[i] === k && weight[i] > 0.05) {
        wk[i] = weight[i];
        any = true;
      }
    }
    return any ? pullPush(colour, wk, W, rows) : null;
  };
  const hairObserved = fillOf(1);
  const skinFill = fillOf(0) ?? fillOf(2) ?? hairObserved ?? new Float32Array(n * 3);
  const hairFill = hairObserved ?? skinFill;
  // Hair probability: the observed hair indicator continued.
  const ind = new Float32Array(n * 3);
  const indW = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    if (weight[i] > 0.05) {
      indW[i] = weight[i];
      ind[i * 3] = kind[i] === 1 ? 1 : 0;
    }
  }
  const hairP = pullPush(ind, indW, W, rows);
  // 1 next to observed texels, 0 far from them (skin tone and hairline apply there).
  const near = observedNearby(weight, W, rows, SEEN_RADIUS);
  const seenNear = near.map((v) => smoothstep(0.03, 0.3, v));
  const hairline: Hairline = opts.hairline ?? { napeY: opts.napeY, sideY: [undefined, undefined] };
  const { source: hairSource, straight, mask: hairMask } = hairPatchSource(pre, opts.hairModel, opts.headwear, opts.earMask);
  // Straight hair: strands copied down the source as long chains (patch-synthesis.ts tileCentres);
  // then, whatever the hair, its detail only, flowing from the crown (hair-strands.ts).
  const hairDetail =
    hairSource.centres.length > 0
      ? strandsFromResidual(
          synthesizeResidual(hairSource, W, rows, opts.seed, straight),
          W,
          rows,
          strandStreak(hairStrandCoherence(pre.image512, hairMask)),
          hairDetailRms(pre.image512, hairMask, CONTRAST_RADIUS),
        )
      : null;
  const palette = opts.hairModel?.palette ?? new Float32Array(0);
  const paletteN = palette.length / 3;
  const paletteMean = [0, 1, 2].map((c) => {
    let s = 0;
    for (let k = 0; k < paletteN; k++) s += palette[k * 3 + c];
    return paletteN ? s / paletteN : 0;
  });
  // Under headwear the hair beside the face is mostly in the cap's shadow (Hopper's grey hair read
  // as brown): where none of it was seen, the strands are about its light side instead.
  const paletteLuma = 0.299 * paletteMean[0] + 0.587 * paletteMean[1] + 0.114 * paletteMean[2];
  const paletteBase = opts.headwear
    ? (litHairUnderHeadwear(pre, opts.headwear) ?? (paletteN > 16 ? lightSide(palette) : null))
    : null;
  // Headwear: its height, its colours continued round the back, its texture.
  const hat = opts.headwear;
  const hatY = hat ? headwearHeight(pre, proxy, hat) : Infinity;
  const hatFeather = 0.03 * proxy.shape.faceWidth;
  let hatInside: Float32Array | null = null;
  let hatSides: ReturnType<typeof continueSides> | null = null;
  if (hat) {
    const member = new Uint8Array(n);
    const mw = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      if (weight[i] > 0.05 && dirY[i] > hatY + hatFeather) {
        member[i] = 1;
        mw[i] = weight[i];
      }
    }
    hatInside = pullPush(colour, mw, W, rows);
    hatSides = continueSides(colour, weight, member, W, rows);
  }
  const out = new Float32Array(n * 3);
  const hairC = [0, 0, 0];
  // Per texel: the skin tone nothing showed takes, and the neck's colour under the back of the head.
  const toneC = [0, 0, 0];
  const neckC = [0, 0, 0];
  for (let y = 0; y < rows; y++) {
    const theta = (y + 0.5) / rows;
    for (let x = 0; x < W; x++) {
      const i = y * W + x;
      const u = (x + 0.5) / W;
      const phi = -Math.PI + 2 * Math.PI * u;
      // 0 at and in front of the ears' line, 1 round the back of the head.
      const rear = smoothstep(0.2, -0.5, Math.cos(phi));
      let ph = Math.min(1, Math.max(0, hairP[i * 3]));
      if (opts.hairPresent) {
        const line = hairlineAt(hairline, phi);
        const above = smoothstep(line, line + 0.15 * proxy.shape.faceWidth, dirY[i]);
        const crown = smoothstep(0.35, 0.75, dirY[i] / proxy.shape.prior.bTop);
        // Beside and behind the ears, far from anything observed, the continued hair indicator holds
        // only above the hairline (it carried the temples' hair down behind the ears of a short cut).
        // At the back of the head it stays: there it continues the hair the sides show below the nape
        // prior (short hair under a cap reaching the neck).
        const keep = above + (1 - above) * backOfHead(phi);
        ph *= seenNear[i] + (1 - seenNear[i]) * keep;
        // The side of the head above the side's measured hairline is hair: the portrait shows it
        // edge-on, and continued from the face's edge the indicator let skin through over the ears
        // of long hair. Where the side showed too little hair to measure, the prior stays the back's.
        const side = hairline.sideY[Math.sin(phi) < 0 ? 0 : 1] === undefined ? 0 : smoothstep(SIDE_FROM_COS, SIDE_FULL_COS, Math.cos(phi));
        ph = Math.max(ph, above * Math.max(rear, crown, side));
      }
      // Hair is no longer than the portrait shows it (a short cut leaves the neck bare). Behind the ears
      // it still reaches the nape's hairline: a frontal portrait sees a short cut's lowest hair at the
      // temples and sideburns, which are higher than its edge at the back of the neck, and cut off there
      // the back of the head showed a bowl of hair over a band of bare skin down to the collar.
      if (opts.hairBottomY !== undefined) {
        const behind = behindEars(phi);
        const bottom = opts.hairBottomY + (Math.min(opts.hairBottomY, hairline.napeY) - opts.hairBottomY) * behind;
        ph *= smoothstep(bottom - 0.04 * proxy.shape.faceWidth, bottom + 0.04 * proxy.shape.faceWidth, dirY[i]);
      }
      if (hairDetail) {
        // Copied hair over its own mean where nothing of it was seen, the observed hair's
        // continuation near where it was (hair probability from observation, not the prior).
        const seen = Math.min(1, Math.max(0, hairP[i * 3]));
        for (let c = 0; c < 3; c++)
          hairC[c] = hairSource.mean[c] * (1 - seen) + hairFill[i * 3 + c] * seen + hairDetail[i * 3 + c];
      } else if (ph > 0.001) {
        // Strands: fine across the meridians, long along them, seeded; colour by rank in the palette,
        // about the palette's base colour round the back (the hair probability is continued there by
        // pull-push, so it says nothing about how near observed hair is; the sides keep what was seen).
        const seen = Math.min(1, Math.max(0, hairP[i * 3])) * (1 - rear);
        const nz =
          0.5 * valueNoise2(opts.seed, u * 160, theta * 10, 160) +
          0.3 * valueNoise2(opts.seed + 1, u * 320, theta * 20, 320) +
          0.2 * valueNoise2(opts.seed + 2, u * 640, theta * 6, 640);
        const q = Math.min(1, Math.max(0, 0.5 + (nz - 0.5) * 2.2));
        const k = Math.floor(q * (paletteN - 1)) * 3;
        for (let c = 0; c < 3; c++) {
          const base = paletteBase
            ? paletteBase[c] * (1 - seen) + hairFill[i * 3 + c] * seen
            : hairFill[i * 3 + c];
          // Under headwear the palette runs from shadow to skin-warm wisps: its luminance only, halved.
          const dev =
            paletteN <= 16
              ? (nz - 0.5) * 60
              : paletteBase
                ? 0.5 * (lumaOf(palette, k) - paletteLuma)
                : (palette[k + c] - paletteMean[c]) * 0.8;
          hairC[c] = base + dev;
        }
      } else for (let c = 0; c < 3; c++) hairC[c] = hairFill[i * 3 + c];
      const mottle = 0.97 + 0.06 * valueNoise2(opts.seed + 3, u * 96, theta * 48, 96);
      // Soft ambient darkening under the head where nothing was observed.
      const ao = 0.82 + 0.18 * smoothstep(-0.9, 0.1, dirY[i] / proxy.shape.prior.bTop);
      const hp = hat ? smoothstep(hatY - hatFeather, hatY + hatFeather, dirY[i]) : 0;
      const back = hatSides && hatSides.any ? hatSides.outside[i] : 0;
      // Skin under the back of the head takes the neck's colour, so the nape meets the neck without a band.
      const nape = opts.neckSkin
        ? rear * smoothstep(opts.napeY + 0.1 * proxy.shape.faceWidth, opts.napeY - 0.2 * proxy.shape.faceWidth, dirY[i])
        : 0;
      // Skin nothing showed takes the face's skin tone rather than the pull-push of its nearest
      // observations: behind the ears those are the ear's and the temple's shadows seen edge-on, which
      // made the side of a short-haired head as dark as its hair.
      // Where the sides show their own light, each side's tone (blended across the front and back
      // centre lines).
      const seenSkin = opts.skinTone ? seenNear[i] : 1;
      const towardsLeft = smoothstep(-SIDE_TONE_BLEND, SIDE_TONE_BLEND, Math.sin(phi));
      // The neck under the back of the head in its side's light: the neck's own colour (under the
      // chin, in the chin's shadow) scaled by its side's tone over the face's, within NECK_LIGHT_RANGE.
      for (let c = 0; c < 3; c++) {
        toneC[c] = opts.sideSkinTones
          ? opts.sideSkinTones[0][c] * (1 - towardsLeft) + opts.sideSkinTones[1][c] * towardsLeft
          : (opts.skinTone?.[c] ?? 0);
        const gain =
          opts.sideSkinTones && opts.skinTone
            ? Math.min(NECK_LIGHT_RANGE[1], Math.max(NECK_LIGHT_RANGE[0], toneC[c] / Math.max(1, opts.skinTone[c])))
            : 1;
        neckC[c] = (opts.neckSkin?.[c] ?? 0) * gain;
      }
      for (let c = 0; c < 3; c++) {
        const skinBase = skinFill[i * 3 + c] * seenSkin + toneC[c] * (1 - seenSkin);
        const skinC =
          (opts.neckSkin ? skinBase * (1 - nape) + neckC[c] * nape : skinBase) * mottle;
        const bare = hairC[c] * ph + skinC * (1 - ph);
        const hatC =
          hp > 0 && hatInside && hatSides
            ? hatInside[i * 3 + c] * (1 - back) + hatSides.colour[i * 3 + c] * back * mottle
            : 0;
        out[i * 3 + c] = (hatC * hp + bare * (1 - hp)) * ao;
      }
    }
  }
  return out;
}
