/**
 * Decode any portrait file into an 8-bit sRGB RGBA working image: EXIF orientation applied, colour
 * converted to sRGB (embedded ICC profiles honoured by libvips), 16-bit reduced to 8-bit, the first
 * frame of animated images, and downscaled on decode so that the longest side is at most
 * WORKING_MAX_SIDE (JPEG and WebP shrink-on-load: a 24 MP JPEG is never fully expanded).
 */
import sharp, { type Metadata, type OutputInfo } from 'sharp';
import type { RgbaImage } from '../../shared/image';
import { PreprocessError } from './errors';
import { exifFovyDeg } from './lens';

/** Longest side of the working image: the face and matte need no more for a 512 crop of the head. */
export const WORKING_MAX_SIDE = 1536;
/** Smallest accepted input side (a face must be findable and the 256 crop meaningful). */
export const MIN_SIDE = 64;
/** Refuse inputs above this many pixels (header check, before any pixel is decoded): 200 MP. */
export const MAX_INPUT_PIXELS = 200_000_000;

export interface DecodedImage {
  /** Working image (sRGB, straight alpha; alpha = 255 everywhere when the input has none). */
  image: RgbaImage;
  /** True when the input carries a meaningful alpha channel (some pixels clearly transparent). */
  hasRealAlpha: boolean;
  /** Size of the input after EXIF orientation, before downscaling. */
  sourceWidth: number;
  sourceHeight: number;
  /** working = source * scale (<= 1). */
  scale: number;
  format: string;
  /** Vertical field of view of the whole photo from its EXIF 35 mm-equivalent focal length, or null. */
  exifFovyDeg: number | null;
  warnings: string[];
}

export async function decodePortrait(input: Uint8Array): Promise<DecodedImage> {
  if (!(input instanceof Uint8Array) || input.length === 0) throw new PreprocessError('not-an-image', 'The file is empty.');
  const warnings: string[] = [];
  let meta: Metadata;
  try {
    meta = await sharp(input, { limitInputPixels: false }).metadata();
  } catch (err) {
    throw new PreprocessError('not-an-image', 'This file is not an image HeadForge can read (supported: JPEG, PNG, WebP, TIFF, GIF, AVIF/HEIF where available).', { cause: err });
  }
  if (!meta.width || !meta.height || !meta.format) throw new PreprocessError('not-an-image', 'This file is not an image HeadForge can read.');
  const swap = (meta.orientation ?? 1) >= 5; // EXIF orientations 5-8 swap width and height
  const sourceWidth = swap ? meta.height : meta.width;
  // For animated files meta.height is one frame when pageHeight is reported.
  const sourceHeight = swap ? meta.width : (meta.pageHeight ?? meta.height);
  if (sourceWidth * sourceHeight > MAX_INPUT_PIXELS) {
    throw new PreprocessError(
      'too-large',
      `The image is ${sourceWidth}x${sourceHeight} (${Math.round((sourceWidth * sourceHeight) / 1e6)} MP); the limit is ${MAX_INPUT_PIXELS / 1e6} MP. Downscale it first.`,
    );
  }
  if (Math.min(sourceWidth, sourceHeight) < MIN_SIDE) {
    throw new PreprocessError('too-small', `The image is ${sourceWidth}x${sourceHeight}; portraits need at least ${MIN_SIDE} px on each side.`);
  }
  if ((meta.pages ?? 1) > 1) warnings.push(`The file has ${meta.pages} frames; the first one is used.`);

  const scale = Math.min(1, WORKING_MAX_SIDE / Math.max(sourceWidth, sourceHeight));
  const width = Math.max(1, Math.round(sourceWidth * scale));
  const height = Math.max(1, Math.round(sourceHeight * scale));
  if (scale < 1) warnings.push(`Downscaled from ${sourceWidth}x${sourceHeight} to ${width}x${height} for processing.`);

  let data: Buffer;
  let info: OutputInfo;
  try {
    ({ data, info } = await sharp(input, { limitInputPixels: MAX_INPUT_PIXELS, pages: 1, page: 0, failOn: 'error' })
      .autoOrient()
      .resize(width, height, { fit: 'fill', kernel: 'lanczos3' })
      .toColourspace('srgb')
      .ensureAlpha()
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true }));
  } catch (err) {
    throw new PreprocessError('corrupt', `The image could not be decoded (the file may be truncated or damaged): ${(err as Error).message}`, { cause: err });
  }
  if (info.channels !== 4 || info.width !== width || info.height !== height) {
    throw new PreprocessError('corrupt', `Unexpected decoder output ${info.width}x${info.height}x${info.channels}.`);
  }
  const image: RgbaImage = { width, height, data: new Uint8ClampedArray(data.buffer, data.byteOffset, data.length) };
  return {
    image,
    hasRealAlpha: meta.hasAlpha === true && isRealAlpha(image),
    sourceWidth,
    sourceHeight,
    scale,
    format: meta.format,
    exifFovyDeg: exifFovyDeg(meta.exif, sourceWidth, sourceHeight),
    warnings,
  };
}

/**
 * An alpha channel counts as a matte when at least 2% of pixels are clearly transparent and at least
 * 5% clearly opaque (an all-opaque PNG, or one with a few transparent corner pixels, is not matted).
 */
export function isRealAlpha(img: RgbaImage): boolean {
  let transparent = 0;
  let opaque = 0;
  const n = img.width * img.height;
  for (let i = 3; i < img.data.length; i += 4) {
    if (img.data[i] < 64) transparent++;
    else if (img.data[i] > 192) opaque++;
  }
  return transparent >= 0.02 * n && opaque >= 0.05 * n;
}
