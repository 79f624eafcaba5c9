/**
 * The PlayCanvas toolchain's formats, both ways, through @playcanvas/splat-transform (MIT) in the
 * engine process: PlayCanvas compressed PLY, SOG (bundled .sog: meta.json + lossless WebP in a zip)
 * and its single-file HTML viewer. SPZ v4 (zstd) is written with @adobe/spz (ISC, the WebAssembly
 * build of Niantic's library that splat-transform itself uses), called directly with our arrays:
 * through splat-transform's table conversion it took 19.8 s for 65,536 SH-3 Gaussians, directly 1.9 s.
 *
 * The bridge is an uncompressed INRIA PLY held in memory: our PLY writer -> splat-transform's reader
 * -> its writer for the target format (and the reverse to read). That keeps the library's API surface
 * to four calls (readFile, writeSource, the memory file systems) and our cloud <-> file conventions in
 * one place (src/shared/splat/ply.ts).
 *
 * Axes. splat-transform treats every format's raw coordinates as the same frame as a 3DGS PLY (its
 * SPZ reader: "decoding is raw, no coordinate conversion"), so raw coordinates pass through unchanged.
 * The `axes` argument says which frame the raw coordinates are in:
 *   - compressed PLY, SOG, HTML: PlayCanvas formats derived from the 3DGS PLY, so 'rdf' (y down) like
 *     our PLY, unless a preset writes engine coordinates verbatim ('rub').
 *   - SPZ: Niantic defines SPZ as RUB; our own v2/v3 writer stores the cloud's coordinates, so the v4
 *     path does the same ('rub'), and a v2, v3 and v4 file of one head agree.
 *
 * Node version: splat-transform 3.x declares `engines: node >=22`. It runs here on Node 20.20 (these
 * tests), and Electron 45's engine process is Node 22. The declaration makes npm on Node 20 resolve a
 * plain `^3` range to 2.7.1 (the newest release declaring Node 18), so package.json pins 3.10.2
 * exactly, and `npm install` on Node 20 prints an EBADENGINE warning (not an error, unless
 * engine-strict is set). GPU use (SOG k-means, voxels) falls back to its CPU path without a WebGPU
 * adapter; we never ask for a device.
 *
 * Loaded lazily (dynamic import): the CLI's other commands and the engine's start-up do not pay for
 * its ~5 MB bundle and the playcanvas engine it imports.
 */
import type { GaussianCloud } from '../../shared/gaussians/cloud';
import type { FileAxes } from '../../shared/splat/axes';
import { assertFiniteCloud } from '../../shared/gaussians/validate';
import { unzipSync } from 'fflate';
import { MAX_GAUSSIANS, SplatFormatError } from '../../shared/splat/errors';
import { readPly, writePly } from '../../shared/splat/ply';

type SplatTransform = typeof import('@playcanvas/splat-transform');
let loading: Promise<SplatTransform> | undefined;

function load(): Promise<SplatTransform> {
  loading ??= import('@playcanvas/splat-transform');
  return loading;
}

type SpzModule = Awaited<ReturnType<typeof import('@adobe/spz').default>>;
let spzLoading: Promise<SpzModule> | undefined;

function loadSpz(): Promise<SpzModule> {
  spzLoading ??= import('@adobe/spz').then((m) => m.default());
  return spzLoading;
}

/**
 * SPZ v4 with Niantic's own packer (@adobe/spz). Its GaussianCloud is the cloud in Niantic's layout:
 * rotations x y z w, alphas as logits, colors as the SH DC coefficients, sh coefficient-major with the
 * channel inner (our layout). `from: UNSPECIFIED` = no axis conversion: SPZ is RUB, the cloud's frame.
 * sh1Bits 5 / shRestBits 4 are Niantic's defaults (the same buckets as our v2/v3 writer).
 */
async function writeSpzV4(cloud: GaussianCloud): Promise<Uint8Array> {
  assertFiniteCloud(cloud);
  const spz = await loadSpz();
  const n = cloud.count;
  const rotations = new Float32Array(n * 4);
  for (let i = 0; i < n; i++) {
    rotations[i * 4] = cloud.rotations[i * 4 + 1];
    rotations[i * 4 + 1] = cloud.rotations[i * 4 + 2];
    rotations[i * 4 + 2] = cloud.rotations[i * 4 + 3];
    rotations[i * 4 + 3] = cloud.rotations[i * 4];
  }
  const out = spz.saveSpzToBuffer(
    {
      numPoints: n,
      shDegree: cloud.shDegree,
      antialiased: false,
      extensions: [],
      positions: cloud.positions,
      scales: cloud.scales,
      rotations,
      alphas: cloud.opacities,
      colors: cloud.shDC,
      sh: cloud.shRest,
    },
    { version: 4, from: spz.CoordinateSystem.UNSPECIFIED, sh1Bits: 5, shRestBits: 4 },
  );
  if (out.length < 32 || new DataView(out.buffer, out.byteOffset, 8).getUint32(4, true) !== 4)
    throw new SplatFormatError('SPZ', '@adobe/spz did not write a version 4 file');
  return out;
}

/** Formats this module writes. */
export type PlayCanvasWriteFormat = 'spz-v4' | 'compressed-ply' | 'sog' | 'html';
/** Formats this module reads. */
export type PlayCanvasReadFormat = 'compressed-ply' | 'sog';

const OUTPUT: Record<
  Exclude<PlayCanvasWriteFormat, 'spz-v4'>,
  { name: string; format: 'compressed-ply' | 'sog-bundle' | 'html-bundle' }
> = {
  'compressed-ply': { name: 'out.compressed.ply', format: 'compressed-ply' },
  sog: { name: 'out.sog', format: 'sog-bundle' },
  html: { name: 'out.html', format: 'html-bundle' },
};

/** splat-transform's name-based reader choice for each input we route to it. */
const INPUT_NAME: Record<PlayCanvasReadFormat, string> = { 'compressed-ply': 'in.ply', sog: 'in.sog' };

/** Gaussians per pool chunk: the file's count rounded up to whole 256-Gaussian blocks, at most 1M. */
function chunkSizeFor(gaussians: number): number {
  return Math.min(1 << 20, Math.max(256, Math.ceil(gaussians / 256) * 256));
}

async function convert(
  st: SplatTransform,
  input: Uint8Array,
  inName: string,
  outName: string,
  outputFormat: Parameters<SplatTransform['writeSource']>[0]['outputFormat'],
  options: Parameters<SplatTransform['writeSource']>[0]['options'],
  gaussians?: number,
): Promise<Uint8Array> {
  const rfs = new st.MemoryReadFileSystem();
  rfs.set(inName, input);
  // splat-transform's pools hold whole chunks (1M Gaussians by default, about 250 MB for a full PLY
  // row) and its PLY writer sizes its row buffer by the source's chunk: 60-100 ms of allocation and
  // GC for a 300-Gaussian file. A file being read (`gaussians`: the count its header declares) gets
  // pools sized to that count: a compressed PLY for reader and writer, a SOG (whose reader readFile
  // builds with the default pool) for the writer. Writes keep the library's defaults.
  const pool = st.createChunkDataPool(gaussians === undefined ? {} : { chunkSize: chunkSizeFor(gaussians) });
  let sources: Awaited<ReturnType<SplatTransform['readFile']>>;
  if (gaussians !== undefined && inName.endsWith('.ply')) {
    const source = await rfs.createSource(inName);
    try {
      sources = [await st.readPly(source, pool)];
    } catch (err) {
      source.close();
      throw err;
    }
  } else {
    sources = await st.readFile({
      filename: inName,
      inputFormat: st.getInputFormat(inName),
      fileSystem: rfs,
    });
  }
  try {
    if (sources.length !== 1)
      throw new SplatFormatError('splat-transform', `expected one scene in ${inName}, got ${sources.length}`);
    const wfs = new st.MemoryFileSystem();
    await st.writeSource(
      {
        filename: outName,
        outputFormat,
        source: sources[0],
        pool,
        options,
      },
      wfs,
    );
    const out = wfs.results.get(outName);
    if (!out)
      throw new SplatFormatError(
        'splat-transform',
        `wrote no ${outName} (files: ${[...wfs.results.keys()].join(', ') || 'none'})`,
      );
    return out;
  } finally {
    for (const s of sources) await s.close();
  }
}

/**
 * Write `cloud` as `format` through splat-transform. `axes`: the frame of the raw coordinates in the
 * file (see the header); SPZ v4 is always written in the cloud's own axes.
 */
export async function writeWithSplatTransform(
  cloud: GaussianCloud,
  format: PlayCanvasWriteFormat,
  axes: FileAxes = 'rdf',
): Promise<Uint8Array> {
  if (format === 'spz-v4') return writeSpzV4(cloud);
  const st = await load();
  const ply = writePly(cloud, { variant: 'full', axes });
  const { name, format: outputFormat } = OUTPUT[format];
  return convert(st, ply, 'in.ply', name, outputFormat, {});
}

/**
 * Read a compressed PLY or SOG file through splat-transform, into HeadForge axes. `gaussians`: the
 * count its header declares (checkCompressedPlySize / checkSogSize ran first), for the pool size.
 */
export async function readWithSplatTransform(
  bytes: Uint8Array,
  format: PlayCanvasReadFormat,
  axes: FileAxes = 'rdf',
  gaussians: number,
): Promise<{ cloud: GaussianCloud; warnings: string[] }> {
  const st = await load();
  let ply: Uint8Array;
  try {
    ply = await convert(st, bytes, INPUT_NAME[format], 'out.ply', 'ply', {}, gaussians);
  } catch (err) {
    if (err instanceof SplatFormatError) throw err;
    throw new SplatFormatError(
      format === 'sog' ? 'SOG' : 'PLY',
      `splat-transform could not read it: ${(err as Error).message}`,
    );
  }
  const r = readPly(ply, { axes });
  return { cloud: r.cloud, warnings: r.warnings };
}

/** Width x height of a WebP (lossless VP8L, extended VP8X or lossy VP8), or undefined. */
function webpSize(b: Uint8Array): { w: number; h: number } | undefined {
  const tag = (o: number) => String.fromCharCode(b[o], b[o + 1], b[o + 2], b[o + 3]);
  if (b.length < 30 || tag(0) !== 'RIFF' || tag(8) !== 'WEBP') return undefined;
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const chunk = tag(12);
  if (chunk === 'VP8L' && b[20] === 0x2f) {
    const bits = dv.getUint32(21, true);
    return { w: (bits & 0x3fff) + 1, h: ((bits >>> 14) & 0x3fff) + 1 };
  }
  if (chunk === 'VP8X')
    return { w: (dv.getUint32(24, true) & 0xffffff) + 1, h: (dv.getUint32(27, true) & 0xffffff) + 1 };
  if (chunk === 'VP8 ') return { w: dv.getUint16(26, true) & 0x3fff, h: dv.getUint16(28, true) & 0x3fff };
  return undefined;
}

/**
 * Before a bundled SOG goes to splat-transform (which allocates for meta.json's count before it looks
 * at the images): meta.json must be small, its count within the 50M cap and no larger than the
 * means_l texture holds. Reads only those two entries (fflate, sizes checked before inflating).
 * Returns that count.
 */
export function checkSogSize(bytes: Uint8Array): number {
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes, {
      filter: (f) =>
        (f.name === 'meta.json' && f.originalSize < 1 << 24) ||
        (f.name === 'means_l.webp' && f.originalSize < 1 << 28),
    });
  } catch (err) {
    throw new SplatFormatError('SOG', `not a readable zip: ${(err as Error).message}`);
  }
  if (!files['meta.json'])
    throw new SplatFormatError('SOG', 'no meta.json (or one over 16 MB) in the bundle');
  let count: unknown;
  try {
    count = (JSON.parse(new TextDecoder().decode(files['meta.json'])) as { count?: unknown }).count;
  } catch {
    throw new SplatFormatError('SOG', 'meta.json is not valid JSON');
  }
  if (typeof count !== 'number' || !Number.isInteger(count) || count < 0 || count > MAX_GAUSSIANS)
    throw new SplatFormatError(
      'SOG',
      `meta.json count ${String(count)} is not a Gaussian count (0..${MAX_GAUSSIANS})`,
    );
  const size = files['means_l.webp'] ? webpSize(files['means_l.webp']) : undefined;
  if (!size) throw new SplatFormatError('SOG', 'no readable means_l.webp in the bundle');
  if (count > size.w * size.h)
    throw new SplatFormatError(
      'SOG',
      `meta.json declares ${count} Gaussians but means_l.webp holds ${size.w} x ${size.h}`,
    );
  return count;
}

/** A zip (the bundled .sog container) starts with a local file header, 'PK\x03\x04'. */
export function hasZipMagic(bytes: Uint8Array): boolean {
  return (
    bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04
  );
}
