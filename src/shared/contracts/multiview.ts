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
  warnings: string[];
}
