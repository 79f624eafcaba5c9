/**
 * Hermite smoothstep: 0 at x <= a, 1 at x >= b, 3t^2 - 2t^3 between (t = (x - a) / (b - a)). With
 * a > b it falls from 1 to 0 instead, which the appearance code uses for "from here down" blends.
 */
export function smoothstep(a: number, b: number, x: number): number {
  const t = Math.min(1, Math.max(0, (x - a) / (b - a)));
  return t * t * (3 - 2 * t);
}
