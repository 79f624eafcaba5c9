/**
 * Fuzz targets for the readers that live in the engine (Node only): PlayCanvas compressed PLY and
 * bundled SOG (through @playcanvas/splat-transform, after our own size checks), SPZ v4 (zstd), and
 * portrait import (PNG, JPEG, WebP: the import check, then the decode every stage uses).
 *
 * Seeds are written by the product's own writers (encodeSplatFile, sharp), so they are the files a
 * user actually has; structure-aware mutations reach past the containers (the PLY header words, the
 * SOG zip's meta.json and WebP entries re-zipped).
 */
import sharp from 'sharp';
import { unzipSync, zipSync } from 'fflate';
import { shCoeffsRest, type GaussianCloud } from '../../src/shared/gaussians/cloud';
import { SplatFormatError } from '../../src/shared/splat/errors';
import { StudioError } from '../../src/shared/rpc/errors';
import { decodeSplatFile } from '../../src/engine/splat-io/files';
import { encodeSplatFile } from '../../src/engine/splat-io/encode-file';
import { checkImageBytes } from '../../src/engine/projects/image-check';
import { ImageTooLargeError, readRgba } from '../../src/engine/image-io';
import { GltfError, parseGltf } from '../../src/engine/eval/gltf-loader';
import { createRgba } from '../../src/shared/image';
import { writeGlb as writeMeshGlb } from '../eval/helpers/write-glb';
import type { FuzzTarget } from './harness';
import { int, joinGlb, mutateBytes, mutateJson, randomCloud, type Rand } from './mutate';
import { ply } from './targets-codecs';

const cloudBytes = (c: GaussianCloud): number =>
  c.count * (3 + 3 + 4 + 1 + 3 + shCoeffsRest(c.shDegree) * 3) * 4;

const compressedPly: FuzzTarget = {
  name: 'compressed PLY',
  errorClass: SplatFormatError,
  // 256 Gaussians share one 18-float chunk row; each vertex is 16 bytes packed -> 14+ floats out.
  maxAmplification: 64,
  seeds: async (r) => [
    await encodeSplatFile(randomCloud(r, 300, 0), 'compressed-ply'),
    await encodeSplatFile(randomCloud(r, 40, 1), 'compressed-ply'),
  ],
  read: async (bytes) => cloudBytes((await decodeSplatFile(bytes, 'head.compressed.ply')).cloud),
  mutate: (r, seed) => ply.mutate!(r, seed),
};

const td = new TextDecoder();
const te = new TextEncoder();

/** A seed bundle's entries, unzipped once per seed (not once per input). */
const unzippedSeeds = new WeakMap<Uint8Array, Record<string, Uint8Array> | null>();
function sogEntries(seed: Uint8Array): Record<string, Uint8Array> | null {
  let got = unzippedSeeds.get(seed);
  if (got === undefined) {
    try {
      got = unzipSync(seed);
    } catch {
      got = null;
    }
    unzippedSeeds.set(seed, got);
  }
  return got;
}

const sog: FuzzTarget = {
  name: 'SOG',
  errorClass: SplatFormatError,
  // Lossless WebP of smooth data compresses far below 1 byte per channel; 1000x covers it.
  maxAmplification: 1000,
  seeds: async (r) => [
    await encodeSplatFile(randomCloud(r, 64, 0), 'sog'),
    await encodeSplatFile(randomCloud(r, 20, 1), 'sog'),
  ],
  read: async (bytes) => cloudBytes((await decodeSplatFile(bytes, 'head.sog')).cloud),
  mutate(r, seed) {
    const unzipped = sogEntries(seed);
    if (!unzipped) return null;
    // A shallow copy: entries are replaced below, never changed in place.
    const entries = { ...unzipped };
    const names = Object.keys(entries);
    if (!names.length) return null;
    if (r() < 0.5 && entries['meta.json']) {
      try {
        const meta = JSON.parse(td.decode(entries['meta.json'])) as unknown;
        entries['meta.json'] = te.encode(JSON.stringify(mutateJson(r, meta)) ?? 'null');
      } catch {
        return null;
      }
    } else {
      const name = names[int(r, names.length)];
      entries[name] = mutateBytes(r, entries[name]);
    }
    return zipSync(entries, { level: 0 });
  },
};

const spzV4: FuzzTarget = {
  name: 'SPZ v4',
  errorClass: SplatFormatError,
  // zstd's RLE bound (32768x) times float32 from 1-byte fields.
  maxAmplification: 4 * 32768,
  seeds: async (r) => [
    await encodeSplatFile(randomCloud(r, 6, 0), 'spz', { spzVersion: 4 }),
    await encodeSplatFile(randomCloud(r, 4, 3), 'spz', { spzVersion: 4 }),
  ],
  read: async (bytes) => cloudBytes((await decodeSplatFile(bytes, 'head.spz')).cloud),
};

/** A small noisy portrait-sized picture (just over the 64 px import minimum, so decoding is fast). */
async function picture(r: Rand, format: 'png' | 'jpeg' | 'webp', alpha: boolean): Promise<Uint8Array> {
  const w = 72;
  const h = 80;
  const channels = alpha ? 4 : 3;
  const px = Buffer.alloc(w * h * channels);
  for (let k = 0; k < px.length; k++) px[k] = (k % 7) * 30 + int(r, 20);
  const img = sharp(px, { raw: { width: w, height: h, channels } });
  const out =
    format === 'png'
      ? img.png({ compressionLevel: 6 })
      : format === 'jpeg'
        ? img.jpeg({ quality: 80 })
        : img.webp({ lossless: r() < 0.5 });
  return new Uint8Array(await out.toBuffer());
}

/**
 * Portrait import: the library's import check (header, minimum size, pixel limit, full decode), then
 * the RGBA decode the pipeline and stylize use. Either may refuse with its own error.
 */
const portrait: FuzzTarget = {
  name: 'portrait image',
  errorClass: StudioError,
  isFormatError: (err) => err instanceof StudioError || err instanceof ImageTooLargeError,
  // Bounded by the pixel cap, not by the file size: a few KB may declare millions of pixels (a
  // 2,865-byte damaged JPEG declaring 17188 x 214 decodes to 14.7 MB, 5,135x its size), and the product
  // refuses by pixel count (MAX_DECODE_PIXELS, 40 Mpx = 160 MB of RGBA). The 256 MB bar still applies.
  maxAmplification: Infinity,
  seeds: async (r) => [
    await picture(r, 'png', false),
    await picture(r, 'png', true),
    await picture(r, 'jpeg', false),
    await picture(r, 'webp', false),
    await picture(r, 'webp', true),
  ],
  read: async (bytes) => {
    await checkImageBytes(bytes, 'portrait.png');
    const img = await readRgba(bytes);
    return img.data.byteLength;
  },
};

/**
 * The textured head meshes `eval --gt` reads (glTF 2.0 GLB: indexed triangles, UVs, a PNG texture),
 * through the eval loader: its own GltfError, or the texture's INVALID_IMAGE / too-large refusal.
 */
const meshGlb: FuzzTarget = {
  name: 'mesh GLB',
  errorClass: GltfError,
  isFormatError: (err) =>
    err instanceof GltfError || err instanceof StudioError || err instanceof ImageTooLargeError,
  // Indices (4 B) expand to three float32 corners each, plus the decoded texture.
  maxAmplification: 5000,
  seeds: async (r) => {
    const texture = createRgba(8, 8);
    for (let k = 0; k < texture.data.length; k++) texture.data[k] = int(r, 256);
    const quad = {
      positions: new Float32Array([-0.5, 0.5, 0, 0.5, 0.5, 0, 0.5, -0.5, 0, -0.5, -0.5, 0]),
      uvs: new Float32Array([0, 0, 1, 0, 1, 1, 0, 1]),
      indices: new Uint32Array([0, 1, 2, 0, 2, 3]),
      texture,
    };
    return [await writeMeshGlb(quad), await writeMeshGlb({ ...quad, shortIndices: true })];
  },
  read: async (bytes) => {
    const { mesh } = await parseGltf('head.glb', bytes);
    return JSON.stringify(Object.keys(mesh)).length + estimateBytes(mesh);
  },
  mutate(r, seed) {
    // The JSON chunk re-serialised (accessors, views, images), the binary chunk kept.
    const dv = new DataView(seed.buffer, seed.byteOffset, seed.byteLength);
    if (seed.length < 28) return null;
    const jsonLen = dv.getUint32(12, true);
    if (20 + jsonLen + 8 > seed.length) return null;
    try {
      const json = JSON.parse(td.decode(seed.subarray(20, 20 + jsonLen))) as unknown;
      const binLen = dv.getUint32(20 + jsonLen, true);
      return joinGlb(mutateJson(r, json), seed.subarray(28 + jsonLen, 28 + jsonLen + binLen));
    } catch {
      return null;
    }
  },
};

/** Bytes held by the typed arrays and images of a decoded mesh (one level deep, then materials). */
function estimateBytes(v: unknown, depth = 0): number {
  if (ArrayBuffer.isView(v)) return v.byteLength;
  if (!v || typeof v !== 'object' || depth > 3) return 0;
  let n = 0;
  for (const x of Object.values(v)) n += estimateBytes(x, depth + 1);
  return n;
}

export const ENGINE_TARGETS: readonly FuzzTarget[] = [compressedPly, sog, spzV4, portrait, meshGlb];
