/**
 * Inputs for the batch tests: fixture portraits (read in place from ../shared) and the bad files a
 * real folder collects (a PDF, an empty file, a thumbnail, a picture without a face, a text file).
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { PORTRAITS } from '../cli/quick-run';

export { PORTRAITS };
/** Few steps: the tests check the batch's plumbing and byte-equality, not head quality. */
export const TEST_STEPS = '10';

const made: string[] = [];

/** A new temp folder, removed by removeTempDirs (each test file's afterAll). */
export async function tempDir(name: string): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), `hf-batch-${name}-`));
  made.push(dir);
  return dir;
}

export async function removeTempDirs(): Promise<void> {
  for (const dir of made.splice(0)) await fs.rm(dir, { recursive: true, force: true });
}

/** A folder with `portraits` (fixture file names) copied in, plus the bad inputs when asked. */
export async function inputFolder(portraits: string[], withBad: boolean): Promise<string> {
  const dir = await tempDir('in');
  for (const p of portraits) await fs.copyFile(path.join(PORTRAITS, p), path.join(dir, p));
  if (withBad) {
    await fs.writeFile(path.join(dir, 'contract.pdf'), '%PDF-1.4\n1 0 obj << >> endobj\n%%EOF\n');
    await fs.writeFile(path.join(dir, 'empty.jpg'), '');
    await fs.writeFile(path.join(dir, 'notes.txt'), 'cast list\n');
    await sharp({ create: { width: 40, height: 40, channels: 3, background: '#806040' } })
      .png()
      .toFile(path.join(dir, 'thumb.png'));
    // A smooth gradient: an image, big enough, without a face.
    const w = 256;
    const px = Buffer.alloc(w * w * 3);
    for (let y = 0; y < w; y++) for (let x = 0; x < w; x++) px.set([x, y, 128], (y * w + x) * 3);
    await sharp(px, { raw: { width: w, height: w, channels: 3 } })
      .png()
      .toFile(path.join(dir, 'sky.png'));
  }
  return dir;
}
