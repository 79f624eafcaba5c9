/**
 * What preprocessing hands to the rest of the pipeline (multi-view backends, identity metrics,
 * the UI). Produced by src/engine/preprocess. All pixel coordinates are in the 512x512 framed crop
 * unless stated otherwise.
 */
import type { GrayImageF32, RgbaImage } from '../image';

/** Number of face-mesh landmarks (MediaPipe 468 + 10 iris). */
export const FACE_LANDMARK_COUNT = 478;

/** Most pixels (of the 512 crop's) of the photo kept past the crop's left, right and bottom edges (PreprocessResult.around). */
export const AROUND_CROP_PX = 256;

/** Label values of `regions` (per pixel of the 512 crop). */
export const REGION = { background: 0, skin: 1, hair: 2, clothing: 3, eyes: 4, mouth: 5 } as const;
export type RegionLabel = (typeof REGION)[keyof typeof REGION];

export interface FaceAnalysis {
  /** Face box in crop pixels. */
  box: { x: number; y: number; width: number; height: number };
  /** Detector confidence in [0, 1]. */
  score: number;
  /**
   * Face-mesh landmarks, Float32Array [478 * 3]: x, y in crop pixels, z relative depth in the same
   * pixel units (MediaPipe convention: smaller z = closer to the camera).
   */
  landmarks: Float32Array;
  /**
   * The same landmarks averaged with the portrait's mirror image's (engine/face/mirror-averaged.ts), same
   * layout: what the head model is fitted to. The detector reads every face with a one-sided bias (the
   * subject's right eye narrower, the right brow higher) that the fit took for expression; averaged, it
   * cancels. The crop, the regions and the weight-free head keep `landmarks`, the detection they were
   * built and measured on. Absent on results made before it existed: `landmarks` then.
   */
  fitLandmarks?: Float32Array;
  /** Head pose in degrees: yaw (+ = subject turns to their left / camera sees more of their right cheek; see preprocess README), pitch (+ = looking down), roll. */
  yawDeg: number;
  pitchDeg: number;
  rollDeg: number;
  /** L2-normalised identity embedding (length depends on the encoder; see `embeddingModel`). */
  embedding: Float32Array;
  embeddingModel: string;
}

export interface PreprocessResult {
  /** Framed crop, 512x512, RGB composited on white, alpha = matte. */
  image512: RgbaImage;
  /** Same framing at 256x256. */
  image256: RgbaImage;
  /** Foreground alpha matte of the 512 crop in [0, 1] (head, hair, neck, shoulders). */
  matte512: GrayImageF32;
  /** Per-pixel region labels of the 512 crop (REGION values), length 512*512. */
  regions: Uint8Array;
  /** 112x112 ArcFace-aligned identity crop (5-point similarity to the standard template); null without a face. */
  idCrop112: RgbaImage | null;
  face: FaceAnalysis | null;
  /** Auto-estimated camera elevation in degrees (-10..40), from head pitch; the user may override. */
  elevationDeg: number;
  /** Mapping from the original image to the crop: crop = (orig - offset) * scale. */
  framing: { scale: number; offsetX: number; offsetY: number; sourceWidth: number; sourceHeight: number };
  /**
   * The lens that took the photo when the file says (its EXIF 35 mm-equivalent focal length): the
   * vertical field of view over the whole photo, in degrees; absent when it does not. A lens the user
   * states (RunSettings.inputFovyDeg) overrides it; without either the head fit estimates one.
   */
  exifFovyDeg?: number;
  /**
   * The photo round the crop, in the crop's pixels and framing: columns -left .. CROP + right - 1 and
   * rows 0 .. CROP + below - 1 (the crop itself included; the shoulders and the chest a head-framed
   * crop cuts off), only as far as the photo goes and at most AROUND_CROP_PX past each edge; RGB on
   * white with alpha = matte, and the matte. Absent when the crop reaches the photo's edges, and on
   * portraits preprocessed before it existed or stylized (a style is applied to the crop only).
   */
  around?: { image: RgbaImage; matte: GrayImageF32; left: number };
  /** Human-readable warnings (no face found, several faces, downscaled, ...). */
  warnings: string[];
}
