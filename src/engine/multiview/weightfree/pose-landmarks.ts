/**
 * A turned face's landmarks rebuilt in 3-D from their 2-D positions and the weak-perspective pose fit
 * (pose-fit.ts), so that the head frame and the face height field built from them (landmarks.ts,
 * head-model.ts) sit at the face's real angle.
 *
 * Per landmark i (0..467), in the image frame G (landmarks.ts):
 *   - seen side: X, Y as observed, Z = the depth of the posed canonical face there (anthropometric
 *     depth, face-template.ts), i.e. the landmark is lifted off the image onto the fitted face;
 *   - far side (the template normal turned away from the camera, pose-fit weight -> 0): the landmark
 *     model only guesses these, so the point is the mirror (head-frame x -> -x) of its seen partner;
 *     without a seen partner, the posed canonical point itself.
 * The two blend by the fit's per-point weight. Iris points (468..477) keep their 2-D position and
 * take the depth of their eye's corners. The result has the layout of FaceAnalysis.landmarks
 * ([478 * 3]: x, y in crop pixels, z depth with smaller = closer, pixel units).
 */
import { FACE_MESH_MIRROR } from '../../face/face-mesh-mirror';
import { FACE_TEMPLATE } from './face-template';
import { CROP } from './landmarks';
import type { PoseFit } from './pose-fit';

const MESH_POINTS = 468;
/**
 * Iris landmarks and the eye corners whose depth they take. The project's detector puts the subject's
 * left iris (image right on a frontal face, beside corners 362/263) at 468..472 and the right one at
 * 473..477 (checked on hq-0001 and hq-0002: 468 lies within 4 px of the 362/263 midpoint, 100 px from
 * 33/133).
 */
const IRIS: readonly { points: readonly number[]; corners: readonly [number, number] }[] = [
  { points: [468, 469, 470, 471, 472], corners: [362, 263] },
  { points: [473, 474, 475, 476, 477], corners: [33, 133] },
];

export function landmarksFromPose(lm: Float32Array, fit: PoseFit): Float32Array {
  if (lm.length !== 478 * 3)
    throw new RangeError(`landmarksFromPose needs 478 landmarks, got ${lm.length / 3}`);
  const R = fit.rotation;
  const s = fit.scale;
  const [tx, ty] = fit.shift;
  // Head-frame coordinates (pixel units, origin at the fitted eye centre) of every point as seen.
  const seen = new Float64Array(MESH_POINTS * 3);
  for (let i = 0; i < MESH_POINTS; i++) {
    const t0 = FACE_TEMPLATE[i * 3],
      t1 = FACE_TEMPLATE[i * 3 + 1],
      t2 = FACE_TEMPLATE[i * 3 + 2];
    const Z = s * (R[6] * t0 + R[7] * t1 + R[8] * t2);
    const X = lm[i * 3] - CROP / 2 - tx;
    const Y = CROP / 2 - lm[i * 3 + 1] - ty;
    // h = R^T g
    for (let c = 0; c < 3; c++) seen[i * 3 + c] = R[c] * X + R[3 + c] * Y + R[6 + c] * Z;
  }
  const out = new Float32Array(lm.length);
  const h = new Float64Array(3);
  for (let i = 0; i < MESH_POINTS; i++) {
    const w = fit.weight[i];
    const j = FACE_MESH_MIRROR[i];
    const wj = fit.weight[j];
    // Stand-in for a point the camera does not see: its mirrored partner where that is seen better,
    // the posed canonical point otherwise.
    for (let c = 0; c < 3; c++) {
      const mirrored = (c === 0 ? -1 : 1) * seen[j * 3 + c];
      const canonical = s * FACE_TEMPLATE[i * 3 + c];
      const standIn = j !== i && wj > w ? wj * mirrored + (1 - wj) * canonical : canonical;
      h[c] = w * seen[i * 3 + c] + (1 - w) * standIn;
    }
    const X = R[0] * h[0] + R[1] * h[1] + R[2] * h[2] + tx;
    const Y = R[3] * h[0] + R[4] * h[1] + R[5] * h[2] + ty;
    const Z = R[6] * h[0] + R[7] * h[1] + R[8] * h[2];
    out[i * 3] = X + CROP / 2;
    out[i * 3 + 1] = CROP / 2 - Y;
    out[i * 3 + 2] = -Z;
  }
  for (const eye of IRIS) {
    const z = (out[eye.corners[0] * 3 + 2] + out[eye.corners[1] * 3 + 2]) / 2;
    for (const i of eye.points) out.set([lm[i * 3], lm[i * 3 + 1], z], i * 3);
  }
  return out;
}
