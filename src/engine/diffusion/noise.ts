/**
 * Seeded Gaussian noise from a counter-based generator (Philox4x32-10, Salmon et al. 2011), so the
 * same (seed, tensor index, element index) always gives the same value, on any machine and whatever
 * execution provider runs the networks (noise is generated here, never on the device).
 *
 * Counter layout: (c0, c1) = element block index (4 normals per block), c2 = tensor index (which noise
 * tensor of the run: stage-1 init, stage-2 init, conditioning augmentation, ...), c3 = 0.
 * Key = (seed low 32 bits, seed high 21 bits). Normals by Box-Muller on (u + 0.5) / 2^32.
 */

const M0 = 0xd2511f53;
const M1 = 0xcd9e8d57;
const W0 = 0x9e3779b9;
const W1 = 0xbb67ae85;

/** High 32 bits of the 64-bit product of two uint32, from 16-bit partial products (each exact below 2^32). */
function mulhi(a: number, b: number): number {
  const aLo = a & 0xffff;
  const aHi = a >>> 16;
  const bLo = b & 0xffff;
  const bHi = b >>> 16;
  const lh = aLo * bHi;
  const hl = aHi * bLo;
  const mid = ((aLo * bLo) >>> 16) + (lh & 0xffff) + (hl & 0xffff);
  return (aHi * bHi + (lh >>> 16) + (hl >>> 16) + (mid >>> 16)) >>> 0;
}

/** Philox4x32 with 10 rounds: 4 uint32 counter words + 2 key words -> 4 uint32 outputs (written to `out`). */
export function philox4x32(counter: readonly number[], key: readonly number[], out: Uint32Array = new Uint32Array(4)): Uint32Array {
  let c0 = counter[0] >>> 0;
  let c1 = counter[1] >>> 0;
  let c2 = counter[2] >>> 0;
  let c3 = counter[3] >>> 0;
  let k0 = key[0] >>> 0;
  let k1 = key[1] >>> 0;
  for (let r = 0; r < 10; r++) {
    const hi0 = mulhi(M0, c0);
    const lo0 = Math.imul(M0, c0) >>> 0;
    const hi1 = mulhi(M1, c2);
    const lo1 = Math.imul(M1, c2) >>> 0;
    c0 = (hi1 ^ c1 ^ k0) >>> 0;
    c1 = lo1;
    c2 = (hi0 ^ c3 ^ k1) >>> 0;
    c3 = lo0;
    k0 = (k0 + W0) >>> 0;
    k1 = (k1 + W1) >>> 0;
  }
  out[0] = c0;
  out[1] = c1;
  out[2] = c2;
  out[3] = c3;
  return out;
}

/** Seeds are integers in [0, 2^53); split into the two Philox key words. */
export function seedKey(seed: number): [number, number] {
  if (!Number.isSafeInteger(seed) || seed < 0) throw new RangeError(`seed must be a non-negative safe integer, got ${seed}`);
  return [seed % 4294967296 >>> 0, Math.floor(seed / 4294967296) >>> 0];
}

/**
 * `count` standard-normal float32 values for (seed, tensorIndex). Element i is a pure function of
 * (seed, tensorIndex, i), so tensors can be generated in any order or in parts.
 */
export function gaussianNoise(seed: number, tensorIndex: number, count: number): Float32Array {
  const key = seedKey(seed);
  const out = new Float32Array(count);
  const block = new Uint32Array(4);
  const ctr = [0, 0, tensorIndex >>> 0, 0];
  const TWO_PI = 2 * Math.PI;
  for (let b = 0; b * 4 < count; b++) {
    ctr[0] = b % 4294967296 >>> 0;
    ctr[1] = Math.floor(b / 4294967296) >>> 0;
    philox4x32(ctr, key, block);
    for (let pair = 0; pair < 2; pair++) {
      const u1 = (block[pair * 2] + 0.5) / 4294967296;
      const u2 = (block[pair * 2 + 1] + 0.5) / 4294967296;
      const r = Math.sqrt(-2 * Math.log(u1));
      const i = b * 4 + pair * 2;
      if (i < count) out[i] = r * Math.cos(TWO_PI * u2);
      if (i + 1 < count) out[i + 1] = r * Math.sin(TWO_PI * u2);
    }
  }
  return out;
}

/** Tensor indices of the noise a generation run draws (documented so runs stay reproducible across versions). */
export const NoiseStream = { stage1Init: 0, stage2Init: 1, conditionAug1: 2, conditionAug2: 3 } as const;
