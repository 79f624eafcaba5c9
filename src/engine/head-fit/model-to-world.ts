/**
 * Where the fitted head model sits in a run's world (the frame of head.ply and the 16 view cameras:
 * +y up, face towards +z, orbit radius 1.5).
 *
 * The chain is the weight-free backend's (src/engine/multiview/weightfree/fitted-shape.ts and
 * image-frame.ts), written once here:
 *   model (cm) -> input camera (OpenCV, cm):  q = R p + t                       (head-fit.json)
 *   camera -> image frame G (crop px):        G = (f q.x/q.z, -f q.y/q.z, -(q.z - zc) f / zc)
 *                                             zc = depth of MODEL_CENTRE (G.z = 0 there)
 *   G -> world:                               gToWorld(frame, G), frame = the input camera
 *                                             (record.json resolved.inputCamera), zRef from the
 *                                             centre's G.y and the elevation (orbitAxisZRef)
 * With the input camera's focal length equal to the fit's (it is: the run's input camera has the fit's
 * field of view) the chain is a similarity: world = A p + b, A = s * Rw^T R (s = distance / zc world
 * units per cm). `fittedModelToWorld` returns both the exact point map and that affine form.
 */
import { orbitCamera, type Vec3 } from '../../shared/camera';
import type { InputCameraRecord } from '../../shared/contracts/multiview';
import { CROP } from '../multiview/weightfree/landmarks';
import { gToWorld, orbitAxisZRef, type ImageFrame } from '../multiview/weightfree/image-frame';
import type { HeadFit } from './types';

/**
 * Head centre in model space (cm): the point the weight-free head puts at G.z = 0 (the image frame's
 * zRef). Must equal MODEL_CENTRE in src/engine/multiview/weightfree/fitted-shape.ts (a run-based test,
 * tests/mesh-export, checks the two agree through the run's landmarks.json).
 */
export const FIT_MODEL_CENTRE: Vec3 = [0, 4, 1.5];

export interface ModelToWorld {
  /** Exact map of a model-space point (cm) to world, through G and gToWorld. */
  point(p: ArrayLike<number>, o?: number): Vec3;
  /** The same as world = A p + b; A row-major 3x3 (a rotation times `scale`). */
  A: Float64Array;
  b: Vec3;
  /** World units per model centimetre. */
  scale: number;
  /** The image frame used (the run's input camera). */
  frame: ImageFrame;
}

/**
 * The input camera a run's head fit was placed with (record.json resolved.inputCamera); `centreGy` is
 * the head centre's G.y (its height above the crop's centre, pixels), which with the elevation puts the
 * orbit's axis through the head as the weight-free build does (image-frame.ts orbitAxisZRef).
 */
export function inputImageFrame(camera: InputCameraRecord, centreGy: number): ImageFrame {
  const cam = orbitCamera(camera.azimuthDeg, camera.elevationDeg, CROP, camera.fovyDeg, camera.distance);
  return {
    camera: cam,
    azimuthDeg: camera.azimuthDeg,
    pxToWorld: camera.distance / cam.fy,
    distance: camera.distance,
    zRef: orbitAxisZRef(centreGy, 0, camera.elevationDeg),
  };
}

/** Model (cm) -> world for a run's fitted head, given the run's input camera. */
export function fittedModelToWorld(
  fit: Pick<HeadFit, 'rotation' | 'translation' | 'focalPx'>,
  inputCamera: InputCameraRecord,
): ModelToWorld {
  const R = fit.rotation;
  const t = fit.translation;
  const f = fit.focalPx;
  const zc = R[6] * FIT_MODEL_CENTRE[0] + R[7] * FIT_MODEL_CENTRE[1] + R[8] * FIT_MODEL_CENTRE[2] + t[2];
  const yc = R[3] * FIT_MODEL_CENTRE[0] + R[4] * FIT_MODEL_CENTRE[1] + R[5] * FIT_MODEL_CENTRE[2] + t[1];
  const frame = inputImageFrame(inputCamera, (-f * yc) / zc);
  const out = new Float64Array(3);
  const point = (p: ArrayLike<number>, o = 0): Vec3 => {
    const x = p[o];
    const y = p[o + 1];
    const z = p[o + 2];
    const qx = R[0] * x + R[1] * y + R[2] * z + t[0];
    const qy = R[3] * x + R[4] * y + R[5] * z + t[1];
    const qz = R[6] * x + R[7] * y + R[8] * z + t[2];
    gToWorld(frame, (f * qx) / qz, (-f * qy) / qz, (-(qz - zc) * f) / zc, out, 0);
    return [out[0], out[1], out[2]];
  };
  // Affine form from the origin and the three unit axes (exact for a similarity).
  const b = point([0, 0, 0]);
  const A = new Float64Array(9);
  for (let a = 0; a < 3; a++) {
    const e = [0, 0, 0];
    e[a] = 1;
    const w = point(e);
    for (let r = 0; r < 3; r++) A[r * 3 + a] = w[r] - b[r];
  }
  const scale = Math.cbrt(
    A[0] * (A[4] * A[8] - A[5] * A[7]) -
      A[1] * (A[3] * A[8] - A[5] * A[6]) +
      A[2] * (A[3] * A[7] - A[4] * A[6]),
  );
  return { point, A, b, scale, frame };
}

/** Apply the affine part to [N*3] model points (cm) -> world, or to deltas when `isDelta`. */
export function transformModelPoints(
  m: Pick<ModelToWorld, 'A' | 'b'>,
  src: ArrayLike<number>,
  out: Float32Array = new Float32Array(src.length),
  isDelta = false,
): Float32Array {
  const { A, b } = m;
  const bx = isDelta ? 0 : b[0];
  const by = isDelta ? 0 : b[1];
  const bz = isDelta ? 0 : b[2];
  for (let i = 0; i < src.length; i += 3) {
    const x = src[i];
    const y = src[i + 1];
    const z = src[i + 2];
    out[i] = A[0] * x + A[1] * y + A[2] * z + bx;
    out[i + 1] = A[3] * x + A[4] * y + A[5] * z + by;
    out[i + 2] = A[6] * x + A[7] * y + A[8] * z + bz;
  }
  return out;
}
