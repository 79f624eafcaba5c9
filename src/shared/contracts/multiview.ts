/**
 * Output contract of a multi-view backend (weight-free default or an ID-TS model pack):
 * 16 RGBA views at the chosen elevation and VIEW_AZIMUTHS_DEG, in that order.
 */
import type { RgbaImage } from '../image';
import type { GaussianCloud } from '../gaussians/cloud';

export interface MultiViewRequest {
  elevationDeg: number;
  seed: number;
  /** Output resolution (256 or 512). */
  size: number;
}

export interface MultiViewResult {
  /** 16 views, straight alpha; RGB composited on white where alpha is 0. */
  views: RgbaImage[];
  azimuthsDeg: number[];
  elevationDeg: number;
  fovyDeg: number;
  /** Backend-provided initial geometry for reconstruction (the weight-free proxy as Gaussians), optional. */
  initialCloud?: GaussianCloud;
  /**
   * The facial landmarks the backend's head was fitted to, in world space (the same frame as the
   * views' cameras and the head): [478 * 3] x y z, MediaPipe face-mesh order. Optional; the run saves
   * them as landmarks.json for the expression rig.
   */
  landmarksWorld?: Float32Array;
  /**
   * The camera that sees the preprocessed 512 crop, when it is not the pipeline's view 0 convention
   * (azimuth 0, the views' elevation and fovy, ORBIT_RADIUS): an orbit camera looking at the origin.
   * The run records it (record.json resolved.inputCamera); the evaluation harness maps ground-truth
   * cameras through it.
   */
  inputCamera?: InputCameraRecord;
  warnings: string[];
}

/** An orbit camera looking at the world origin that took the 512 crop. */
export interface InputCameraRecord {
  azimuthDeg: number;
  elevationDeg: number;
  fovyDeg: number;
  /** Distance from the origin (world units). */
  distance: number;
}
