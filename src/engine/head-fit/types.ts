import type { LensSource } from '../preprocess/lens';

/**
 * A morphable head fitted to one portrait: shape (identity), expression, head pose and the camera
 * that took the photo. Stored with each run (`head-fit.json`) so later stages can rig and export it.
 *
 * Camera convention: OpenCV (x right, y down, z forward) in the 512 px preprocessed crop, principal
 * point at the crop centre. Model space: the head model's (centimetres, +Y up, face looks along +Z).
 *   q = R p + t,   u = f q.x / q.z + cx,   v = f q.y / q.z + cy.
 */
export interface HeadFit {
  model: { name: string; sha256: string };
  /** Identity coefficients (~N(0,1) each), one per fitted mode. */
  identity: number[];
  /** Expression weights in [0, 1] by the model's expression names (only the fitted ones). */
  expression: Record<string, number>;
  /** Model -> camera rotation, row-major 3x3. */
  rotation: number[];
  /** Model -> camera translation (cm). */
  translation: [number, number, number];
  /** Focal length and principal point in crop pixels. */
  focalPx: number;
  cx: number;
  cy: number;
  /** Vertical field of view of the 512 crop implied by focalPx (degrees). */
  cropFovyDeg: number;
  /**
   * Where the lens came from: 'fitted' (chosen among the fit's candidate lenses: weakly determined,
   * landmarks barely tell lenses apart), 'prior' (a face turned too far for its landmarks to tell:
   * the portrait lens assumed), or held at the one the user stated or the photo's EXIF gave.
   */
  lensSource: LensSource;
  /**
   * What the model was fitted to: the detected face-mesh landmarks, or a profile's synthetic ones (a
   * template stood on the profile line: only the profile's midline is measured, the rest is a prior).
   */
  landmarkSource: 'detected' | 'profile';
  /** Head pose relative to the camera (degrees): yaw + = face turned to image right, pitch + = face tilted down, roll + = counter-clockwise in the image. */
  yawDeg: number;
  pitchDeg: number;
  rollDeg: number;
  /**
   * Camera elevation (degrees, + = above the head looking down) that makes this head upright in the
   * world: a camera above an upright head sees its face tilted down by exactly its elevation.
   */
  cameraElevationDeg: number;
  /** Reprojection of the fitted landmarks: mean and RMS error in pixels, mean error / inter-ocular distance. */
  meanErrorPx: number;
  rmsErrorPx: number;
  meanErrorIod: number;
  interOcularPx: number;
  landmarksUsed: number;
  timeMs: number;
}
