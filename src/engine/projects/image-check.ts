/**
 * Validate that bytes are a decodable image before anything is written: header (sharp metadata), size
 * (the preprocessing's minimum side, so a thumbnail-sized file is refused at import rather than when
 * run) AND a full decode, because truncated files often have a valid header. Messages are sentences for
 * the artist; the decoder's own words go to `details` (the engine log), never into the message.
 */
import sharp from 'sharp';
import { StudioError } from '../../shared/rpc/errors';
import { MIN_SIDE } from '../preprocess/decode';

export interface CheckedImage {
  format: string;
  /** File extension used for the stored copy. */
  extension: string;
  width: number;
  height: number;
}

const EXTENSIONS: Record<string, string> = {
  jpeg: 'jpg',
  png: 'png',
  webp: 'webp',
  tiff: 'tiff',
  gif: 'gif',
  avif: 'avif',
  heif: 'heic',
};
/** Beyond this many pixels decoding would take gigabytes; a portrait never needs it. */
const MAX_PIXELS = 100_000_000;

export async function checkImageBytes(bytes: Uint8Array, fileName: string): Promise<CheckedImage> {
  let meta;
  try {
    meta = await sharp(bytes, { limitInputPixels: MAX_PIXELS }).metadata();
  } catch (err) {
    throw new StudioError(
      'INVALID_IMAGE',
      `${fileName} is not an image HeadForge can read${pixelLimit(err)}; use a JPEG, PNG, WebP, TIFF, GIF, AVIF or HEIF portrait.`,
      { reason: shortReason(err) },
    );
  }
  const format = meta.format ?? 'unknown';
  const extension = EXTENSIONS[format];
  if (!extension || !meta.width || !meta.height) {
    throw new StudioError(
      'INVALID_IMAGE',
      `${fileName} is a ${format} file; use a JPEG, PNG, WebP, TIFF, GIF, AVIF or HEIF portrait.`,
    );
  }
  // One frame of an animated file; EXIF rotation swaps the sides but not the shorter one.
  const width = meta.width;
  const height = meta.pageHeight ?? meta.height;
  if (Math.min(width, height) < MIN_SIDE) {
    throw new StudioError(
      'INVALID_IMAGE',
      `${fileName} is ${width}x${height}; portraits need at least ${MIN_SIDE} px on each side, so a face can be found. Use a larger picture.`,
    );
  }
  try {
    // Full decode: a truncated or corrupt body fails here even when the header parsed.
    await sharp(bytes, { limitInputPixels: MAX_PIXELS, failOn: 'truncated' }).raw().toBuffer();
  } catch (err) {
    throw new StudioError(
      'INVALID_IMAGE',
      `${fileName} is damaged and cannot be opened (it may be cut short); export or download it again.`,
      { reason: shortReason(err) },
    );
  }
  return { format, extension, width: meta.width, height: meta.height };
}

/** The one decoder refusal the artist can act on: too many pixels. */
function pixelLimit(err: unknown): string {
  return /pixel limit/i.test(shortReason(err))
    ? ` (over ${MAX_PIXELS / 1e6} megapixels: downscale it first)`
    : '';
}

function shortReason(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  return msg.split('\n')[0].slice(0, 200);
}
