/**
 * Shapes shared by the evaluation harness (headforge eval): ground-truth subjects, per-view scores,
 * per-subject and overall reports. Everything in a report is JSON-safe (no Infinity, no typed arrays).
 */
import type { RasterCamera, Vec3 } from '../../shared/camera';
import type { RgbaImage } from '../../shared/image';

/** One ground-truth view: straight-alpha image and the camera it was taken with (GT world). */
export interface GtView {
  label: string;
  image: RgbaImage;
  camera: RasterCamera;
}

export type GtKind = 'mesh' | 'views' | 'run';

/**
 * A ground-truth subject, whatever its source. Cameras live in the subject's own world; the protocol
 * maps them into the pipeline's frame through the input camera (camera-mapping.ts).
 */
export interface GtSubject {
  name: string;
  kind: GtKind;
  /** Where it came from (file or folder), for the report. */
  source: string;
  views: GtView[];
  /** Index into views of the input view (its camera defines the pipeline's azimuth 0). */
  inputIndex: number;
  /** The portrait handed to the pipeline (straight alpha; may be larger than the views). */
  portrait: RgbaImage;
  /** Elevation of the input camera above the orbit plane when the source knows it, else null. */
  elevationDeg: number | null;
  /** GT-world point the cameras orbit (look at). */
  orbitCentre: Vec3;
  warnings: string[];
}

/** Scores of one comparison (one alignment mode). PSNR is capped at PSNR_CAP_DB (identical images). */
export interface ImageScores {
  psnr: number;
  ssim: number;
  maskIoU: number;
}

export const PSNR_CAP_DB = 100;

export interface ViewScores {
  label: string;
  unaligned: ImageScores;
  aligned: ImageScores;
  /** Silhouette alignment applied to the head render: render pixel p -> scale * p + (dx, dy). */
  alignment: { scale: number; dx: number; dy: number; applied: boolean };
  /** Cosine similarity of face embeddings (GT vs aligned render); null when a face is missing in either. */
  csim: number | null;
  /** Why CSIM is null for this view, when it is. */
  csimNote?: string;
}

export interface MeanStd {
  mean: number | null;
  std: number | null;
  n: number;
}

export interface MetricSummary {
  psnr: MeanStd;
  ssim: MeanStd;
  maskIoU: MeanStd;
  csim: MeanStd;
  /** Always reported; null values with `lpipsNote` until an LPIPS model pack exists. */
  lpips: MeanStd;
}

export interface SubjectReport {
  name: string;
  kind: GtKind;
  source: string;
  inputView: string;
  elevationDeg: { groundTruth: number | null; usedByPipeline: number };
  settings: { backend: string; seed: number; quality: string; steps?: number };
  /** The pipeline run that produced the head (relative to the report folder), or the given candidate run. */
  runDir: string;
  views: ViewScores[];
  summary: { unaligned: MetricSummary; aligned: MetricSummary };
  timings: { pipelineS: number; harnessS: number; perStage: Record<string, number> };
  contactSheet: string;
  warnings: string[];
}

export interface EvalReport {
  tool: 'headforge eval';
  version: 1;
  createdAt: string;
  protocol: {
    views: number;
    alignment: string;
    background: string;
    metrics: string[];
    lpips: string;
  };
  subjects: SubjectReport[];
  /** Mean +- std of the subjects' means (Table 1 style). */
  overall: { unaligned: MetricSummary; aligned: MetricSummary; subjects: number };
}
