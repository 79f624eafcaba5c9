/**
 * Face-mesh landmarks -> a canonical head frame.
 *
 * Input landmarks (PreprocessResult.face.landmarks): Float32Array [478 * 3], x, y in crop pixels and z
 * relative depth in pixel units, smaller z = closer to the camera. We work in the "image frame" G,
 * pixel units with OpenGL-like axes: X = x - 256 (right), Y = 256 - y (up), Z = -z (towards the camera).
 *
 * The head frame H has its axes expressed in G: xAxis = the subject's left (image right for a frontal
 * face), yAxis = up along the face, zAxis = out of the face. G = origin + R * H with R's columns
 * (xAxis, yAxis, zAxis). Angles come from the landmarks themselves (symmetric pairs for x, forehead-chin
 * for y), so the frame agrees with the geometry we build from the same points.
 */
import type { Vec3 } from '../../../shared/camera';

/** [subject's right, subject's left] MediaPipe face-mesh landmark pairs (eyes, brows, mouth, oval). */
export const SYMMETRIC_PAIRS: readonly (readonly [number, number])[] = [
  [33, 263], [133, 362], [61, 291], [234, 454], [127, 356], [93, 323], [132, 361], [58, 288], [172, 397],
  [136, 365], [150, 379], [149, 378], [176, 400], [148, 377], [70, 300], [105, 334], [107, 336], [46, 276],
  [98, 327], [129, 358], [205, 425], [50, 280], [187, 411], [147, 376], [123, 352], [116, 345], [117, 346],
  [118, 347], [101, 330], [36, 266], [203, 423], [214, 434], [212, 432], [57, 287], [21, 251], [54, 284],
  [103, 332], [67, 297], [109, 338],
];
/** Midline landmarks, forehead to chin. */
export const MIDLINE: readonly number[] = [10, 151, 9, 8, 168, 6, 197, 195, 5, 4, 1, 2, 164, 0, 13, 14, 17, 18, 200, 199, 175, 152];
/** Face oval, closed loop (MediaPipe FACEMESH_FACE_OVAL order). */
export const FACE_OVAL: readonly number[] = [
  10, 338, 297, 332, 284, 251, 389, 356, 454, 323, 361, 288, 397, 365, 379, 378, 400, 377, 152, 148, 176, 149,
  150, 136, 172, 58, 132, 93, 234, 127, 162, 21, 54, 103, 67, 109,
];
export const LM = {
  foreheadTop: 10,
  glabella: 9,
  noseTip: 1,
  chin: 152,
  rightEyeOuter: 33,
  leftEyeOuter: 263,
  rightEyeInner: 133,
  leftEyeInner: 362,
  rightCheekSide: 234,
  leftCheekSide: 454,
} as const;

export interface HeadFrame {
  /** Head-frame origin in G (pixel units). */
  origin: Vec3;
  /** Columns of R: head axes in G. */
  xAxis: Vec3;
  yAxis: Vec3;
  zAxis: Vec3;
}

export const CROP = 512;

/** Landmark i in G. */
export function landmarkG(lm: Float32Array, i: number): Vec3 {
  return [lm[i * 3] - CROP / 2, CROP / 2 - lm[i * 3 + 1], -lm[i * 3 + 2]];
}

export const sub = (a: Vec3, b: Vec3): Vec3 => [a[0] - b[0], a[1] - b[1], a[2] - b[2]];
export const add = (a: Vec3, b: Vec3): Vec3 => [a[0] + b[0], a[1] + b[1], a[2] + b[2]];
export const scale = (a: Vec3, s: number): Vec3 => [a[0] * s, a[1] * s, a[2] * s];
export const dot = (a: Vec3, b: Vec3): number => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
export const cross = (a: Vec3, b: Vec3): Vec3 => [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
export const norm = (a: Vec3): number => Math.hypot(a[0], a[1], a[2]);
export const normalize = (a: Vec3): Vec3 => scale(a, 1 / (norm(a) || 1));

/** Head axes from the landmarks (origin left at the eye centre; the head model moves it later). */
export function estimateHeadAxes(lm: Float32Array): HeadFrame {
  let xs: Vec3 = [0, 0, 0];
  for (const [r, l] of SYMMETRIC_PAIRS) xs = add(xs, normalize(sub(landmarkG(lm, l), landmarkG(lm, r))));
  const xAxis = normalize(xs);
  const upRaw = sub(landmarkG(lm, LM.foreheadTop), landmarkG(lm, LM.chin));
  const yAxis = normalize(sub(upRaw, scale(xAxis, dot(upRaw, xAxis))));
  const zAxis = cross(xAxis, yAxis);
  const eyes = [LM.rightEyeOuter, LM.leftEyeOuter, LM.rightEyeInner, LM.leftEyeInner].map((i) => landmarkG(lm, i));
  const origin = scale(eyes.reduce(add), 1 / eyes.length);
  return { origin, xAxis, yAxis, zAxis };
}

/** G -> H. */
export function toHead(f: HeadFrame, p: Vec3): Vec3 {
  const d = sub(p, f.origin);
  return [dot(d, f.xAxis), dot(d, f.yAxis), dot(d, f.zAxis)];
}

/** H -> G. */
export function fromHead(f: HeadFrame, h: Vec3): Vec3 {
  return [
    f.origin[0] + f.xAxis[0] * h[0] + f.yAxis[0] * h[1] + f.zAxis[0] * h[2],
    f.origin[1] + f.xAxis[1] * h[0] + f.yAxis[1] * h[1] + f.zAxis[1] * h[2],
    f.origin[2] + f.xAxis[2] * h[0] + f.yAxis[2] * h[1] + f.zAxis[2] * h[2],
  ];
}

/** Yaw (deg) of the face relative to the camera implied by the frame: + = face turned towards image right. */
export function frameYawDeg(f: HeadFrame): number {
  return (Math.atan2(f.zAxis[0], f.zAxis[2]) * 180) / Math.PI;
}
