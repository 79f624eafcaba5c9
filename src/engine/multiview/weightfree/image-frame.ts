/**
 * The map between the portrait's "image frame" G and the world.
 *
 * G: pixel units of the 512 crop, X = u - 256 (right), Y = 256 - v (up), Z towards the camera
 * (see landmarks.ts). A G point is placed in the world by casting the input camera's ray through its
 * pixel (u, v) to the camera depth D0 - (Z - zRef) * pxToWorld, where D0 = the camera's distance puts
 * Z = zRef at the orbit centre's depth (orbitAxisZRef: the orbit's axis goes through the head). So every proxy point projects back to exactly the pixel it
 * came from in the input view (the front view reproduces the crop), and one pixel at the head centre's
 * depth is pxToWorld world units (2 * 1.5 * tan(5 deg) / 512 ~ 5.1e-4 at the default fovy).
 */
import { ORBIT_RADIUS, orbitCamera, type RasterCamera, type Vec3 } from '../../../shared/camera';
import { CROP } from './landmarks';

export interface ImageFrame {
  /**
   * The camera that took the portrait, 512 px, at the portrait's elevation and at `azimuthDeg`: the
   * azimuth that turns the head's face direction to world azimuth 0 (a 3/4 portrait's camera sits
   * off to the side, so the 16 views see the head's own front at azimuth 0).
   */
  camera: RasterCamera;
  azimuthDeg: number;
  /** World units per pixel at the head centre's depth. */
  pxToWorld: number;
  /** Distance of the camera from the orbit centre (world units); ORBIT_RADIUS for the orbit's own camera. */
  distance: number;
  /** G.z that lies at the orbit centre's depth (orbitAxisZRef: the head centre's, less its lift on the orbit axis). */
  zRef: number;
}

/**
 * G.z of the orbit centre for a head centre at G (gy, gz) seen from `elevationDeg`: the 16 views turn
 * about the world's vertical axis through the head, not about a point in front of or behind it.
 * The orbit centre is on the crop centre's ray (the input camera looks at it) and under the head centre
 * in the world (its axis): world up is (0, cos e, sin e) in G, so the axis point on that ray lies
 * gy tan(e) behind the head centre (a head framed above the crop's centre, seen from above, has the
 * orbit centre below and behind it). With the orbit centre at the head centre's depth instead, the axis
 * passed gy tan(e) in front of the head: at 40 degrees the back views saw the head 20 px (of 256) lower
 * than the ground truth's, whose cameras turn about the head. Level cameras: gz.
 */
export function orbitAxisZRef(gy: number, gz: number, elevationDeg: number): number {
  return gz - gy * Math.tan((elevationDeg * Math.PI) / 180);
}

/**
 * The input camera. With the orbit's field of view it sits at ORBIT_RADIUS; a wider lens (a portrait
 * taken close up, fitted by the head fit) sits closer, at the distance where one pixel at the head
 * centre is the same world size as for the orbit's camera, so the head has the same size in the world
 * whatever lens took it, and its perspective is the photo's.
 */
export function createImageFrame(
  elevationDeg: number,
  zRef: number,
  fovyDeg: number,
  azimuthDeg = 0,
  orbitFovyDeg = fovyDeg,
): ImageFrame {
  const distance =
    (ORBIT_RADIUS * Math.tan((orbitFovyDeg * Math.PI) / 360)) / Math.tan((fovyDeg * Math.PI) / 360);
  const camera = orbitCamera(azimuthDeg, elevationDeg, CROP, fovyDeg, distance);
  return { camera, azimuthDeg, pxToWorld: distance / camera.fy, zRef, distance };
}

/**
 * Input-camera azimuth (degrees) that puts `faceDirG` (the face's outward axis in G, i.e. in the input
 * camera's OpenGL axes) at world azimuth 0. Orbit cameras differ only by a rotation about world +y, so
 * the face direction's world azimuth with the camera at azimuth 0, negated, is the answer.
 */
export function inputAzimuthForFace(elevationDeg: number, faceDirG: Vec3): number {
  const m = orbitCamera(0, elevationDeg, CROP).worldToCamera;
  // GL camera axes -> OpenCV camera axes (y and z flip), then world = R^T c.
  const c: Vec3 = [faceDirG[0], -faceDirG[1], -faceDirG[2]];
  const wx = m[0] * c[0] + m[4] * c[1] + m[8] * c[2];
  const wz = m[2] * c[0] + m[6] * c[1] + m[10] * c[2];
  return (-Math.atan2(wx, wz) * 180) / Math.PI;
}

/** G -> world, written into out[o..o+2]. */
export function gToWorld(
  f: ImageFrame,
  X: number,
  Y: number,
  Z: number,
  out: Float32Array | Float64Array,
  o: number,
): void {
  const c = f.camera;
  const u = X + CROP / 2;
  const v = CROP / 2 - Y;
  const d = f.distance - (Z - f.zRef) * f.pxToWorld;
  const pc0 = ((u - c.cx) / c.fx) * d - c.worldToCamera[3];
  const pc1 = ((v - c.cy) / c.fy) * d - c.worldToCamera[7];
  const pc2 = d - c.worldToCamera[11];
  const m = c.worldToCamera;
  // world = R^T (p_cam - t)
  out[o] = m[0] * pc0 + m[4] * pc1 + m[8] * pc2;
  out[o + 1] = m[1] * pc0 + m[5] * pc1 + m[9] * pc2;
  out[o + 2] = m[2] * pc0 + m[6] * pc1 + m[10] * pc2;
}

export function gToWorldVec(f: ImageFrame, g: Vec3): Vec3 {
  const o = new Float64Array(3);
  gToWorld(f, g[0], g[1], g[2], o, 0);
  return [o[0], o[1], o[2]];
}
