/**
 * The facial anchor points the expression rig needs, in WORLD space (OpenGL axes: +y up, the face
 * looks towards +z; the subject's left is +x). "Left"/"right" are the subject's own sides.
 */
import type { Vec3 } from '../camera';

export interface EyeAnchors {
  upperLid: Vec3;
  lowerLid: Vec3;
  inner: Vec3;
  outer: Vec3;
}

export interface FaceAnchors {
  leftEye: EyeAnchors;
  rightEye: EyeAnchors;
  /** Middle of each eyebrow. */
  leftBrow: Vec3;
  rightBrow: Vec3;
  mouthLeft: Vec3;
  mouthRight: Vec3;
  /** Inner lip midpoints (where the lips meet). */
  upperLip: Vec3;
  lowerLip: Vec3;
  chin: Vec3;
}

/**
 * MediaPipe face-mesh (478 points) indices for each anchor. Index conventions are MediaPipe's: 33/133
 * are the subject's RIGHT eye corners (image left in a frontal photo).
 */
export const MESH478_ANCHOR_INDICES = {
  rightEye: { upperLid: 159, lowerLid: 145, inner: 133, outer: 33 },
  leftEye: { upperLid: 386, lowerLid: 374, inner: 362, outer: 263 },
  rightBrow: [70, 63, 105, 66, 107],
  leftBrow: [300, 293, 334, 296, 336],
  mouthRight: 61,
  mouthLeft: 291,
  upperLip: 13,
  lowerLip: 14,
  chin: 152,
} as const;

/** Anchors from a 478-point mesh already lifted to world space: Float32Array/number[] [478 * 3]. */
export function anchorsFromMesh478(points: ArrayLike<number>): FaceAnchors {
  if (points.length !== 478 * 3)
    throw new RangeError(`expected 478 x 3 world landmarks, got ${points.length} numbers`);
  const at = (i: number): Vec3 => [points[i * 3], points[i * 3 + 1], points[i * 3 + 2]];
  const mean = (idx: readonly number[]): Vec3 => {
    const s: Vec3 = [0, 0, 0];
    for (const i of idx) for (let c = 0; c < 3; c++) s[c] += points[i * 3 + c] / idx.length;
    return s;
  };
  const eye = (e: { upperLid: number; lowerLid: number; inner: number; outer: number }): EyeAnchors => ({
    upperLid: at(e.upperLid),
    lowerLid: at(e.lowerLid),
    inner: at(e.inner),
    outer: at(e.outer),
  });
  const m = MESH478_ANCHOR_INDICES;
  const anchors: FaceAnchors = {
    leftEye: eye(m.leftEye),
    rightEye: eye(m.rightEye),
    leftBrow: mean(m.leftBrow),
    rightBrow: mean(m.rightBrow),
    mouthLeft: at(m.mouthLeft),
    mouthRight: at(m.mouthRight),
    upperLip: at(m.upperLip),
    lowerLip: at(m.lowerLip),
    chin: at(m.chin),
  };
  validateAnchors(anchors);
  return anchors;
}

/** Throws on NaN/infinite anchors or a degenerate face (eyes on top of each other). */
export function validateAnchors(a: FaceAnchors): void {
  const all: Vec3[] = [
    ...Object.values(a.leftEye),
    ...Object.values(a.rightEye),
    a.leftBrow,
    a.rightBrow,
    a.mouthLeft,
    a.mouthRight,
    a.upperLip,
    a.lowerLip,
    a.chin,
  ];
  if (all.some((p) => p.length !== 3 || p.some((v) => !Number.isFinite(v)))) {
    throw new RangeError('face anchors must be finite 3D points');
  }
}
