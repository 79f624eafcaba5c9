/**
 * A right-handed face frame derived from the anchors, so that the rig works for any head pose and
 * scale: x = towards the subject's left, y = up the face (mouth -> eyes), z = out of the face;
 * unit = the inter-ocular distance (eye centre to eye centre).
 */
import type { Vec3 } from '../camera';
import type { EyeAnchors, FaceAnchors } from './face-anchors';

export interface FaceFrame {
  origin: Vec3;
  x: Vec3;
  y: Vec3;
  z: Vec3;
  /** Inter-ocular distance, world units. */
  unit: number;
}

export const sub = (a: Vec3, b: Vec3): Vec3 => [a[0] - b[0], a[1] - b[1], a[2] - b[2]];
export const add = (a: Vec3, b: Vec3): Vec3 => [a[0] + b[0], a[1] + b[1], a[2] + b[2]];
export const scale = (a: Vec3, s: number): Vec3 => [a[0] * s, a[1] * s, a[2] * s];
export const dot = (a: Vec3, b: Vec3): number => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
export const mid = (a: Vec3, b: Vec3): Vec3 => scale(add(a, b), 0.5);
const cross = (a: Vec3, b: Vec3): Vec3 => [
  a[1] * b[2] - a[2] * b[1],
  a[2] * b[0] - a[0] * b[2],
  a[0] * b[1] - a[1] * b[0],
];
const norm = (a: Vec3): Vec3 => scale(a, 1 / Math.hypot(...a));

export function eyeCentre(e: EyeAnchors): Vec3 {
  return scale(add(add(e.upperLid, e.lowerLid), add(e.inner, e.outer)), 0.25);
}

export function faceFrame(a: FaceAnchors): FaceFrame {
  const le = eyeCentre(a.leftEye);
  const re = eyeCentre(a.rightEye);
  const unit = Math.hypot(...sub(le, re));
  if (!(unit > 1e-6)) throw new RangeError('face anchors are degenerate: the eye centres coincide');
  const x = norm(sub(le, re));
  const eyes = mid(le, re);
  const mouth = mid(a.mouthLeft, a.mouthRight);
  const upRaw = sub(eyes, mouth);
  const y = norm(sub(upRaw, scale(x, dot(upRaw, x))));
  const z = cross(x, y);
  return { origin: eyes, x, y, z, unit };
}

/** World point -> face coordinates (in inter-ocular units). */
export function toFace(f: FaceFrame, p: Vec3): Vec3 {
  const d = sub(p, f.origin);
  return [dot(d, f.x) / f.unit, dot(d, f.y) / f.unit, dot(d, f.z) / f.unit];
}

/** Face-coordinate direction (in inter-ocular units) -> world displacement. */
export function fromFaceDir(f: FaceFrame, d: Vec3): Vec3 {
  return scale(add(add(scale(f.x, d[0]), scale(f.y, d[1])), scale(f.z, d[2])), f.unit);
}
