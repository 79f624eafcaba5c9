/**
 * One entry point for every splat file format. Clouds are in HeadForge axes (RUB, see axes.ts);
 * each codec converts to and from its file's conventional axes unless told otherwise.
 *
 *   format         file axes  SH        notes
 *   'ply'          RDF        0..3      INRIA 3DGS, all properties (62 floats at SH 3)
 *   'ply-compact'  RDF        0         the 14-property variant (LGM, HQ-Head); SH rest dropped
 *   'splat'        RDF        0         antimatter15, 32 B/Gaussian, 8-bit colour/rotation
 *   'spz'          RUB        0..3      Niantic SPZ v2 (gzip) or v3; v1-v4 read (v4: zstd, fzstd)
 *   'glb'          RUB (glTF) 0..3      KHR_gaussian_splatting (linear SCALE, linear COLOR_0)
 * Engine-only (src/engine/splat-io, through @playcanvas/splat-transform): SPZ v4 write,
 * 'compressed-ply' and 'sog' both ways, 'html' (single-file viewer) write. ExportFileFormat names them.
 */
import type { GaussianCloud } from '../gaussians/cloud';
import type { FileAxes } from './axes';
import { SplatFormatError } from './errors';
import { hasGlbMagic, readGlbDetailed, writeGlb } from './gltf';
import { isGzip } from './gzip';
import { readPly, writePly } from './ply';
import { hasPlyMagic } from './ply-header';
import { readSplat, writeSplat } from './splat';
import { readSpz, SPZ_MAGIC, writeSpz } from './spz';

export type SplatFormat = 'ply' | 'ply-compact' | 'splat' | 'spz' | 'glb';
export const SPLAT_FORMATS: readonly SplatFormat[] = ['ply', 'ply-compact', 'splat', 'spz', 'glb'];
/** Every format HeadForge writes: the shared codecs plus the engine's (splat-transform) ones. */
export type ExportFileFormat = SplatFormat | 'compressed-ply' | 'sog' | 'html';
export const EXPORT_FILE_FORMATS: readonly ExportFileFormat[] = [
  ...SPLAT_FORMATS,
  'compressed-ply',
  'sog',
  'html',
];

export interface EncodeOptions {
  /** PLY and .splat only: axes of the written file (default 'rdf'). Presets write 'rub' verbatim. */
  axes?: FileAxes;
  /** SPZ only: container version (default 2). 4 (zstd) is written by the engine only (encodeSplatFile). */
  spzVersion?: 2 | 3 | 4;
  /** SPZ only: gzip level (default 6). */
  gzipLevel?: 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9;
  /** SPZ only: replacement gzip compressor (Node passes zlib's; see src/engine/splat-io). */
  gzip?: (raw: Uint8Array) => Uint8Array;
}

export interface DecodeOptions {
  /** PLY and .splat only: axes the file is in (default 'rdf'). */
  axes?: FileAxes;
}

export interface DecodeResult {
  cloud: GaussianCloud;
  format: 'ply' | 'splat' | 'spz' | 'glb' | 'compressed-ply' | 'sog';
  /** Things the reader ignored (unknown properties, extra elements), one line each. */
  warnings: string[];
}

/** File extension to write for a format. */
export function extensionFor(format: ExportFileFormat): string {
  return format === 'ply-compact' ? '.ply' : format === 'compressed-ply' ? '.compressed.ply' : `.${format}`;
}

/** Like formatFromName, plus the engine-only formats ('.compressed.ply', '.sog', '.html'). */
export function exportFormatFromName(name: string): ExportFileFormat | undefined {
  if (/\.compressed\.ply$/i.test(name)) return 'compressed-ply';
  if (/\.sog$/i.test(name)) return 'sog';
  if (/\.html?$/i.test(name)) return 'html';
  return formatFromName(name);
}

/** Format implied by a file name, or undefined. '.ply' maps to the full variant. */
export function formatFromName(name: string): SplatFormat | undefined {
  const m = /\.([a-z0-9]+)$/i.exec(name);
  const ext = m?.[1].toLowerCase();
  return ext === 'ply' || ext === 'splat' || ext === 'spz' || ext === 'glb' ? ext : undefined;
}

export function encodeSplat(cloud: GaussianCloud, format: SplatFormat, opts: EncodeOptions = {}): Uint8Array {
  switch (format) {
    case 'ply':
      return writePly(cloud, { variant: 'full', axes: opts.axes });
    case 'ply-compact':
      return writePly(cloud, { variant: 'compact', axes: opts.axes });
    case 'splat':
      return writeSplat(cloud, { axes: opts.axes });
    case 'spz':
      if (opts.spzVersion === 4)
        throw new SplatFormatError(
          'SPZ',
          'v4 (zstd) is written by the engine (encodeSplatFile in src/engine/splat-io)',
        );
      return writeSpz(cloud, { version: opts.spzVersion, level: opts.gzipLevel, gzip: opts.gzip });
    case 'glb':
      return writeGlb(cloud);
    default:
      throw new SplatFormatError(
        'encode',
        `unknown format '${String(format)}' (expected ${SPLAT_FORMATS.join(', ')})`,
      );
  }
}

/**
 * Decode any supported file, detected by magic bytes: 'ply\n' = PLY, gzip or 'NGSP' = SPZ, 'glTF' = GLB.
 * .splat has no magic, so it is only read when `nameHint` ends in '.splat'.
 */
export function decodeSplatDetailed(
  bytes: Uint8Array,
  nameHint?: string,
  opts: DecodeOptions = {},
): DecodeResult {
  if (bytes.length === 0) throw new SplatFormatError('decode', 'file is empty');
  if (hasPlyMagic(bytes)) {
    const r = readPly(bytes, { axes: opts.axes });
    return { cloud: r.cloud, format: 'ply', warnings: r.warnings };
  }
  if (hasGlbMagic(bytes)) return { ...readGlbDetailed(bytes), format: 'glb' };
  const le32 = bytes.length >= 4 ? new DataView(bytes.buffer, bytes.byteOffset, 4).getUint32(0, true) : -1;
  if (isGzip(bytes) || le32 === SPZ_MAGIC)
    return { cloud: readSpz(bytes).cloud, format: 'spz', warnings: [] };
  if (bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 3 && bytes[3] === 4)
    throw new SplatFormatError(
      'SOG',
      'a zip (bundled SOG?) is read by the engine only (readSplatFile in src/engine/splat-io)',
    );
  const hinted = nameHint ? formatFromName(nameHint) : undefined;
  if (hinted === 'splat')
    return { cloud: readSplat(bytes, { axes: opts.axes }), format: 'splat', warnings: [] };
  if (hinted)
    throw new SplatFormatError(
      hinted.toUpperCase(),
      `wrong magic: '${nameHint}' does not look like a ${hinted} file`,
    );
  throw new SplatFormatError(
    'decode',
    'unrecognised file: no PLY, SPZ or GLB magic (for .splat, pass a name ending in .splat)',
  );
}

export function decodeSplat(bytes: Uint8Array, nameHint?: string, opts: DecodeOptions = {}): GaussianCloud {
  return decodeSplatDetailed(bytes, nameHint, opts).cloud;
}

export { SplatFormatError } from './errors';
export type { FileAxes } from './axes';
