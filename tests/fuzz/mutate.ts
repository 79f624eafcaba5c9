/**
 * The fuzzer's mutations and seed helpers: a seeded PRNG, random clouds for the writers to turn into
 * seed files, byte-level mutations (flips, interesting values, splices, truncation), JSON value
 * mutations (prototype names included) and the GLB container split/join the structure-aware
 * mutations use.
 */
import { allocateCloud, type GaussianCloud, type ShDegree } from '../../src/shared/gaussians/cloud';
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

export function findSubarray(hay: Uint8Array, needle: string): number {
  const n = new TextEncoder().encode(needle);
  outer: for (let i = 0; i + n.length <= Math.min(hay.length, 1 << 16); i++) {
    for (let k = 0; k < n.length; k++) if (hay[i + k] !== n[k]) continue outer;
    return i;
  }
  return -1;
}

/** Split a GLB into its JSON object and binary chunk (seeds are our own, so this is trusted). */
export function splitGlb(glb: Uint8Array): { json: Record<string, unknown>; bin: Uint8Array } | null {
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

/**
 * A few values of `json` replaced or deleted (prototype names included), on a copy. `fresh`: `json` is
 * already a private copy whose key paths are `fresh.paths` (a seed's paths computed once; the same
 * random choices as computing them here).
 */
export function mutateJson(
  r: Rand,
  json: unknown,
  fresh?: { paths: readonly (string | number)[][] },
): unknown {
  const copy = fresh ? json : (JSON.parse(JSON.stringify(json)) as unknown);
  const all = fresh ? fresh.paths : paths(copy);
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

const td = new TextDecoder();
const te = new TextEncoder();

/** A seed's text and key paths, decoded once (a 478-point landmarks.json has ~1,900 paths). */
const parsedSeeds = new WeakMap<Uint8Array, { text: string; paths: (string | number)[][] } | null>();
function parsedSeed(seed: Uint8Array): { text: string; paths: (string | number)[][] } | null {
  let got = parsedSeeds.get(seed);
  if (got === undefined) {
    try {
      const text = td.decode(seed);
      got = { text, paths: paths(JSON.parse(text)) };
    } catch {
      got = null;
    }
    parsedSeeds.set(seed, got);
  }
  return got;
}

/** Structure-aware: parse, mutate a few values (prototype names included), serialise again. */
export function mutateJsonBytes(r: Rand, seed: Uint8Array): Uint8Array | null {
  const parsed = parsedSeed(seed);
  if (!parsed) return null;
  return te.encode(JSON.stringify(mutateJson(r, JSON.parse(parsed.text), parsed)) ?? 'null');
}
