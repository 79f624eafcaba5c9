/**
 * The portrait as the weight-free builder reads it: the 512 crop, and round it the photo's pixels past
 * its left, right and bottom edges when preprocessing kept them (PreprocessResult.around: the shoulders
 * and chest a head-framed crop cuts off), in the crop's pixels and camera. Crop pixel (u, v) is plane
 * pixel (u + left, v); u runs from -left to width - left - 1, v from 0 to height - 1 (the input
 * camera's image grown sideways and downwards: cx grows by `left`, cy stays).
 *
 * Layouts, index v * width + u + left: image and colourOnly RGBA [width * height * 4] (RGB on white,
 * alpha = matte), matte Float32Array [width * height], regions Uint8Array [width * height] (outside
 * the crop: clothing inside the matte, background outside; whether it is skin is decided by colour,
 * as the torso's texture does everywhere).
 */
import { REGION, type PreprocessResult } from '../../../shared/contracts/preprocess';
import type { RgbaImage } from '../../../shared/image';
import { createRgba } from '../../../shared/image';
import { gaussianBlur } from '../../../shared/stylize/kernels';
import { CROP } from './landmarks';
import { localSpread } from './local-spread';

/** Blur (crop pixels, of 512) that keeps a region's colour and drops glasses rims, lashes and ear edges. */
const COLOUR_SIGMA = 4;

export interface PortraitPlane {
  width: number;
  height: number;
  /** Plane column of the crop's column 0. */
  left: number;
  image: RgbaImage;
  /** The portrait's colour without its fine detail (a masked blur), for surfaces seen obliquely. */
  colourOnly: RgbaImage;
  /**
   * Float32Array [width * height]: how much colourOnly varies within SPREAD_RADIUS of each pixel (RGB
   * standard deviation, local-spread.ts): high at the edges between regions (cheek and ear, face and
   * hair, the outline), where a surface seen obliquely cannot say which side of the edge it is.
   */
  spread: Float32Array;
  matte: Float32Array;
  regions: Uint8Array;
}

/**
 * Radius (crop pixels, of 512) of the spread's box: about how far the fitted head's outline and
 * features may lie from the portrait's.
 */
const SPREAD_RADIUS = 4;

export function portraitPlane(pre: PreprocessResult): PortraitPlane {
  const plane = planeMatte(pre, pre.regions);
  const image = pre.around ? pre.around.image : pre.image512;
  const colour = colourOnly(image, plane.matte);
  return { ...plane, image, colourOnly: colour, spread: localSpread(colour, SPREAD_RADIUS) };
}

/**
 * The plane's geometry, matte and region labels alone (the torso's outline needs no colour); `regions`
 * are the crop's labels to place in it (a profile's own, profile.ts).
 */
export function planeMatte(pre: PreprocessResult, regions: Uint8Array): Omit<PortraitPlane, 'image' | 'colourOnly' | 'spread'> {
  const around = pre.around;
  if (!around) return { width: CROP, height: CROP, left: 0, matte: pre.matte512.data, regions };
  const { width, height } = around.image;
  const left = around.left;
  if (around.matte.width !== width || around.matte.height !== height || left < 0 || left + CROP > width || height < CROP)
    throw new RangeError(`the photo round the crop (${width}x${height}, crop at column ${left}) does not hold the ${CROP}-px crop`);
  const matte = around.matte.data;
  const labels = new Uint8Array(width * height);
  for (let v = 0; v < height; v++) {
    for (let x = 0; x < width; x++) {
      const i = v * width + x;
      const u = x - left;
      labels[i] =
        v < CROP && u >= 0 && u < CROP ? regions[v * CROP + u] : matte[i] > 0.5 ? REGION.clothing : REGION.background;
    }
  }
  return { width, height, left, matte, regions: labels };
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
