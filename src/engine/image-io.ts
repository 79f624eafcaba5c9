/**
 * PNG in/out for RgbaImage (8-bit, straight alpha), through sharp. Every stage that stores or reads
 * an image on disk goes through here so encoding settings stay in one place.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import sharp, { type Metadata } from 'sharp';
import { StudioError } from '../shared/rpc/errors';
import type { RgbaImage } from '../shared/image';
import { writeFileAtomic } from './run-folder/atomic-write';
import { ImageTooLargeError } from './image-errors';

/** Encode as PNG bytes (fast compression: these are working files, not deliverables). */
export async function encodePng(img: RgbaImage): Promise<Buffer> {
  return sharp(Buffer.from(img.data.buffer, img.data.byteOffset, img.data.byteLength), {
    raw: { width: img.width, height: img.height, channels: 4 },
  })
    .png({ compressionLevel: 3 })
    .toBuffer();
}

/** Write a PNG atomically: an existing file is replaced whole or left as it was (never truncated). */
export async function writePng(file: string, img: RgbaImage): Promise<void> {
  await writeFileAtomic(file, await encodePng(img));
}

/**
 * Largest image readRgba decodes: 40 MP (an 8K x 5K photo) is 160 MB as RGBA8; the styles and metrics
 * that read it hold a few float copies. A 97 KB PNG can declare 10000x10000 (issue 20).
 */
export const MAX_DECODE_PIXELS = 40_000_000;

export { ImageTooLargeError };

/**
 * Decode any image sharp reads into RGBA8 (alpha added as opaque when absent). The size is read from
 * the header first: more than `maxPixels` is refused (ImageTooLargeError) before any pixel is decoded,
 * and libvips gets the same limit in case the header lied. A file that is not a readable image is a
 * StudioError INVALID_IMAGE naming it (the decoder's words in details), not libvips' own Error. The
 * decode tolerates what the import check tolerates (failOn 'truncated': a JPEG with a bad Huffman
 * code decodes with a smeared block, as in browsers), so a portrait the library accepted always reads.
 */
export async function readRgba(
  fileOrBytes: string | Uint8Array,
  options: { maxPixels?: number } = {},
): Promise<RgbaImage> {
  const maxPixels = options.maxPixels ?? MAX_DECODE_PIXELS;
  // A path is read here so a missing file or a folder is the filesystem's error (ENOENT, EISDIR).
  const bytes = typeof fileOrBytes === 'string' ? await fs.readFile(fileOrBytes) : fileOrBytes;
  const name = typeof fileOrBytes === 'string' ? path.basename(fileOrBytes) : 'the image';
  let meta: Metadata;
  try {
    meta = await sharp(bytes, { limitInputPixels: false }).metadata();
  } catch (err) {
    throw unreadable(name, 'is not an image HeadForge can read', err);
  }
  const width = meta.width ?? 0;
  const height = meta.pageHeight ?? meta.height ?? 0;
  if (width * height > maxPixels) throw new ImageTooLargeError(width, height, maxPixels);
  try {
    const { data, info } = await sharp(bytes, { limitInputPixels: maxPixels, pages: 1, failOn: 'truncated' })
      .ensureAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    return {
      width: info.width,
      height: info.height,
      data: new Uint8ClampedArray(data.buffer, data.byteOffset, data.byteLength),
    };
  } catch (err) {
    throw unreadable(name, 'is damaged and cannot be decoded (it may be cut short)', err);
  }
}

function unreadable(name: string, what: string, err: unknown): StudioError {
  const reason = (err instanceof Error ? err.message : String(err)).split('\n')[0].slice(0, 200);
  return new StudioError('INVALID_IMAGE', `${name} ${what}`, { reason });
}

/** Lay images out in a grid (same size each), `cols` wide, on a background colour. */
export function gridImage(
  images: RgbaImage[],
  cols: number,
  background: [number, number, number, number] = [255, 255, 255, 255],
): RgbaImage {
  if (images.length === 0) throw new RangeError('gridImage needs at least one image');
  const { width: w, height: h } = images[0];
  const rows = Math.ceil(images.length / cols);
  const out = new Uint8ClampedArray(w * cols * h * rows * 4);
  for (let i = 0; i < out.length; i += 4) out.set(background, i);
  images.forEach((img, k) => {
    if (img.width !== w || img.height !== h) throw new RangeError('gridImage: images differ in size');
    const ox = (k % cols) * w;
    const oy = Math.floor(k / cols) * h;
    for (let y = 0; y < h; y++) {
      out.set(img.data.subarray(y * w * 4, (y + 1) * w * 4), ((oy + y) * w * cols + ox) * 4);
    }
  });
  return { width: w * cols, height: h * rows, data: out };
}
