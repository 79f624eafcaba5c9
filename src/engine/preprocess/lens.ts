/**
 * The lens that took the portrait, as a vertical field of view.
 *
 * Over the whole photo (`sourceFovyDeg`, after EXIF orientation) it is what a user or the file can
 * state: a camera's EXIF 35 mm-equivalent focal length f35 is defined on the full-frame diagonal
 * (43.27 mm), so the photo's focal length in its own pixels is f35 / 43.27 * hypot(width, height)
 * whatever its sensor and aspect. Over the 512 crop (`cropFovyDeg`) it is what the head fit and the
 * input camera use: the crop magnifies the photo by framing.scale about a point near the head, so
 * its focal length is the photo's times that scale (the crop's off-centre shift is left out: a
 * head-and-shoulders crop sits within a few degrees of the photo's axis).
 *
 * Why it matters: landmarks alone barely tell lenses apart (the fit's cost differs by a few hundredths
 * of a pixel between 10 and 45 degrees), yet a wrong lens bends everything away from the head centre's
 * depth: the torso below a head photographed from above lands too low and too wide, and every view
 * but the input one is off by several dB.
 */
import exifReader from 'exif-reader';
import { focalFromFovy, fovyFromFocal, INPUT_FOVY_RANGE_DEG } from '../../shared/camera';

/** Diagonal of a 36 x 24 mm frame: what "35 mm-equivalent" focal lengths are relative to. */
export const FULL_FRAME_DIAGONAL_MM = Math.hypot(36, 24);

/** Relative difference in aspect between the camera's recorded frame and the picture that marks a crop. */
const CROPPED_SHAPE_TOLERANCE = 0.02;

/**
 * Where a portrait's lens came from: stated by the user (or the evaluation's ground truth), the file's
 * EXIF, the head fit's estimate, or the fit's portrait-lens prior (a face turned too far to tell).
 */
export const LENS_SOURCES = ['stated', 'exif', 'fitted', 'prior'] as const;
export type LensSource = (typeof LENS_SOURCES)[number];

/**
 * Vertical field of view (degrees) of a `width` x `height` photo (after orientation) from the raw
 * EXIF block sharp's metadata() returns, or null when it has no usable 35 mm-equivalent focal length
 * (absent, zero, unreadable, a field of view outside INPUT_FOVY_RANGE_DEG, or a picture cropped to
 * another shape than the camera's frame).
 */
export function exifFovyDeg(exif: Uint8Array | undefined, width: number, height: number): number | null {
  if (!exif || exif.length === 0 || !(width > 0) || !(height > 0)) return null;
  let photo: Record<string, unknown> | undefined;
  try {
    photo = exifReader(Buffer.from(exif.buffer, exif.byteOffset, exif.length)).Photo;
  } catch {
    return null; // a damaged EXIF block says nothing about the lens; the picture itself is fine
  }
  const f35 = photo?.FocalLengthIn35mmFilm;
  if (typeof f35 !== 'number' || !Number.isFinite(f35) || f35 <= 0) return null;
  // A photo cropped after it was taken keeps the camera's focal length but not its frame: when the
  // camera's recorded pixel size has another shape than the picture (a resize keeps the shape), the
  // frame the focal length refers to is unknown.
  const ew = photo?.PixelXDimension;
  const eh = photo?.PixelYDimension;
  if (typeof ew === 'number' && typeof eh === 'number' && ew > 0 && eh > 0) {
    const shape = (a: number, b: number) => Math.max(a, b) / Math.min(a, b);
    if (Math.abs(shape(ew, eh) / shape(width, height) - 1) > CROPPED_SHAPE_TOLERANCE) return null;
  }
  const focalPx = (f35 / FULL_FRAME_DIAGONAL_MM) * Math.hypot(width, height);
  const fovy = fovyFromFocal(height, focalPx);
  return fovy >= INPUT_FOVY_RANGE_DEG.min && fovy <= INPUT_FOVY_RANGE_DEG.max ? fovy : null;
}

/**
 * The 512 crop's vertical field of view (degrees) for a photo of vertical field of view
 * `sourceFovyDeg` and `sourceHeight` px, cropped as crop = (photo - offset) * scale (PreprocessResult.framing,
 * whose crop is image512: 512 px).
 */
export function cropFovyDeg(sourceFovyDeg: number, framing: { scale: number; sourceHeight: number }, cropSize = 512): number {
  return fovyFromFocal(cropSize, focalFromFovy(framing.sourceHeight, sourceFovyDeg) * framing.scale);
}

/** A known lens over the 512 crop, and where it came from. */
export interface PortraitLens {
  cropFovyDeg: number;
  source: Exclude<LensSource, 'fitted' | 'prior'>;
}

/**
 * The portrait's lens when it is known: the one the user stated (vertical field of view of the whole
 * photo, RunSettings.inputFovyDeg), else the photo's EXIF one, else null (the head fit estimates it).
 */
export function portraitLens(
  pre: { framing: { scale: number; sourceHeight: number }; exifFovyDeg?: number },
  statedFovyDeg?: number,
): PortraitLens | null {
  if (statedFovyDeg !== undefined) return { cropFovyDeg: cropFovyDeg(statedFovyDeg, pre.framing), source: 'stated' };
  if (pre.exifFovyDeg !== undefined) return { cropFovyDeg: cropFovyDeg(pre.exifFovyDeg, pre.framing), source: 'exif' };
  return null;
}
