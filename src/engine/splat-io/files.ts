/**
 * Node file IO around the pure codecs in src/shared/splat: read a splat file of any supported format,
 * write one atomically (temp file + rename, so an interrupted export never leaves half a file under
 * the final name).
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { decodeSplatDetailed, type DecodeOptions, type DecodeResult } from '../../shared/splat/index';
import { checkCompressedPlySize, isCompressedPly } from '../../shared/splat/ply';
import { checkSogSize, hasZipMagic, readWithSplatTransform } from './playcanvas';

export interface SplatFileInfo extends DecodeResult {
  path: string;
  fileBytes: number;
}

export async function readSplatFile(file: string, opts: DecodeOptions = {}): Promise<SplatFileInfo> {
  const bytes = await fs.readFile(file);
  const u8 = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return {
    ...(await decodeSplatFile(u8, path.basename(file), opts)),
    path: file,
    fileBytes: bytes.byteLength,
  };
}

/**
 * decodeSplatDetailed plus the formats only the engine reads (through @playcanvas/splat-transform):
 * PlayCanvas compressed PLY and bundled SOG (a zip). SPZ v1-v4, PLY, .splat and GLB stay in the shared
 * codecs.
 */
export async function decodeSplatFile(
  bytes: Uint8Array,
  nameHint?: string,
  opts: DecodeOptions = {},
): Promise<DecodeResult> {
  if (isCompressedPly(bytes)) {
    const gaussians = checkCompressedPlySize(bytes);
    return {
      ...(await readWithSplatTransform(bytes, 'compressed-ply', opts.axes, gaussians)),
      format: 'compressed-ply',
    };
  }
  if (hasZipMagic(bytes)) {
    const gaussians = checkSogSize(bytes);
    return { ...(await readWithSplatTransform(bytes, 'sog', opts.axes, gaussians)), format: 'sog' };
  }
  return decodeSplatDetailed(bytes, nameHint, opts);
}

// The one atomic write (temp + fsync + rename; the temp file removed on any failure, ENOSPC ->
// DISK_FULL), shared with the project library and the run outputs.
export { writeFileAtomic } from '../run-folder/atomic-write';
