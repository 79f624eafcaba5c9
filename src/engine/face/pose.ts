/**
 * Head pose from the 478-point mesh, in the conventions of FaceAnalysis (degrees):
 * - yaw   > 0: the subject turns to their left (the image-right side of the face moves away from the
 *   camera, so the camera sees more of their right cheek);
 * - pitch > 0: the subject looks down (the chin moves away from the camera, the forehead towards it);
 * - roll  > 0: the head tilts clockwise in the image (image-right eye lower than image-left eye).
 * Axes: x = image right, y = image down, z = away from the camera (mesh z: smaller = closer).
 */

/** Mesh indices: outer eye corners (image-left 33, image-right 263), forehead top 10, chin 152. */
const EYE_L = 33, EYE_R = 263, FOREHEAD = 10, CHIN = 152;

type V3 = [number, number, number];

function point(m: Float32Array, i: number): V3 {
  return [m[i * 3], m[i * 3 + 1], m[i * 3 + 2]];
}
function sub(a: V3, b: V3): V3 {
  return [a[0] - b[0], a[1] - b[1], a[2] - b[2]];
}
function norm(v: V3): V3 {
  const l = Math.hypot(v[0], v[1], v[2]) || 1;
  return [v[0] / l, v[1] / l, v[2] / l];
}
const DEG = 180 / Math.PI;

export interface HeadPose {
  yawDeg: number;
  pitchDeg: number;
  rollDeg: number;
}

export function headPoseFromMesh(landmarks: Float32Array): HeadPose {
  // Face x axis: image-left eye corner -> image-right eye corner; y axis: forehead -> chin, made
  // orthogonal to x. Yaw is how much x tilts into depth, pitch how much y tilts into depth.
  const x = norm(sub(point(landmarks, EYE_R), point(landmarks, EYE_L)));
  let y = sub(point(landmarks, CHIN), point(landmarks, FOREHEAD));
  const d = y[0] * x[0] + y[1] * x[1] + y[2] * x[2];
  y = norm([y[0] - d * x[0], y[1] - d * x[1], y[2] - d * x[2]]);
  return {
    yawDeg: Math.asin(Math.max(-1, Math.min(1, x[2]))) * DEG,
    pitchDeg: Math.asin(Math.max(-1, Math.min(1, y[2]))) * DEG,
    rollDeg: Math.atan2(x[1], x[0]) * DEG,
  };
}

/**
 * Default camera elevation for the multi-view stage from head pitch: a head looking down is seen
 * from above. Clamped to the -10..40 degree range the method supports and rounded to 1 degree.
 */
export function elevationFromPitch(pitchDeg: number): number {
  if (!Number.isFinite(pitchDeg)) return 0;
  return Math.round(Math.min(40, Math.max(-10, pitchDeg)));
}
