/** Test helpers: a real portrait fixture as an RgbaImage, PNG writing under test-output/stylize. */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import type { RgbaImage } from '../../src/shared/image';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const outDir = path.join(repoRoot, 'test-output', 'stylize');

/** A fixture portrait resized to size x size (keeps the tests small on 2 shared cores). */
export async function loadPortrait(name: string, size = 256): Promise<RgbaImage> {
  const file = path.resolve(repoRoot, '../shared/fixtures/portraits', name);
  const { data, info } = await sharp(file)
    .ensureAlpha()
    .resize(size, size, { fit: 'cover' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  return {
    width: info.width,
    height: info.height,
    data: new Uint8ClampedArray(data.buffer, data.byteOffset, data.length),
  };
}

export async function savePng(img: RgbaImage, name: string): Promise<string> {
  const file = path.join(outDir, name);
  // `name` may climb into a sibling folder (the frontal test writes ../animation/...): make its own folder.
  fs.mkdirSync(path.dirname(file), { recursive: true });
  await sharp(Buffer.from(img.data.buffer, img.data.byteOffset, img.data.length), {
    raw: { width: img.width, height: img.height, channels: 4 },
  })
    .png()
    .toFile(file);
  return file;
}

/** Side-by-side strip of equally sized images (for the saved contact sheets). */
export function hstack(images: RgbaImage[]): RgbaImage {
  const h = images[0].height;
  const w = images.reduce((a, im) => a + im.width, 0);
  const data = new Uint8ClampedArray(w * h * 4);
  let x0 = 0;
  for (const im of images) {
    for (let y = 0; y < h; y++)
      data.set(im.data.subarray(y * im.width * 4, (y + 1) * im.width * 4), (y * w + x0) * 4);
    x0 += im.width;
  }
  return { width: w, height: h, data };
}

/** Distinct RGB colours among pixels with alpha > 0. */
export function paletteSize(img: RgbaImage): number {
  const seen = new Set<number>();
  const d = img.data;
  for (let i = 0; i < d.length; i += 4) if (d[i + 3] > 0) seen.add((d[i] << 16) | (d[i + 1] << 8) | d[i + 2]);
  return seen.size;
}
