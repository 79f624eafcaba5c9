/**
 * One small interface per task, so that a model pack can replace any of them (e.g. an ArcFace or a
 * BiRefNet ONNX) without touching the pipeline that calls them.
 */
import type { GrayImageF32, RgbaImage } from '../../shared/image';

/** A face found by a landmarker, in the pixel coordinates of the image it was given. */
export interface DetectedFace {
  box: { x: number; y: number; width: number; height: number };
  /** Detector confidence in [0, 1]. */
  score: number;
  /** Float32Array [478 * 3]: x, y in pixels, z relative depth in pixel units (smaller z = closer). */
  landmarks: Float32Array;
}

/** Face detector + dense landmarker (478-point mesh with iris). */
export interface FaceLandmarker {
  readonly name: string;
  /** All faces found, largest first. */
  detect(img: RgbaImage): Promise<DetectedFace[]>;
}

/** A face to encode: the image it was found in and its 478-landmark mesh in that image's pixels. */
export interface FaceForIdentity {
  image: RgbaImage;
  landmarks: Float32Array;
}

/**
 * Identity encoder. It is given the whole image + mesh (not a fixed crop) because encoders differ in
 * the crop they were trained on (ArcFace: 112 px 5-point aligned; others: looser or larger crops).
 */
export interface IdentityEncoder {
  readonly name: string;
  /** Returns an L2-normalised embedding. */
  embed(face: FaceForIdentity): Promise<Float32Array>;
}

/** Foreground segmenter / matter: soft alpha in [0, 1] at the input's resolution. */
export interface ForegroundMatter {
  readonly name: string;
  matte(img: RgbaImage): Promise<GrayImageF32>;
}
