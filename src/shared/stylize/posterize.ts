/** Per-channel posterisation: every channel snaps to one of `levels` evenly spaced values in [0, 1]. */
import type { ColourPlanes } from './planes';

export function validateLevels(levels: number): void {
  if (!Number.isInteger(levels) || levels < 2 || levels > 256)
    throw new RangeError(`levels must be an integer in [2, 256], got ${levels}`);
}

/** Nearest of the `levels` values k / (levels - 1). */
export function posterizeValue(v: number, levels: number): number {
  const steps = levels - 1;
  return Math.round(Math.min(1, Math.max(0, v)) * steps) / steps;
}

/** Posterised copy: at most levels^3 distinct colours. */
export function posterizePlanes(p: ColourPlanes, levels: number): ColourPlanes {
  validateLevels(levels);
  const q = (plane: Float32Array) => plane.map((v) => posterizeValue(v, levels));
  return { ...p, r: q(p.r), g: q(p.g), b: q(p.b) };
}
