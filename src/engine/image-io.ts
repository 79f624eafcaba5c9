/**
 * PNG in/out for RgbaImage (8-bit, straight alpha), through sharp. Every stage that stores or reads
 * an image on disk goes through here so encoding settings stay in one place.
 */
import fs from 'node:fs/promises';
import sharp from 'sharp';
import type { RgbaImage } from '../shared/image';

/** Encode as PNG bytes (fast compression: these are working files, not deliverables). */
export async function encodePng(img: RgbaImage): Promise<Buffer> {
  return sharp(Buffer.from(img.data.buffer, img.data.byteOffset, img.data.byteLength), {
    raw: { width: img.width, height: img.height, channels: 4 },
  })
    .png({ compressionLevel: 3 })
    .toBuffer();
}

export async function writePng(file: string, img: RgbaImage): Promise<void> {
  await fs.writeFile(file, await encodePng(img));
}

/** Decode any image sharp reads into RGBA8 (alpha added as opaque when absent). */
export async function readRgba(fileOrBytes: string | Uint8Array): Promise<RgbaImage> {
  const { data, info } = await sharp(fileOrBytes).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, data: new Uint8ClampedArray(data.buffer, data.byteOffset, data.byteLength) };
}

/** Lay images out in a grid (same size each), `cols` wide, on a background colour. */
export function gridImage(images: RgbaImage[], cols: number, background: [number, number, number, number] = [255, 255, 255, 255]): RgbaImage {
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
