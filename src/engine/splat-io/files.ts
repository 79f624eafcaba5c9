/**
 * Node file IO around the pure codecs in src/shared/splat: read a splat file of any supported format,
 * write one atomically (temp file + rename, so an interrupted export never leaves half a file under
 * the final name).
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { decodeSplatDetailed, type DecodeOptions, type DecodeResult } from '../../shared/splat/index';

export interface SplatFileInfo extends DecodeResult {
  path: string;
  fileBytes: number;
}

export async function readSplatFile(file: string, opts: DecodeOptions = {}): Promise<SplatFileInfo> {
  const bytes = await fs.readFile(file);
  const u8 = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return { ...decodeSplatDetailed(u8, path.basename(file), opts), path: file, fileBytes: bytes.byteLength };
}

export async function writeFileAtomic(file: string, data: Uint8Array): Promise<void> {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  await fs.writeFile(tmp, data);
  try {
    await fs.rename(tmp, file);
  } catch (err) {
    await fs.rm(tmp, { force: true });
    throw err;
  }
}
