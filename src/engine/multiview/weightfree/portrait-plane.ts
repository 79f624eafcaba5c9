/**
 * The portrait as the weight-free builder reads it: the 512 crop, and below it the rest of the photo
 * under the crop when preprocessing kept it (PreprocessResult.below: the chest a head-framed crop cuts
 * off). Rows 0..CROP-1 are the crop's, rows CROP..height-1 the photo's below it, in the crop's pixels
 * and camera (the input camera's image grows downwards; cx, cy stay).
 *
 * Layouts, width CROP, index v * CROP + u: image and colourOnly RGBA [CROP * height * 4] (RGB on white,
 * alpha = matte), matte Float32Array [CROP * height], regions Uint8Array [CROP * height] (below the
 * crop: clothing inside the matte, background outside; whether it is skin is decided by colour, as
 * the torso's texture does everywhere).
 */
import { REGION, type PreprocessResult } from '../../../shared/contracts/preprocess';
import type { RgbaImage } from '../../../shared/image';
import { createRgba } from '../../../shared/image';
import { gaussianBlur } from '../../../shared/stylize/kernels';
import { CROP } from './landmarks';

/** Blur (crop pixels, of 512) that keeps a region's colour and drops glasses rims, lashes and ear edges. */
const COLOUR_SIGMA = 4;

export interface PortraitPlane {
  /** Rows: CROP, plus the photo's rows below the crop. */
  height: number;
  image: RgbaImage;
  /** The portrait's colour without its fine detail (a masked blur), for surfaces seen obliquely. */
  colourOnly: RgbaImage;
  matte: Float32Array;
  regions: Uint8Array;
}

export function portraitPlane(pre: PreprocessResult): PortraitPlane {
  const { height, matte, regions } = planeMatte(pre, pre.regions);
  const image = createRgba(CROP, height);
  image.data.set(pre.image512.data);
  if (pre.below) image.data.set(pre.below.image.data, CROP * CROP * 4);
  return { height, image, colourOnly: colourOnly(image, matte), matte, regions };
}

/**
 * The plane's matte and region labels alone (the torso's outline needs no colour); `regions` are the
 * crop's labels to extend (a profile's own, profile.ts).
 */
export function planeMatte(pre: PreprocessResult, regions: Uint8Array): Pick<PortraitPlane, 'height' | 'matte' | 'regions'> {
  const extra = pre.below ? pre.below.image.height : 0;
  const height = CROP + extra;
  if (pre.below && (pre.below.image.width !== CROP || pre.below.matte.width !== CROP || pre.below.matte.height !== extra))
    throw new RangeError(`the photo below the crop must be ${CROP} px wide with a matte of its size`);
  const matte = new Float32Array(CROP * height);
  matte.set(pre.matte512.data);
  const labels = new Uint8Array(CROP * height);
  labels.set(regions);
  if (pre.below) {
    matte.set(pre.below.matte.data, CROP * CROP);
    for (let i = CROP * CROP; i < CROP * height; i++) labels[i] = matte[i] > 0.5 ? REGION.clothing : REGION.background;
  }
  return { height, matte, regions: labels };
}

/**
 * The portrait blurred inside its matte (premultiplied by the matte, so the background does not bleed
 * in at the outline): straight RGBA, alpha = the matte. What observe.ts gives surfaces seen obliquely.
 */
function colourOnly(img: RgbaImage, matte: Float32Array): RgbaImage {
  const { width, height, data } = img;
  const n = width * height;
  const alpha = gaussianBlur(Float32Array.from(matte), width, height, COLOUR_SIGMA);
  const out = createRgba(width, height, [0, 0, 0, 255]);
  for (let c = 0; c < 3; c++) {
    const plane = new Float32Array(n);
    for (let i = 0; i < n; i++) plane[i] = data[i * 4 + c] * matte[i];
    const blurred = gaussianBlur(plane, width, height, COLOUR_SIGMA);
    for (let i = 0; i < n; i++) out.data[i * 4 + c] = alpha[i] > 1e-3 ? blurred[i] / alpha[i] : data[i * 4 + c];
  }
  for (let i = 0; i < n; i++) out.data[i * 4 + 3] = Math.round(matte[i] * 255);
  return out;
}
