/**
 * Niantic SPZ codec: write v2 (what Unity, GaussianSplats3D and Spark all read) and v3, read v1-v4.
 * (v4 is written in the engine, src/engine/splat-io/playcanvas.ts: zstd compression needs a library.)
 *
 * File = gzip( header | positions | alphas | colors | scales | rotations | sh ), all little endian:
 *   header (16 B): magic u32 0x5053474e ("NGSP"), version u32, numPoints u32, shDegree u8,
 *                  fractionalBits u8, flags u8 (1 = antialiased), reserved u8
 *   positions  N x 3 x 24-bit signed fixed point, value = int / 2^fractionalBits (v1: N x 3 float16)
 *   alphas     N x u8   round(sigmoid(opacity) * 255)
 *   colors     N x 3 u8 round(dc * 0.15 * 255 + 127.5)      (dc = SH degree-0 coefficient)
 *   scales     N x 3 u8 round((logScale + 10) * 16)
 *   rotations  v1/v2: N x 3 u8 round((xyz + 1) * 127.5) of the unit quaternion with w >= 0, w rebuilt;
 *              v3: N x u32 "smallest three": top 2 bits = index (x y z w order) of the largest
 *              component, then the other three as sign bit + 9-bit magnitude of |c| / sqrt(1/2).
 *   sh         N x shDim x 3 u8 (coefficient-major, channel inner: the cloud's layout)
 *              round(x * 128 + 128) snapped to buckets of 8 (band 1) or 16 (bands 2-3).
 *
 * v4 (nianticlabs/spz's current default; splat-transform's too) is not gzip: a plain 32-byte header
 * (the v3 fields, then numStreams u8 at byte 15, tocByteOffset u32 at 16, reserved to 32), optional
 * extensions, a table of numStreams x (compressedSize u64, uncompressedSize u64), then one zstd frame
 * per attribute block (positions, alphas, colors, scales, rotations, and sh when shDegree > 0) with
 * exactly the v3 block layouts. Decoded with fzstd (pure TS, so the renderer reads v4 too), each
 * stream into a buffer of the size the header implies: a lying table or a zstd bomb stops there, and
 * each frame's headers are checked against that size first (zstd-frame-check.ts: fzstd trusts them).
 *
 * Axes: SPZ is defined as RUB (x right, y up, z back), which is the cloud's own frame: no conversion.
 * (Niantic's tools flip y and z when they convert an RDF PLY; our PLY codec does the same flip, so a
 * PLY -> SPZ conversion through HeadForge matches theirs.)
 *
 * Quantisation bounds a round trip meets (tested): position 0.5 / 2^fractionalBits, opacity alpha
 * 0.5/255, dc 0.5 / (0.15 * 255) = 0.0131, log scale 1/32, quaternion components ~1/127.5 (v2),
 * SH band 1 4.5/128, bands 2-3 8.5/128 (values clamped to [-1, 127/128]).
 */
import { allocateCloud, shCoeffsRest, type GaussianCloud, type ShDegree } from '../gaussians/cloud';
import { logit, sigmoid } from '../gaussians/activations';
import { assertFiniteCloud, firstNonFinite } from '../gaussians/validate';
import { MAX_GAUSSIANS, SplatFormatError } from './errors';
import { decompress as zstdDecompress } from 'fzstd';
import { gunzipExpecting, gzip, isGzip } from './gzip';
import { checkZstdFrame } from './zstd-frame-check';

export const SPZ_MAGIC = 0x5053474e;
const HEADER_BYTES = 16;
const COLOR_SCALE = 0.15;
const SQRT1_2 = Math.SQRT1_2;

export interface SpzWriteOptions {
  /** 2 (default, widest support) or 3 (smallest-three rotations). */
  version?: 2 | 3;
  /** gzip level, default 6. */
  level?: 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9;
  /**
   * Compressor for the raw stream (must produce gzip). Default: fflate (pure TS). Node callers pass
   * zlib's, which is ~3x faster (src/engine/splat-io/node-encode.ts).
   */
  gzip?: (raw: Uint8Array) => Uint8Array;
}

interface SpzHeader {
  version: number;
  numPoints: number;
  shDegree: ShDegree;
  fractionalBits: number;
  flags: number;
}

const toByte = (v: number) => (v < 0 ? 0 : v > 255 ? 255 : Math.round(v));

function quantizeSh(x: number, bucket: number): number {
  let q = Math.round(x * 128 + 128);
  q = Math.floor((q + bucket / 2) / bucket) * bucket;
  return q < 0 ? 0 : q > 255 ? 255 : q;
}

function bytesPerPoint(version: number, shDegree: number): number {
  const pos = version === 1 ? 6 : 9;
  const rot = version >= 3 ? 4 : 3;
  return pos + 1 + 3 + 3 + rot + shCoeffsRest(shDegree) * 3;
}

/** Largest fractionalBits (<= 12, the spz default) whose 24-bit range holds every coordinate. */
function chooseFractionalBits(positions: Float32Array): number {
  let maxAbs = 0;
  for (let k = 0; k < positions.length; k++) maxAbs = Math.max(maxAbs, Math.abs(positions[k]));
  let bits = 12;
  while (bits > 0 && maxAbs * 2 ** bits > 8388607) bits--;
  if (maxAbs * 2 ** bits > 8388607)
    throw new SplatFormatError('SPZ', `coordinate ${maxAbs} is outside SPZ's 24-bit range (|x| < 8388608)`);
  return bits;
}

export function writeSpz(cloud: GaussianCloud, options: SpzWriteOptions = {}): Uint8Array {
  assertFiniteCloud(cloud);
  const version = options.version ?? 2;
  const n = cloud.count;
  const K = shCoeffsRest(cloud.shDegree);
  const fb = chooseFractionalBits(cloud.positions);
  const raw = new Uint8Array(HEADER_BYTES + n * bytesPerPoint(version, cloud.shDegree));
  const dv = new DataView(raw.buffer);
  dv.setUint32(0, SPZ_MAGIC, true);
  dv.setUint32(4, version, true);
  dv.setUint32(8, n, true);
  raw[12] = cloud.shDegree;
  raw[13] = fb;
  raw[14] = 0; // not antialiased: 3DGS-style Gaussians
  raw[15] = 0;
  let o = HEADER_BYTES;
  const scaleFixed = 2 ** fb;
  for (let k = 0; k < n * 3; k++) {
    const v = Math.round(cloud.positions[k] * scaleFixed);
    raw[o++] = v & 0xff;
    raw[o++] = (v >> 8) & 0xff;
    raw[o++] = (v >> 16) & 0xff;
  }
  for (let i = 0; i < n; i++) raw[o++] = toByte(sigmoid(cloud.opacities[i]) * 255);
  for (let k = 0; k < n * 3; k++) raw[o++] = toByte(cloud.shDC[k] * (COLOR_SCALE * 255) + 127.5);
  for (let k = 0; k < n * 3; k++) raw[o++] = toByte((cloud.scales[k] + 10) * 16);
  const Q = cloud.rotations;
  for (let i = 0; i < n; i++) {
    // Cloud order is w x y z; SPZ's is x y z w.
    let w = Q[i * 4],
      x = Q[i * 4 + 1],
      y = Q[i * 4 + 2],
      z = Q[i * 4 + 3];
    const len = Math.sqrt(w * w + x * x + y * y + z * z) || 1;
    w /= len;
    x /= len;
    y /= len;
    z /= len;
    if (version === 2) {
      const s = w < 0 ? -127.5 : 127.5;
      raw[o++] = toByte(x * s + 127.5);
      raw[o++] = toByte(y * s + 127.5);
      raw[o++] = toByte(z * s + 127.5);
    } else {
      const q = [x, y, z, w];
      let largest = 0;
      for (let a = 1; a < 4; a++) if (Math.abs(q[a]) > Math.abs(q[largest])) largest = a;
      const negate = q[largest] < 0;
      let comp = largest;
      for (let a = 0; a < 4; a++) {
        if (a === largest) continue;
        const negbit = q[a] < 0 !== negate ? 1 : 0;
        const mag = Math.min(511, Math.floor(511 * (Math.abs(q[a]) / SQRT1_2) + 0.5));
        comp = ((comp << 10) | (negbit << 9) | mag) >>> 0;
      }
      raw[o++] = comp & 0xff;
      raw[o++] = (comp >>> 8) & 0xff;
      raw[o++] = (comp >>> 16) & 0xff;
      raw[o++] = (comp >>> 24) & 0xff;
    }
  }
  const R = cloud.shRest;
  for (let i = 0; i < n; i++)
    for (let k = 0; k < K; k++)
      for (let c = 0; c < 3; c++) raw[o++] = quantizeSh(R[(i * K + k) * 3 + c], k < 3 ? 8 : 16);
  return options.gzip ? options.gzip(raw) : gzip(raw, options.level ?? 6);
}

function parseHeader(h: Uint8Array): SpzHeader {
  const dv = new DataView(h.buffer, h.byteOffset, h.byteLength);
  if (dv.getUint32(0, true) !== SPZ_MAGIC)
    throw new SplatFormatError('SPZ', "wrong magic: decompressed data does not start with 'NGSP'");
  const version = dv.getUint32(4, true);
  if (version < 1 || version > 4)
    throw new SplatFormatError('SPZ', `version ${version} is not supported (this reader handles v1-v4)`);
  const numPoints = dv.getUint32(8, true);
  if (numPoints > MAX_GAUSSIANS)
    throw new SplatFormatError('SPZ', `Gaussian count ${numPoints} exceeds the limit of ${MAX_GAUSSIANS}`);
  const shDegree = h[12];
  if (shDegree > 3) throw new SplatFormatError('SPZ', `SH degree ${shDegree} is not supported (0..3)`);
  if (h[13] > 23) throw new SplatFormatError('SPZ', `fractionalBits ${h[13]} is out of range (0..23)`);
  return { version, numPoints, shDegree: shDegree as ShDegree, fractionalBits: h[13], flags: h[14] };
}

function halfToFloat(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const m = h & 0x3ff;
  if (e === 0) return s * 2 ** -14 * (m / 1024);
  if (e === 31) return m ? NaN : s * Infinity;
  return s * 2 ** (e - 15) * (1 + m / 1024);
}

export interface SpzReadResult {
  cloud: GaussianCloud;
  version: number;
  antialiased: boolean;
}

const V4_HEADER_BYTES = 32;
const ZSTD_MAX_RATIO = 32768;

/**
 * Unpack a v4 container into the v3 stream layout (16-byte header + the blocks back to back), so one
 * parser reads both. Every size is checked against what the header implies before anything is inflated.
 */
function unpackV4(bytes: Uint8Array): Uint8Array {
  if (bytes.length < V4_HEADER_BYTES)
    throw new SplatFormatError('SPZ', 'v4 file is shorter than its 32-byte header');
  const hd = parseHeader(bytes.subarray(0, HEADER_BYTES));
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = hd.numPoints;
  const sizes = [n * 9, n, n * 3, n * 3, n * 4];
  if (hd.shDegree > 0) sizes.push(n * shCoeffsRest(hd.shDegree) * 3);
  const numStreams = bytes[15];
  const toc = dv.getUint32(16, true);
  const fail = (message: string): never => {
    throw new SplatFormatError('SPZ', message);
  };
  if (numStreams !== sizes.length)
    fail(`v4 header declares ${numStreams} streams; SH degree ${hd.shDegree} needs ${sizes.length}`);
  if (toc < V4_HEADER_BYTES || toc + numStreams * 16 > bytes.length)
    fail(`v4 stream table at byte ${toc} lies outside the ${bytes.length}-byte file (truncated?)`);
  // Every size first, then one allocation: a header claiming millions of Gaussians in a small file
  // fails here, before the buffer exists. zstd expands at most as much as an RLE block does (128 KB
  // from 4 bytes), so a stream larger than 32768x its compressed size is impossible.
  const packedSizes: number[] = [];
  let src = toc + numStreams * 16;
  for (let i = 0; i < numStreams; i++) {
    const packed = Number(dv.getBigUint64(toc + i * 16, true));
    const unpacked = Number(dv.getBigUint64(toc + i * 16 + 8, true));
    if (unpacked !== sizes[i])
      fail(`v4 stream ${i} declares ${unpacked} bytes; the header implies ${sizes[i]}`);
    if (src + packed > bytes.length) fail(`v4 stream ${i} runs past the end of the file (truncated?)`);
    if (unpacked > packed * ZSTD_MAX_RATIO + 1024)
      fail(`v4 stream ${i} declares ${unpacked} bytes, impossible from ${packed} compressed bytes`);
    packedSizes.push(packed);
    src += packed;
  }
  const raw = new Uint8Array(HEADER_BYTES + sizes.reduce((a, b) => a + b, 0));
  raw.set(bytes.subarray(0, HEADER_BYTES));
  raw[15] = 0;
  src = toc + numStreams * 16;
  let dst = HEADER_BYTES;
  for (let i = 0; i < numStreams; i++) {
    const out = raw.subarray(dst, dst + sizes[i]);
    const frame = bytes.subarray(src, src + packedSizes[i]);
    const wrong = checkZstdFrame(frame, sizes[i]);
    if (wrong) fail(`v4 stream ${i} ${wrong}`);
    let got: Uint8Array;
    try {
      got = zstdDecompress(frame, out);
    } catch (err) {
      return fail(
        `v4 stream ${i} is not valid zstd data or holds more than ${sizes[i]} bytes (${(err as Error).message})`,
      );
    }
    if (got.length !== sizes[i])
      fail(`v4 stream ${i} inflates to ${got.length} bytes, not the declared ${sizes[i]}`);
    if (got.buffer !== raw.buffer || got.byteOffset !== out.byteOffset) out.set(got);
    src += packedSizes[i];
    dst += sizes[i];
  }
  return raw;
}

export function readSpz(bytes: Uint8Array): SpzReadResult {
  let raw: Uint8Array;
  const expected = (h: Uint8Array) => {
    const hd = parseHeader(h);
    return HEADER_BYTES + hd.numPoints * bytesPerPoint(hd.version, hd.shDegree);
  };
  if (isGzip(bytes))
    raw = gunzipExpecting('SPZ', bytes, HEADER_BYTES, (h) => {
      if (parseHeader(h).version === 4)
        throw new SplatFormatError(
          'SPZ',
          'version 4 inside gzip: v4 is a zstd container and is never gzip-wrapped',
        );
      return expected(h);
    });
  else if (bytes.length >= 8 && new DataView(bytes.buffer, bytes.byteOffset, 8).getUint32(4, true) === 4)
    raw = unpackV4(bytes);
  else {
    if (bytes.length < HEADER_BYTES)
      throw new SplatFormatError('SPZ', 'file is shorter than the 16-byte header');
    // Uncompressed stream (some tools write one): same checks, no inflation.
    const size = expected(bytes.subarray(0, HEADER_BYTES));
    if (bytes.length !== size)
      throw new SplatFormatError(
        'SPZ',
        `file has ${bytes.length} bytes but its header declares ${size} (truncated file?)`,
      );
    raw = bytes;
  }
  const hd = parseHeader(raw.subarray(0, HEADER_BYTES));
  const n = hd.numPoints;
  const K = shCoeffsRest(hd.shDegree);
  const cloud = allocateCloud(n, hd.shDegree);
  let o = HEADER_BYTES;
  if (hd.version === 1) {
    const dv = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
    for (let k = 0; k < n * 3; k++, o += 2) cloud.positions[k] = halfToFloat(dv.getUint16(o, true));
    const bad = firstNonFinite(cloud.positions);
    if (bad >= 0)
      throw new SplatFormatError(
        'SPZ',
        `non-finite position ${'xyz'[bad % 3]} of Gaussian ${Math.floor(bad / 3)}`,
      );
  } else {
    const inv = 1 / 2 ** hd.fractionalBits;
    for (let k = 0; k < n * 3; k++, o += 3) {
      let v = raw[o] | (raw[o + 1] << 8) | (raw[o + 2] << 16);
      if (v & 0x800000) v |= 0xff000000; // sign-extend 24 -> 32 bits
      cloud.positions[k] = v * inv;
    }
  }
  for (let i = 0; i < n; i++) cloud.opacities[i] = logit(raw[o++] / 255);
  for (let k = 0; k < n * 3; k++) cloud.shDC[k] = (raw[o++] / 255 - 0.5) / COLOR_SCALE;
  for (let k = 0; k < n * 3; k++) cloud.scales[k] = raw[o++] / 16 - 10;
  const Q = cloud.rotations;
  for (let i = 0; i < n; i++) {
    let x: number, y: number, z: number, w: number;
    if (hd.version < 3) {
      x = raw[o++] / 127.5 - 1;
      y = raw[o++] / 127.5 - 1;
      z = raw[o++] / 127.5 - 1;
      w = Math.sqrt(Math.max(0, 1 - x * x - y * y - z * z));
    } else {
      let comp = (raw[o] | (raw[o + 1] << 8) | (raw[o + 2] << 16) | (raw[o + 3] << 24)) >>> 0;
      o += 4;
      const largest = comp >>> 30;
      const q = [0, 0, 0, 0];
      let sumSq = 0;
      for (let a = 3; a >= 0; a--) {
        if (a === largest) continue;
        const mag = comp & 511;
        const neg = (comp >>> 9) & 1;
        comp >>>= 10;
        q[a] = SQRT1_2 * (mag / 511) * (neg ? -1 : 1);
        sumSq += q[a] * q[a];
      }
      q[largest] = Math.sqrt(Math.max(0, 1 - sumSq));
      [x, y, z, w] = q;
    }
    Q[i * 4] = w;
    Q[i * 4 + 1] = x;
    Q[i * 4 + 2] = y;
    Q[i * 4 + 3] = z;
  }
  const R = cloud.shRest;
  for (let k = 0; k < n * K * 3; k++) R[k] = (raw[o++] - 128) / 128;
  return { cloud, version: hd.version, antialiased: (hd.flags & 1) !== 0 };
}
