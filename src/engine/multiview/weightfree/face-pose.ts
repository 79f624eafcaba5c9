/**
 * Which landmarks the head is built from. A frontal face keeps the landmark model's own 3-D points
 * (their flat depth costs nothing when the face looks at the camera, and the identity of the views
 * was tuned on them). A turned face (|2-D yaw| past TURN_START_DEG) gets its points rebuilt at the
 * yaw of the 2-D fit with the canonical face's depth (pose-landmarks.ts): the landmark model's 3-D
 * frame reads a 40 deg turn as ~4 deg, which left a 3/4 face glued flat onto the head. The two blend
 * smoothly up to TURN_FULL_DEG.
 */
import { estimateHeadAxes } from './landmarks';
import { fitPose2D, type PoseFit } from './pose-fit';
import { landmarksFromPose } from './pose-landmarks';

export const TURN_START_DEG = 8;
export const TURN_FULL_DEG = 16;

export interface FacePose {
  /** Landmarks to build from ([478 * 3], FaceAnalysis layout). */
  landmarks: Float32Array;
  /** The 2-D fit (yaw from the image layout, pitch held at the landmark model's). */
  fit: PoseFit;
  /** Share of the rebuilt landmarks in `landmarks` (0 = the model's own, 1 = rebuilt). */
  rebuilt: number;
}

export function facePose(lm: Float32Array): FacePose {
  const axes = estimateHeadAxes(lm);
  // The landmark model's pitch (its forward axis's Y in G, up positive; pitch > 0 = looking down).
  const modelPitchDeg = (-Math.asin(Math.max(-1, Math.min(1, axes.zAxis[1]))) * 180) / Math.PI;
  const fit = fitPose2D(lm, modelPitchDeg);
  const u = Math.min(1, Math.max(0, (Math.abs(fit.yawDeg) - TURN_START_DEG) / (TURN_FULL_DEG - TURN_START_DEG)));
  const t = u * u * (3 - 2 * u);
  if (t === 0) return { landmarks: lm, fit, rebuilt: 0 };
  const rebuilt = landmarksFromPose(lm, fit);
  if (t === 1) return { landmarks: rebuilt, fit, rebuilt: 1 };
  // Model depth shifted so both agree at the eye corners, then a per-coordinate blend.
  const eyes = [33, 263, 133, 362];
  const dz = eyes.reduce((sum, i) => sum + rebuilt[i * 3 + 2] - lm[i * 3 + 2], 0) / eyes.length;
  const out = new Float32Array(lm.length);
  for (let i = 0; i < lm.length; i++) {
    const own = i % 3 === 2 ? lm[i] + dz : lm[i];
    out[i] = own + (rebuilt[i] - own) * t;
  }
  return { landmarks: out, fit, rebuilt: t };
}
