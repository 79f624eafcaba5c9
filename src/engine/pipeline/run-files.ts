/**
 * Writing run outputs so that a cancelled or crashed run leaves each output either complete or absent:
 * files are written to a temp name and renamed; folders of views are filled under a temp name and
 * renamed as a whole.
 */
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { RgbaImage } from '../../shared/image';
import { encodePng } from '../image-io';

export async function writeFileAtomic(file: string, data: Uint8Array | string): Promise<void> {
  const tmp = `${file}.${crypto.randomBytes(4).toString('hex')}.tmp`;
  try {
    await fs.writeFile(tmp, data);
    await fs.rename(tmp, file);
  } catch (err) {
    await fs.rm(tmp, { force: true });
    throw err;
  }
}

export async function writeJsonAtomic(file: string, value: unknown): Promise<void> {
  await writeFileAtomic(file, `${JSON.stringify(value, null, 2)}\n`);
}

/**
 * Write images as `<prefix>-00.png`... into `runDir/<folder>` atomically (temp folder + rename).
 * Returns the paths relative to runDir.
 */
export async function writeImageFolder(runDir: string, folder: string, prefix: string, images: RgbaImage[]): Promise<string[]> {
  const final = path.join(runDir, folder);
  const tmp = `${final}.tmp-${crypto.randomBytes(4).toString('hex')}`;
  await fs.mkdir(tmp, { recursive: true });
  const names = images.map((_, i) => `${prefix}-${String(i).padStart(2, '0')}.png`);
  try {
    for (let i = 0; i < images.length; i++) await fs.writeFile(path.join(tmp, names[i]), await encodePng(images[i]));
    await fs.rm(final, { recursive: true, force: true });
    await fs.rename(tmp, final);
  } catch (err) {
    await fs.rm(tmp, { recursive: true, force: true });
    throw err;
  }
  return names.map((n) => `${folder}/${n}`);
}

export function sha256(bytes: Uint8Array): string {
  return crypto.createHash('sha256').update(bytes).digest('hex');
}
