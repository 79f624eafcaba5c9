/**
 * The fitted head model's ears: which vertices are ear (by the kit's vertex ranges and the neutral
 * head's centimetres) and whether the portrait's hair covers them.
 */
import type { Vec3 } from '../../../shared/camera';
import { REGION } from '../../../shared/contracts/preprocess';
import type { HeadModel } from '../../head-model/types';
import { CROP } from './landmarks';

/** Face vertices of the "narrow face area" (kit README: [0:6705]): where the face weight is 1. */
export const NARROW_FACE_VERTICES = 6706;
/** Vertices of the "full face area" (kit README: [0:9408]), the ears among them. */
const FULL_FACE_VERTICES = 9409;
/**
 * The ears: full-face-area vertices (kit README: the narrow face ends at 6705) beside the skull at ear
 * height, in the neutral head's centimetres. Under hair that covers them they are left out (the hair
 * volume is fitted over the skull, not over ears that would poke through it).
 */
const EAR_MIN_ABS_X_CM = 7.6;
const EAR_Y_RANGE_CM: [number, number] = [-4.5, 5];
/**
 * Whether the ears (model -x side, +x side) are covered by hair in the portrait: the share of hair
 * among the foreground labels in a window round each ear's projection; both must be covered.
 */
export function earsUnderHair(
  p: { vertices: Float32Array; pixel: (q: Vec3) => [number, number] },
  regions: Uint8Array,
  model: HeadModel,
): boolean {
  const out: [boolean, boolean] = [false, false];
  for (const [side, sign] of [
    [0, -1],
    [1, 1],
  ] as const) {
    // Ear centre: the mean of the ear-zone vertices on that side (posed shape).
    const c: Vec3 = [0, 0, 0];
    let n = 0;
    for (const v of earVertices(model)) {
      if (Math.sign(model.neutral[v * 3]) !== sign) continue;
      for (let a = 0; a < 3; a++) c[a] += p.vertices[v * 3 + a];
      n++;
    }
    if (!n) continue;
    const [u0, v0] = p.pixel([c[0] / n, c[1] / n, c[2] / n]);
    let hair = 0;
    let fg = 0;
    const r = 10;
    for (let dv = -r; dv <= r; dv++) {
      for (let du = -r; du <= r; du++) {
        const u = Math.round(u0 + du);
        const v = Math.round(v0 + dv);
        if (u < 0 || v < 0 || u >= CROP || v >= CROP) continue;
        const lab = regions[v * CROP + u];
        if (lab === REGION.background) continue;
        fg++;
        if (lab === REGION.hair) hair++;
      }
    }
    out[side] = fg > 40 && hair / fg > 0.6;
  }
  // Hair styles are mostly symmetric, and a turned face hides its far ear behind hair it cannot show:
  // one ear in sight keeps both.
  return out[0] && out[1];
}

/** The ear vertices of `model` (isEarVertex), in index order. */
export function earVertices(model: HeadModel): number[] {
  const out: number[] = [];
  for (let v = NARROW_FACE_VERTICES; v < Math.min(model.vertexCount, FULL_FACE_VERTICES); v++)
    if (isEarVertex(model, v)) out.push(v);
  return out;
}

export function isEarVertex(model: HeadModel, v: number): boolean {
  if (v < NARROW_FACE_VERTICES || v >= FULL_FACE_VERTICES) return false;
  const x = model.neutral[v * 3];
  const y = model.neutral[v * 3 + 1];
  return Math.abs(x) > EAR_MIN_ABS_X_CM && y > EAR_Y_RANGE_CM[0] && y < EAR_Y_RANGE_CM[1];
}

/** How far round its ear vertices' projections the ears' mask reaches (cm): the ear's rim and its shadow. */
const EAR_MASK_MARGIN_CM = 0.4;

/**
 * Crop pixels [CROP*CROP] (1 = ear) where the fitted model's ears project in the portrait, both sides,
 * grown by EAR_MASK_MARGIN_CM: a disc round each ear vertex's pixel. An ear beside a short cut reads as
 * dark, red hair to a colour test (labelled hair, far from the cheek's colour); copied as the hair's
 * lengths it painted the back of a grey head auburn. Hidden ears (behind the head, under hair) are
 * marked too: callers only leave these pixels out.
 */
export function earPixelMask(
  p: { vertices: Float32Array; pixel: (q: Vec3) => [number, number] },
  model: HeadModel,
  cmPerPx: number,
): Uint8Array {
  const mask = new Uint8Array(CROP * CROP);
  const r = Math.max(2, EAR_MASK_MARGIN_CM / cmPerPx);
  const ri = Math.ceil(r);
  for (const v of earVertices(model)) {
    const [u0, v0] = p.pixel([p.vertices[v * 3], p.vertices[v * 3 + 1], p.vertices[v * 3 + 2]]);
    if (!Number.isFinite(u0) || !Number.isFinite(v0)) continue;
    for (let dv = -ri; dv <= ri; dv++) {
      const y = Math.round(v0 + dv);
      if (y < 0 || y >= CROP) continue;
      for (let du = -ri; du <= ri; du++) {
        const x = Math.round(u0 + du);
        if (x < 0 || x >= CROP || du * du + dv * dv > r * r) continue;
        mask[y * CROP + x] = 1;
      }
    }
  }
  return mask;
}
