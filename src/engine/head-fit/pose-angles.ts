/**
 * Head pose angles from the fitted model -> camera rotation (row-major 3x3, OpenCV camera axes:
 * x right, y down, z forward).
 */
/** Yaw, pitch, roll (degrees) and camera elevation from a model -> camera rotation. */
export function poseAngles(R: ArrayLike<number>): {
  yawDeg: number;
  pitchDeg: number;
  rollDeg: number;
  cameraElevationDeg: number;
} {
  // Model axes in GL camera axes (x right, y up, z towards the viewer): flip OpenCV's y and z rows.
  const fwd = [R[2], -R[5], -R[8]];
  const up = [R[1], -R[4], -R[7]];
  const deg = 180 / Math.PI;
  const yaw = Math.atan2(fwd[0], fwd[2]) * deg;
  // Face tilted down (forward axis pointing down in the image): pitch > 0. A camera above an upright
  // head looking down at it sees exactly that, so the camera's elevation is the pitch.
  const pitch = -Math.asin(Math.max(-1, Math.min(1, fwd[1]))) * deg;
  const roll = Math.atan2(-up[0], up[1]) * deg;
  return { yawDeg: yaw, pitchDeg: pitch, rollDeg: roll, cameraElevationDeg: pitch };
}
