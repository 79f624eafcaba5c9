/**
 * Fuzz harness for every reader of untrusted bytes (issue 20): the PLY, GLB, SPZ and .splat readers
 * and the RPC frame codec. Seeds are valid files written by our own writers (several SH degrees,
 * binary/ASCII PLY, GLB with interleaved and normalised-integer accessors, SPZ v2/v3 gzip and raw);
 * mutations are byte-level (flips, interesting values, splices, truncation) and structure-aware
 * (PLY header words, glTF JSON fields, SPZ's decompressed stream re-gzipped).
 *
 * The contract each input must meet: the reader returns, or throws its format's error class (nothing
 * else: no TypeError/RangeError); it finishes in under a second of CPU time (and 20 s of wall time); and what it returns is in proportion
 * to the input (Gaussians x bytes-per-Gaussian bounded by a constant times the file size).
 *
 * Used by tests/fuzz/readers.test.ts (fixed seeds, a few thousand inputs) and scripts/fuzz.ts
 * (`npm run fuzz -- --seconds N`).
 */
import { gzipSync, gunzipSync } from 'fflate';
import {
  allocateCloud,
  shCoeffsRest,
  type GaussianCloud,
  type ShDegree,
} from '../../src/shared/gaussians/cloud';
import { readGlb, writeGlb } from '../../src/shared/splat/gltf';
import { readPly, writePly } from '../../src/shared/splat/ply';
import { readSplat, writeSplat } from '../../src/shared/splat/splat';
import { readSpz, writeSpz } from '../../src/shared/splat/spz';
import { SplatFormatError } from '../../src/shared/splat/errors';
import { FrameDecodeError, decodeFrame, encodeFrame } from '../../src/shared/rpc/codec';
import { mulberry32 } from '../../src/shared/random';

/** The project's seeded PRNG (src/shared/random.ts). */
export const rng = mulberry32;

export type Rand = () => number;
export const int = (r: Rand, n: number): number => Math.floor(r() * n);
export const pick = <T>(r: Rand, xs: readonly T[]): T => xs[int(r, xs.length)];

export function randomCloud(r: Rand, count: number, shDegree: ShDegree): GaussianCloud {
  const c = allocateCloud(count, shDegree);
  for (let k = 0; k < c.positions.length; k++) c.positions[k] = (r() - 0.5) * 2;
  for (let k = 0; k < c.scales.length; k++) c.scales[k] = -5 + r() * 3;
  for (let k = 0; k < c.rotations.length; k++) c.rotations[k] = r() - 0.5;
  for (let k = 0; k < c.opacities.length; k++) c.opacities[k] = (r() - 0.5) * 6;
  for (let k = 0; k < c.shDC.length; k++) c.shDC[k] = (r() - 0.5) * 2;
  for (let k = 0; k < c.shRest.length; k++) c.shRest[k] = (r() - 0.5) * 0.5;
  return c;
}

export interface FuzzTarget {
  name: string;
  /** The only error class the reader may throw. */
  errorClass: new (...args: never[]) => Error;
  /** Narrower than the class when the reader's error is a plain Error with a known prefix (OBJ). */
  isFormatError?(err: unknown): boolean;
  /** Valid files to mutate (async for the formats only sharp or splat-transform write). */
  seeds(r: Rand): Uint8Array[] | Promise<Uint8Array[]>;
  /** Returns the number of bytes the decoded result holds (for the proportionality check). */
  read(bytes: Uint8Array): number | Promise<number>;
  /** Decoded bytes allowed per input byte (float32 from 1-byte fields; gzip's ~1000x for SPZ). */
  maxAmplification: number;
  /** Structure-aware mutations on top of the byte-level ones. */
  mutate?(r: Rand, seed: Uint8Array): Uint8Array | null;
}

const cloudBytes = (c: GaussianCloud): number =>
  c.count * (3 + 3 + 4 + 1 + 3 + shCoeffsRest(c.shDegree) * 3) * 4;

// ------------------------------------------------------------------------------------- byte mutations

const INTERESTING_U32 = [
  0, 1, 2, 3, 4, 7, 8, 0x7f, 0x80, 0xff, 0x100, 0xffff, 0x10000, 0x7fffffff, 0x80000000, 0xffffffff,
  3_000_000, 10_000_000, 50_000_001,
];

export function mutateBytes(r: Rand, input: Uint8Array): Uint8Array {
  let b: Uint8Array = input.slice();
  const rounds = 1 + int(r, 4);
  for (let k = 0; k < rounds; k++) {
    const op = int(r, 8);
    if (b.length === 0) b = new Uint8Array([int(r, 256)]);
    const at = int(r, b.length);
    switch (op) {
      case 0: // bit flip
        b[at] ^= 1 << int(r, 8);
        break;
      case 1: // interesting byte
        b[at] = pick(r, [0, 1, 0x7f, 0x80, 0xff, 0x20, 0x0a]);
        break;
      case 2: {
        // interesting u32 (LE or BE)
        if (b.length < 4) break;
        const o = int(r, b.length - 3);
        new DataView(b.buffer).setUint32(o, pick(r, INTERESTING_U32), r() < 0.5);
        break;
      }
      case 3: // truncate
        b = b.slice(0, at);
        break;
      case 4: {
        // delete a run
        const len = 1 + int(r, Math.min(64, b.length - at));
        b = concat(b.subarray(0, at), b.subarray(at + len));
        break;
      }
      case 5: {
        // duplicate a run
        const len = 1 + int(r, Math.min(256, b.length - at));
        b = concat(b.subarray(0, at + len), b.subarray(at, at + len), b.subarray(at + len));
        break;
      }
      case 6: // random bytes
        for (let i = 0; i < 1 + int(r, 8) && at + i < b.length; i++) b[at + i] = int(r, 256);
        break;
      default: // random float32
        if (b.length >= 4)
          new DataView(b.buffer).setFloat32(
            int(r, b.length - 3),
            pick(r, [NaN, Infinity, -Infinity, 1e38, -1e-38, 0, -0]),
            true,
          );
    }
  }
  return b;
}

export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

// ------------------------------------------------------------------------------------------- targets

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

export function findSubarray(hay: Uint8Array, needle: string): number {
  const n = new TextEncoder().encode(needle);
  outer: for (let i = 0; i + n.length <= Math.min(hay.length, 1 << 16); i++) {
    for (let k = 0; k < n.length; k++) if (hay[i + k] !== n[k]) continue outer;
    return i;
  }
  return -1;
}

/** Split a GLB into its JSON object and binary chunk (seeds are our own, so this is trusted). */
function splitGlb(glb: Uint8Array): { json: Record<string, unknown>; bin: Uint8Array } | null {
  const dv = new DataView(glb.buffer, glb.byteOffset, glb.byteLength);
  if (glb.length < 28) return null;
  const jsonLen = dv.getUint32(12, true);
  if (20 + jsonLen + 8 > glb.length) return null;
  try {
    const json = JSON.parse(new TextDecoder().decode(glb.subarray(20, 20 + jsonLen))) as Record<
      string,
      unknown
    >;
    const binLen = dv.getUint32(20 + jsonLen, true);
    return { json, bin: glb.subarray(28 + jsonLen, 28 + jsonLen + binLen) };
  } catch {
    return null;
  }
}

export function joinGlb(json: unknown, bin: Uint8Array): Uint8Array {
  let text = JSON.stringify(json) ?? 'null';
  while (new TextEncoder().encode(text).length % 4) text += ' ';
  const j = new TextEncoder().encode(text);
  const binPadded = bin.length % 4 ? concat(bin, new Uint8Array(4 - (bin.length % 4))) : bin;
  const out = new Uint8Array(12 + 8 + j.length + 8 + binPadded.length);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, 0x46546c67, true);
  dv.setUint32(4, 2, true);
  dv.setUint32(8, out.length, true);
  dv.setUint32(12, j.length, true);
  dv.setUint32(16, 0x4e4f534a, true);
  out.set(j, 20);
  dv.setUint32(20 + j.length, binPadded.length, true);
  dv.setUint32(24 + j.length, 0x004e4942, true);
  out.set(binPadded, 28 + j.length);
  return out;
}

const JSON_VALUES: unknown[] = [
  null,
  0,
  -1,
  1,
  4,
  0.5,
  3,
  10_000_000,
  4294967295,
  1e300,
  NaN,
  '',
  'constructor',
  'toString',
  '__proto__',
  'VEC3',
  'SCALAR',
  'MAT4',
  5126,
  5121,
  5125,
  5124,
  true,
  false,
  [],
  {},
  [0],
  { a: 1 },
];

/** Every path (key list) to a value inside `v`. */
function paths(
  v: unknown,
  prefix: (string | number)[] = [],
  out: (string | number)[][] = [],
): (string | number)[][] {
  out.push(prefix);
  if (Array.isArray(v)) v.forEach((x, i) => paths(x, [...prefix, i], out));
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) paths(x, [...prefix, k], out);
  return out;
}

export function mutateJson(r: Rand, json: unknown): unknown {
  const copy = JSON.parse(JSON.stringify(json)) as unknown;
  const all = paths(copy);
  const n = 1 + int(r, 3);
  let root = copy;
  for (let k = 0; k < n; k++) {
    const p = pick(r, all);
    const value =
      r() < 0.15
        ? pick(r, ['__proto__', 'constructor'])
        : JSON.parse(JSON.stringify(pick(r, JSON_VALUES)) ?? 'null');
    if (p.length === 0) {
      root = value;
      continue;
    }
    let holder = root as Record<string | number, unknown>;
    for (const key of p.slice(0, -1)) {
      if (!holder || typeof holder !== 'object') break;
      holder = holder[key] as Record<string | number, unknown>;
    }
    if (!holder || typeof holder !== 'object') continue;
    const last = p[p.length - 1];
    if (r() < 0.1) delete holder[last];
    else holder[last] = value;
  }
  return root;
}

/** A GLB whose accessors interleave in one strided view and use normalised integers. */
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

export interface FuzzFailure {
  target: string;
  iteration: number;
  reason: string;
  input: Uint8Array;
}

export interface FuzzStats {
  target: string;
  inputs: number;
  accepted: number;
  rejected: number;
  slowestMs: number;
  failures: FuzzFailure[];
}

const MAX_MS = 1000;
/** A hang (an await that never settles soon) shows here, whatever the CPU time. */
const MAX_WALL_MS = 20_000;
/** The memory bar: no input may decode to more than this, whatever its size. */
export const MAX_DECODED_BYTES = 256 * 2 ** 20;

function formatErrorOf(target: FuzzTarget, err: unknown): boolean {
  if (err instanceof TypeError || err instanceof RangeError || err instanceof SyntaxError) return false;
  return target.isFormatError ? target.isFormatError(err) : err instanceof target.errorClass;
}

/** Run one input through a target; returns a failure reason or null. */
export async function checkOne(
  target: FuzzTarget,
  input: Uint8Array,
): Promise<{ reason: string | null; accepted: boolean; ms: number }> {
  // CPU time, not wall time: on a loaded shared box (load 18 on 2 cores, the fuzzer at nice 19) a
  // 1 ms read can wait seconds for a core. process.cpuUsage counts every thread of the process
  // (libvips' and the thread pool's too), so native work is not missed.
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  // Peak RSS (getrusage, KB): monotonic, so growth across one input is what that input cost at most,
  // native allocations (sharp/libvips, wasm) included.
  const peak0 = process.resourceUsage().maxRSS * 1024;
  let accepted = false;
  let reason: string | null = null;
  try {
    const decoded = await target.read(input);
    accepted = true;
    if (decoded > target.maxAmplification * input.length + 4096 || decoded > MAX_DECODED_BYTES)
      reason = `decoded ${decoded} bytes from a ${input.length}-byte input`;
  } catch (err) {
    if (!formatErrorOf(target, err))
      reason = `threw ${(err as Error)?.name ?? typeof err}: ${(err as Error)?.message ?? String(err)}`;
  }
  const cpuMs = (c: NodeJS.CpuUsage): number => (c.user + c.system) / 1000;
  let ms = cpuMs(process.cpuUsage(cpu0));
  const wallMs = performance.now() - t0;
  if (!reason && wallMs > MAX_WALL_MS) reason = `took ${(wallMs / 1000).toFixed(0)} s of wall time`;
  const grown = process.resourceUsage().maxRSS * 1024 - peak0;
  if (!reason && grown > MAX_DECODED_BYTES) reason = `peak memory grew by ${(grown / 2 ** 20).toFixed(0)} MB`;
  if (!reason && ms > MAX_MS) {
    // A GC or a lazy module load can land on any one call: slow only if slow twice.
    const cpu1 = process.cpuUsage();
    try {
      await target.read(input);
    } catch {
      // Same outcome as above; only the time matters here.
    }
    ms = Math.min(ms, cpuMs(process.cpuUsage(cpu1)));
    if (ms > MAX_MS) reason = `took ${ms.toFixed(0)} ms of CPU (twice)`;
  }
  return { reason, accepted, ms };
}

/** Fuzz `target` with `iterations` inputs from `seed` (or until `deadline`, a performance.now() time). */
export async function fuzzTarget(
  target: FuzzTarget,
  seed: number,
  iterations: number,
  deadline = Infinity,
): Promise<FuzzStats> {
  const r = rng(seed);
  const seeds = await target.seeds(r);
  const stats: FuzzStats = {
    target: target.name,
    inputs: 0,
    accepted: 0,
    rejected: 0,
    slowestMs: 0,
    failures: [],
  };
  for (let i = 0; i < iterations && performance.now() < deadline; i++) {
    const base = pick(r, seeds);
    let input: Uint8Array | null = null;
    if (target.mutate && r() < 0.4) input = target.mutate(r, base);
    if (!input) input = mutateBytes(r, base);
    const { reason, accepted, ms } = await checkOne(target, input);
    stats.inputs++;
    if (accepted) stats.accepted++;
    else stats.rejected++;
    stats.slowestMs = Math.max(stats.slowestMs, ms);
    if (reason) stats.failures.push({ target: target.name, iteration: i, reason, input });
  }
  return stats;
}
