/**
 * Validate that bytes are a decodable image before anything is written: header (sharp metadata) AND a
 * full decode, because truncated files often have a valid header.
 */
import sharp from 'sharp';
import { StudioError } from '../../shared/rpc/errors';

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
      `${fileName} is not an image this app can read (${shortReason(err)})`,
    );
  }
  const format = meta.format ?? 'unknown';
  const extension = EXTENSIONS[format];
  if (!extension || !meta.width || !meta.height) {
    throw new StudioError(
      'INVALID_IMAGE',
      `${fileName} is a ${format} file; use a JPEG, PNG, WebP, TIFF, GIF, AVIF or HEIF image`,
    );
  }
  try {
    // Full decode: a truncated or corrupt body fails here even when the header parsed.
    await sharp(bytes, { limitInputPixels: MAX_PIXELS, failOn: 'truncated' }).raw().toBuffer();
  } catch (err) {
    throw new StudioError(
      'INVALID_IMAGE',
      `${fileName} is damaged and cannot be decoded (${shortReason(err)})`,
    );
  }
  return { format, extension, width: meta.width, height: meta.height };
}

function shortReason(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  return msg.split('\n')[0].slice(0, 200);
}
