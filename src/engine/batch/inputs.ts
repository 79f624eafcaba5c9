/**
 * The batch's inputs: folders (their files, not sub-folders; hidden files ignored) and files, sorted by
 * name. Each file is read and checked the way the studio's import checks it (src/engine/projects:
 * decodable image, at least MIN_SIDE px a side, not damaged); anything else becomes a BadInput with a
 * sentence, never an exception, so one PDF in a folder of portraits costs nothing but a line.
 */
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { checkImageBytes } from '../projects/image-check';
import type { BadInput } from './types';

export interface GoodInput {
  path: string;
  name: string;
  sha256: string;
  bytes: Uint8Array;
}

export interface ScannedInputs {
  good: GoodInput[];
  bad: BadInput[];
}

/** Expand the command line's folders and files into a sorted, de-duplicated list of file paths. */
export async function expandInputs(args: string[]): Promise<{ files: string[]; bad: BadInput[] }> {
  const files: string[] = [];
  const bad: BadInput[] = [];
  for (const arg of args) {
    const abs = path.resolve(arg);
    let stat;
    try {
      stat = await fs.stat(abs);
    } catch {
      bad.push({ path: abs, reason: 'no such file or folder' });
      continue;
    }
    if (stat.isDirectory()) {
      const entries = await fs.readdir(abs, { withFileTypes: true });
      for (const e of entries.sort((a, b) => a.name.localeCompare(b.name)))
        if (e.isFile() && !e.name.startsWith('.')) files.push(path.join(abs, e.name));
    } else if (stat.isFile()) files.push(abs);
    else bad.push({ path: abs, reason: 'not a regular file' });
  }
  return { files: [...new Set(files)], bad };
}

/** Read and check every file: the usable portraits with their hash, and the rest with a reason. */
export async function scanInputs(args: string[]): Promise<ScannedInputs> {
  const { files, bad } = await expandInputs(args);
  const good: GoodInput[] = [];
  for (const file of files) {
    const reason = await checkFile(file);
    if (typeof reason === 'string') bad.push({ path: file, reason });
    else good.push(reason);
  }
  return { good, bad };
}

async function checkFile(file: string): Promise<GoodInput | string> {
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await fs.readFile(file));
  } catch (err) {
    return `cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`;
  }
  const name = path.basename(file);
  if (bytes.length === 0) return 'is an empty file (0 bytes)';
  // %PDF: a common mistake (a scanned portrait saved as PDF) deserves its own sentence.
  if (bytes.length >= 4 && String.fromCharCode(...bytes.subarray(0, 4)) === '%PDF')
    return 'is a PDF document, not an image; export the page as PNG or JPEG';
  try {
    await checkImageBytes(bytes, name);
  } catch (err) {
    return (err as Error).message.replace(`${name} `, '');
  }
  return { path: file, name, bytes, sha256: crypto.createHash('sha256').update(bytes).digest('hex') };
}
