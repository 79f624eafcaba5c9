/**
 * Landmark-anchored expression rig: blink, smile, jaw open, brow raise as smooth displacement fields
 * over Gaussian centres. Each field lives in the face frame (./face-frame.ts; unit = inter-ocular
 * distance, IOD), so it works for any head size and pose. Fields fall off smoothly (C2 smootherstep)
 * to exactly zero, so Gaussians away from the face (hair, back of the head) never move.
 *
 * Only positions move. Scales, rotations, opacities and colours are untouched: a closed eye is the
 * upper lid's Gaussians pulled down onto the lower lid line, not new skin.
 */
import type { Vec3 } from '../camera';
import type { GaussianCloud } from '../gaussians/cloud';
import { validateAnchors, type FaceAnchors } from './face-anchors';
import { eyeCentre, faceFrame, fromFaceDir, mid, sub, toFace, type FaceFrame } from './face-frame';

export const EXPRESSION_NAMES = ['blink', 'smile', 'jawOpen', 'browRaise'] as const;
export type ExpressionName = (typeof EXPRESSION_NAMES)[number];
/** Each weight in [0, 1]; a missing weight is 0. */
export type ExpressionWeights = Partial<Record<ExpressionName, number>>;

/** Largest jaw rotation (degrees) at jawOpen = 1. */
export const JAW_MAX_DEG = 20;

interface EyeRig {
  centre: Vec3;
  width: number;
  lowerY: number;
  gap: number;
}

/** The anchors pre-converted to face coordinates (IOD units). */
export interface ExpressionRig {
  frame: FaceFrame;
  eyes: EyeRig[];
  brows: Vec3[];
  /** [left corner, right corner] with the outward x sign of each. */
  corners: { at: Vec3; out: 1 | -1 }[];
  lipLineY: number;
  lipZ: number;
  chinY: number;
  jawPivot: Vec3;
}

/** C2 smootherstep of t clamped to [0, 1]. */
export function smootherstep(t: number): number {
  const x = Math.min(1, Math.max(0, t));
  return x * x * x * (x * (x * 6 - 15) + 10);
}

/** 1 for r <= inner, smootherstep down to exactly 0 at r >= 1. */
export function falloff(r: number, inner: number): number {
  if (r >= 1) return 0;
  if (r <= inner) return 1;
  return 1 - smootherstep((r - inner) / (1 - inner));
}

export function prepareRig(anchors: FaceAnchors): ExpressionRig {
  validateAnchors(anchors);
  const frame = faceFrame(anchors);
  const f = (p: Vec3) => toFace(frame, p);
  const eyes = [anchors.leftEye, anchors.rightEye].map((e): EyeRig => {
    const upper = f(e.upperLid);
    const lower = f(e.lowerLid);
    return {
      centre: f(eyeCentre(e)),
      width: Math.hypot(...sub(f(e.outer), f(e.inner))),
      lowerY: lower[1],
      gap: Math.max(0.02, upper[1] - lower[1]),
    };
  });
  const upperLip = f(anchors.upperLip);
  const lowerLip = f(anchors.lowerLip);
  const lipZ = Math.max(upperLip[2], lowerLip[2]);
  return {
    frame,
    eyes,
    brows: [f(anchors.leftBrow), f(anchors.rightBrow)],
    corners: [
      { at: f(anchors.mouthLeft), out: 1 },
      { at: f(anchors.mouthRight), out: -1 },
    ],
    lipLineY: mid(upperLip, lowerLip)[1],
    lipZ,
    chinY: f(anchors.chin)[1],
    // Near the temporomandibular joint: a little below eye level, well behind the lips.
    jawPivot: [0, -0.3, lipZ - 1.3],
  };
}

function validateWeights(w: ExpressionWeights): void {
  for (const [k, v] of Object.entries(w)) {
    if (!(EXPRESSION_NAMES as readonly string[]).includes(k))
      throw new RangeError(`unknown expression "${k}"`);
    if (v !== undefined && (!Number.isFinite(v) || v < 0 || v > 1))
      throw new RangeError(`${k} weight must be in [0, 1], got ${v}`);
  }
}

/**
 * Displacement (face coordinates, IOD units) of a point q given in face coordinates. This is the
 * whole rig; deformCloud maps it over the Gaussians.
 */
export function faceDisplacement(rig: ExpressionRig, w: ExpressionWeights, q: Vec3): Vec3 {
  const d: Vec3 = [0, 0, 0];
  const blink = w.blink ?? 0;
  if (blink > 0) {
    for (const e of rig.eyes) {
      const t = q[1] - e.lowerY; // height above the lower lid
      if (t <= 0) continue;
      const k =
        falloff(Math.abs(q[0] - e.centre[0]) / (0.8 * e.width), 0.55) *
        falloff(Math.abs(q[2] - e.centre[2]) / (0.6 * e.width), 0.5);
      if (k === 0) continue;
      const g = e.gap;
      if (t < g) {
        // Inside the opening: collapse onto the lower lid and sink into the head, so the lid skin
        // sliding down from above covers the eye (a shell has no eyeball behind the lid).
        d[1] -= blink * k * t;
        d[2] -= blink * k * 0.2 * Math.sin((Math.PI * t) / g) ** 2;
      } else {
        // The lid and the skin above slide down by the gap, fading out over 2 gaps: the stretch is
        // spread over a band so the Gaussians keep overlapping (no holes).
        d[1] -= blink * k * g * (1 - smootherstep((t - g) / (2 * g)));
      }
    }
  }
  const smile = w.smile ?? 0;
  if (smile > 0) {
    for (const c of rig.corners) {
      const k = falloff(Math.hypot(...sub(q, c.at)) / 0.45, 0.25);
      d[0] += smile * k * 0.1 * c.out;
      d[1] += smile * k * 0.1;
      d[2] -= smile * k * 0.04;
      const cheek: Vec3 = [c.at[0] + 0.1 * c.out, c.at[1] + 0.3, c.at[2]];
      const kc = falloff(Math.hypot(...sub(q, cheek)) / 0.45, 0.2);
      d[0] += smile * kc * 0.02 * c.out;
      d[1] += smile * kc * 0.05;
      d[2] += smile * kc * 0.02;
    }
  }
  const brow = w.browRaise ?? 0;
  if (brow > 0) {
    for (const b of rig.brows) {
      const r = Math.hypot((q[0] - b[0]) / 0.45, (q[1] - b[1]) / 0.3, (q[2] - b[2]) / 0.4);
      const k = falloff(r, 0.3);
      d[1] += brow * k * 0.12;
      d[2] += brow * k * 0.01;
    }
  }
  const jaw = w.jawOpen ?? 0;
  if (jaw > 0) {
    const below = q[1] < rig.lipLineY + 0.015 ? smootherstep((rig.lipLineY + 0.015 - q[1]) / 0.03) : 0;
    const lateral = falloff(Math.abs(q[0]) / 1.2, 0.55);
    const neck = 1 - smootherstep((rig.chinY - q[1]) / 0.5);
    const front = smootherstep((q[2] - rig.jawPivot[2]) / 0.5);
    const k = below * lateral * neck * front;
    if (k > 0) {
      const phi = ((jaw * JAW_MAX_DEG * Math.PI) / 180) * k;
      const y = q[1] - rig.jawPivot[1];
      const z = q[2] - rig.jawPivot[2];
      d[1] += y * Math.cos(phi) - z * Math.sin(phi) - y;
      d[2] += y * Math.sin(phi) + z * Math.cos(phi) - z;
    }
  }
  return d;
}

/** World displacement of a world point. */
export function displacementAt(rig: ExpressionRig, w: ExpressionWeights, p: Vec3): Vec3 {
  validateWeights(w);
  return fromFaceDir(rig.frame, faceDisplacement(rig, w, toFace(rig.frame, p)));
}

/**
 * A copy of `cloud` with Gaussian centres displaced by the expression. Gaussians with index >=
 * `frozenFrom` (e.g. the mouth cavity added by addMouthCavity) stay put. Non-position buffers are
 * shared with the input (they are not changed), positions are a new array.
 */
export function deformCloud(
  cloud: GaussianCloud,
  rig: ExpressionRig,
  w: ExpressionWeights,
  frozenFrom = cloud.count,
): GaussianCloud {
  validateWeights(w);
  const positions = cloud.positions.slice();
  if (!EXPRESSION_NAMES.some((k) => (w[k] ?? 0) > 0)) return { ...cloud, positions };
  const f = rig.frame;
  const limit = Math.min(cloud.count, frozenFrom);
  for (let i = 0; i < limit; i++) {
    const p: Vec3 = [positions[i * 3], positions[i * 3 + 1], positions[i * 3 + 2]];
    const q = toFace(f, p);
    // Every field is zero beyond ~2.5 IOD of the eye midpoint: skip hair and the back of the head.
    if (Math.abs(q[0]) > 1.6 || q[1] > 1.2 || q[1] < -3 || q[2] < rig.jawPivot[2] - 0.1) continue;
    const dq = faceDisplacement(rig, w, q);
    if (dq[0] === 0 && dq[1] === 0 && dq[2] === 0) continue;
    const dw = fromFaceDir(f, dq);
    positions[i * 3] += dw[0];
    positions[i * 3 + 1] += dw[1];
    positions[i * 3 + 2] += dw[2];
  }
  return { ...cloud, positions };
}
