/**
 * Fuzz targets for the shared (pure TS) splat codecs and the RPC frame codec: PLY (binary and ASCII,
 * header words mutated), GLB (JSON values mutated, interleaved normalised-integer accessors), SPZ v1-v3
 * (the decompressed stream mutated and re-gzipped), .splat, and RPC frames (JSON mutated, blobs kept).
 * Seeds are written by the product's own writers.
 */
import { gzipSync, gunzipSync } from 'fflate';
import { shCoeffsRest, type GaussianCloud } from '../../src/shared/gaussians/cloud';
import { readGlb, writeGlb } from '../../src/shared/splat/gltf';
import { readPly, writePly } from '../../src/shared/splat/ply';
import { readSplat, writeSplat } from '../../src/shared/splat/splat';
import { readSpz, writeSpz } from '../../src/shared/splat/spz';
import { SplatFormatError } from '../../src/shared/splat/errors';
import { FrameDecodeError, decodeFrame, encodeFrame } from '../../src/shared/rpc/codec';
import type { FuzzTarget } from './harness';
import {
  concat,
  findSubarray,
  int,
  joinGlb,
  mutateBytes,
  mutateJson,
  pick,
  randomCloud,
  splitGlb,
  type Rand,
} from './mutate';

const cloudBytes = (c: GaussianCloud): number =>
  c.count * (3 + 3 + 4 + 1 + 3 + shCoeffsRest(c.shDegree) * 3) * 4;

const PLY_WORDS = [
  'constructor',
  'toString',
  '__proto__',
  'valueOf',
  'hasOwnProperty',
  'float',
  'double',
  'uchar',
  'list',
  'int',
  'uint',
  'vertex',
  'chunk',
  'face',
  '3000000',
  '4294967295',
  '-1',
  '1e9',
  'NaN',
  '0x10',
  'end_header',
  'property',
  'element',
  'format',
  'ascii',
  'binary_big_endian',
];

export const ply: FuzzTarget = {
  name: 'PLY',
  errorClass: SplatFormatError,
  maxAmplification: 8,
  seeds: (r) => [
    writePly(randomCloud(r, 5, 0)),
    writePly(randomCloud(r, 3, 1), { variant: 'compact' }),
    writePly(randomCloud(r, 4, 3)),
    asciiPly(randomCloud(r, 3, 0)),
  ],
  read: (bytes) => cloudBytes(readPly(bytes).cloud),
  mutate(r, seed) {
    const end = findSubarray(seed, 'end_header\n');
    if (end < 0) return null;
    const header = new TextDecoder('latin1').decode(seed.subarray(0, end));
    const words = header.split(/( |\n)/);
    const n = 1 + int(r, 3);
    for (let k = 0; k < n; k++) {
      const i = int(r, words.length);
      if (words[i] === ' ' || words[i] === '\n') continue;
      words[i] = pick(r, PLY_WORDS);
    }
    return concat(new TextEncoder().encode(words.join('')), seed.subarray(end));
  },
};

export function asciiPly(c: GaussianCloud): Uint8Array {
  const names = [
    'x',
    'y',
    'z',
    'f_dc_0',
    'f_dc_1',
    'f_dc_2',
    'opacity',
    'scale_0',
    'scale_1',
    'scale_2',
    'rot_0',
    'rot_1',
    'rot_2',
    'rot_3',
  ];
  const lines = [
    'ply',
    'format ascii 1.0',
    `element vertex ${c.count}`,
    ...names.map((n) => `property float ${n}`),
    'end_header',
  ];
  for (let i = 0; i < c.count; i++) {
    const row = [
      ...c.positions.subarray(i * 3, i * 3 + 3),
      ...c.shDC.subarray(i * 3, i * 3 + 3),
      c.opacities[i],
      ...c.scales.subarray(i * 3, i * 3 + 3),
      ...c.rotations.subarray(i * 4, i * 4 + 4),
    ];
    lines.push(row.map((v) => v.toFixed(5)).join(' '));
  }
  return new TextEncoder().encode(lines.join('\n') + '\n');
}

function interleavedGlb(r: Rand): Uint8Array {
  const base = splitGlb(writeGlb(randomCloud(r, 4, 0)))!;
  const json = base.json as {
    accessors: { componentType: number; normalized?: boolean; bufferView: number }[];
    bufferViews: { byteStride?: number }[];
  };
  // OPACITY as normalised unsigned bytes, stride 4.
  const opacityAccessor = json.accessors.findIndex((_, i) => i === json.accessors.length - 2);
  if (opacityAccessor >= 0) {
    json.accessors[opacityAccessor].componentType = 5121;
    json.accessors[opacityAccessor].normalized = true;
    json.bufferViews[json.accessors[opacityAccessor].bufferView].byteStride = 4;
  }
  return joinGlb(json, base.bin);
}

const glb: FuzzTarget = {
  name: 'GLB',
  errorClass: SplatFormatError,
  maxAmplification: 16,
  seeds: (r) => [writeGlb(randomCloud(r, 5, 0)), writeGlb(randomCloud(r, 3, 2)), interleavedGlb(r)],
  read: (bytes) => cloudBytes(readGlb(bytes)),
  mutate(r, seed) {
    const parts = splitGlb(seed);
    if (!parts) return null;
    return joinGlb(mutateJson(r, parts.json), parts.bin);
  },
};

const spz: FuzzTarget = {
  name: 'SPZ',
  errorClass: SplatFormatError,
  maxAmplification: 4 * 1100,
  seeds: (r) => [
    writeSpz(randomCloud(r, 6, 0)),
    writeSpz(randomCloud(r, 4, 1), { version: 3 }),
    writeSpz(randomCloud(r, 3, 3)),
    gunzipSync(writeSpz(randomCloud(r, 5, 2))), // the raw, uncompressed stream
  ],
  read: (bytes) => cloudBytes(readSpz(bytes).cloud),
  mutate(r, seed) {
    // Mutate the decompressed stream and re-compress, so the mutation reaches the parser.
    if (seed[0] !== 0x1f) return null;
    let raw: Uint8Array;
    try {
      raw = gunzipSync(seed);
    } catch {
      return null;
    }
    return gzipSync(mutateBytes(r, raw), { level: 1 });
  },
};

const splat: FuzzTarget = {
  name: '.splat',
  errorClass: SplatFormatError,
  maxAmplification: 2,
  seeds: (r) => [writeSplat(randomCloud(r, 6, 0))],
  read: (bytes) => cloudBytes(readSplat(bytes)),
};

const rpc: FuzzTarget = {
  name: 'RPC frame',
  errorClass: FrameDecodeError,
  maxAmplification: 1,
  seeds: () => [
    encodeFrame({ kind: 'request', id: 1, method: 'listProjects', args: [] }),
    encodeFrame({
      kind: 'event',
      event: { type: 'x', a: new Float32Array(9), b: [new Uint8Array(5), new Int16Array(3)] },
    }),
  ],
  read: (bytes) => {
    const seen = new Set<unknown>();
    let total = 0;
    const walk = (v: unknown): void => {
      if (!v || typeof v !== 'object' || seen.has(v)) return;
      seen.add(v);
      if (ArrayBuffer.isView(v)) total += v.byteLength;
      else for (const x of Object.values(v)) walk(x);
    };
    walk(decodeFrame(bytes));
    return total;
  },
  mutate(r, seed) {
    const jsonLength = new DataView(seed.buffer, seed.byteOffset).getUint32(4, true);
    let json: unknown;
    try {
      json = JSON.parse(new TextDecoder().decode(seed.subarray(8, 8 + jsonLength)));
    } catch {
      return null;
    }
    const text = new TextEncoder().encode(JSON.stringify(mutateJson(r, json)) ?? 'null');
    const blobs = seed.subarray((8 + jsonLength + 7) & ~7);
    const start = (8 + text.length + 7) & ~7;
    const out = new Uint8Array(start + blobs.length);
    out.set(seed.subarray(0, 4));
    new DataView(out.buffer).setUint32(4, text.length, true);
    out.set(text, 8);
    out.set(blobs, start);
    return out;
  },
};

/** The shared (pure TS) splat codecs and the RPC frame codec; tests/fuzz/targets.ts lists them all. */
export const CODEC_TARGETS: readonly FuzzTarget[] = [ply, glb, spz, splat, rpc];
