/**
 * Long hair below the chin. The colour labelling calls everything below the chin that is not skin
 * "clothing", so hair hanging over the shoulders and down the chest was clothing and the head's hair
 * ended at the jaw. Here hair grows down from the hair beside the face at the chin's height, through
 * pixels whose colour is the hair's and nearer to it than to the garment at the chest's centre, to at
 * most MAX_BELOW face widths below the chin, on the sides whose outline the hair forms from the eyes to
 * the chin (short hair leaves ears and neck there). It never enters the column under the face near the chin
 * (a beard or the neck's shadow there says nothing about the length of the hair).
 *
 * Buffers: labels Uint8Array [W*H] (REGION values, changed in place), image RGBA [W*H*4],
 * matte Float32Array [W*H].
 */
import { REGION } from '../../shared/contracts/preprocess';
import { floodFill4 } from './flood-fill';

/** Colour feature (chromaticity r, g and log brightness): shading moves brightness more than chromaticity. */
export type ColourFeature = [number, number, number];

export function colourFeature(r: number, g: number, b: number): ColourFeature {
  const s = r + g + b + 3;
  return [(r + 1) / s, (g + 1) / s, Math.log(s)];
}

/** Weights of the chromaticity and the log brightness in the colour distances. */
const HUE_WEIGHT = 8;
const BRIGHTNESS_WEIGHT = 0.7;

export function featureDistance(a: ColourFeature, b: ColourFeature): number {
  return Math.hypot(HUE_WEIGHT * (a[0] - b[0]), HUE_WEIGHT * (a[1] - b[1]), BRIGHTNESS_WEIGHT * (a[2] - b[2]));
}

/** Distance of two colours' chromaticities alone (featureDistance without brightness): a hue in light or shadow. */
export function hueDistance(a: ColourFeature, b: ColourFeature): number {
  return Math.hypot(HUE_WEIGHT * (a[0] - b[0]), HUE_WEIGHT * (a[1] - b[1]));
}

/** Hair reaches at most this many face widths below the chin (to mid-chest). */
const MAX_BELOW = 3;
/** Half-width (face widths) of the column under the face that seeds nothing, and how far below the chin it holds. */
const FACE_COLUMN = 0.35;
const FACE_COLUMN_DEPTH = 0.6;
/** Seeds: hair within this many face widths above the chin, on a side the hair frames. */
const SEED_BAND = 0.25;
/**
 * Colour distance within which two colours are the same material (the skin test's tolerance in
 * regions.ts): the side's hair must be the scalp hair's colour (a mean over a hat, or a many-coloured
 * mane, is no colour to grow from), and hanging hair is within 1.3x of it.
 */
export const SAME_COLOUR = 0.35;
/** A pixel is hair-coloured within this quantile of the scalp hair's own distances to the hair colour. */
const TOLERANCE_QUANTILE = 0.9;

/**
 * What the labelling passes after the colour test (long hair below the chin here, the garment beside
 * the face in garment-beside-face.ts) read of the crop and its face: one object built in regions.ts.
 */
export interface LabelPassInput {
  labels: Uint8Array;
  image: Uint8Array | Uint8ClampedArray;
  matte: Float32Array;
  width: number;
  height: number;
  /** Image row of the chin. */
  chinY: number;
  /** Image column of the face's centre and the face's width (px). */
  centreU: number;
  faceWidth: number;
  hairColour: ColourFeature;
  /** Image row of the eyes: the scalp's hair is above it, the face's sides between it and the chin. */
  eyeY: number;
}

/** A side is framed by hair when its outline is hair on at least this share of the rows from the eyes to the chin. */
const FRAMED_SHARE = 0.7;
/** Pixels of the outline's band checked per row; hair on a third of them makes the row's outline hair. */
const OUTLINE_BAND = 12;

/**
 * Which sides of the face long hair frames: the outermost foreground pixel of the rows between the
 * eyes and the chin is hair on most of them. Short hair leaves the ears and the neck on the outline.
 */
export function hairFramedSides(
  labels: Uint8Array,
  matte: Float32Array,
  W: number,
  eyeY: number,
  chinY: number,
): { left: boolean; right: boolean } {
  let rows = 0;
  let left = 0;
  let right = 0;
  for (let y = Math.max(0, Math.ceil(eyeY)); y <= Math.floor(chinY); y++) {
    let l = -1;
    let r = -1;
    for (let x = 0; x < W; x++)
      if (matte[y * W + x] > 0.5) {
        if (l < 0) l = x;
        r = x;
      }
    if (l < 0) continue;
    rows++;
    // The outline's band, not its edge pixel: the edge blends with the background, and pale hair
    // there reads as skin on every other row.
    let hl = 0;
    let hr = 0;
    for (let k = 0; k < OUTLINE_BAND; k++) {
      if (labels[y * W + Math.min(r, l + k)] === REGION.hair) hl++;
      if (labels[y * W + Math.max(l, r - k)] === REGION.hair) hr++;
    }
    if (hl >= OUTLINE_BAND / 3) left++;
    if (hr >= OUTLINE_BAND / 3) right++;
  }
  return { left: rows > 0 && left / rows >= FRAMED_SHARE, right: rows > 0 && right / rows >= FRAMED_SHARE };
}

export function labelHangingHair(p: LabelPassInput): number {
  const { labels, image, matte, width: W, height: H, chinY, centreU, faceWidth, hairColour } = p;
  const feat = (i: number) => colourFeature(image[i * 4], image[i * 4 + 1], image[i * 4 + 2]);
  const inFaceColumn = (x: number, y: number) =>
    Math.abs(x - centreU) < FACE_COLUMN * faceWidth && y < chinY + FACE_COLUMN_DEPTH * faceWidth;
  const framed = hairFramedSides(labels, matte, W, p.eyeY, chinY);
  if (!framed.left && !framed.right) return 0;
  // How far the scalp's hair colours stray from their mean: hanging hair is within that.
  const scalp: number[] = [];
  for (let i = 0; i < Math.max(0, Math.floor(p.eyeY)) * W; i++)
    if (labels[i] === REGION.hair) scalp.push(featureDistance(feat(i), hairColour));
  if (scalp.length < 50) return 0;
  scalp.sort((a, b) => a - b);
  const tolerance = Math.min(SAME_COLOUR * 1.3, scalp[Math.floor(TOLERANCE_QUANTILE * (scalp.length - 1))]);
  // Seeds: hair just above the chin on the sides the hair frames, in the scalp hair's colour (hair
  // under a hat is not the hat's colour; a shadowed neck beside the jaw is not the hair's).
  const seeds: number[] = [];
  const y0 = Math.max(0, Math.floor(chinY - SEED_BAND * faceWidth));
  const y1 = Math.min(H - 1, Math.floor(chinY));
  for (const side of ['left', 'right'] as const) {
    if (!framed[side]) continue;
    const mine: number[] = [];
    const dist: number[] = [];
    for (let y = y0; y <= y1; y++)
      for (let x = 0; x < W; x++) {
        const i = y * W + x;
        if (labels[i] !== REGION.hair || inFaceColumn(x, y) || x < centreU !== (side === 'left')) continue;
        mine.push(i);
        dist.push(featureDistance(feat(i), hairColour));
      }
    if (mine.length < 20) continue;
    dist.sort((a, b) => a - b);
    if (dist[dist.length >> 1] <= SAME_COLOUR) seeds.push(...mine);
  }
  if (seeds.length === 0) return 0;
  // The garment: the chest's centre below the neck, which long hair parts round.
  const garment = [0, 0, 0];
  let nGarment = 0;
  for (let y = Math.ceil(chinY + FACE_COLUMN_DEPTH * faceWidth); y < H; y++)
    for (let x = Math.ceil(centreU - 0.25 * faceWidth); x < centreU + 0.25 * faceWidth; x++) {
      const i = y * W + x;
      if (x < 0 || x >= W || labels[i] !== REGION.clothing) continue;
      for (let c = 0; c < 3; c++) garment[c] += image[i * 4 + c];
      nGarment++;
    }
  const garmentF =
    nGarment > 50 ? colourFeature(garment[0] / nGarment, garment[1] / nGarment, garment[2] / nGarment) : null;
  const bottom = Math.min(H, chinY + MAX_BELOW * faceWidth);
  const hairLike = (i: number) => {
    const f = feat(i);
    const d = featureDistance(f, hairColour);
    return d <= tolerance && (garmentF === null || d < featureDistance(f, garmentF));
  };
  // Clothing-labelled pixels below the chin, in the hair's colour, outside the face's column.
  const region = floodFill4(
    W,
    H,
    seeds,
    (j, x, y) =>
      y >= chinY &&
      y < bottom &&
      labels[j] === REGION.clothing &&
      matte[j] > 0.5 &&
      !inFaceColumn(x, y) &&
      hairLike(j),
  );
  let grown = 0;
  for (let i = 0; i < W * H; i++)
    if (region[i] && labels[i] === REGION.clothing) {
      labels[i] = REGION.hair;
      grown++;
    }
  return grown;
}
