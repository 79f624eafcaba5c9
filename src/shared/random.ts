/**
 * mulberry32: the project's one small seeded PRNG (32-bit state, uniform floats in [0, 1)). Used
 * wherever results must reproduce from a seed (unobserved detail in the weight-free views, test
 * fixtures); never Math.random there.
 */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
