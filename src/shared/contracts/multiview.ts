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
  warnings: string[];
}
