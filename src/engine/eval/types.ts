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
  /**
   * The camera that took the portrait, when it is not views[inputIndex]'s (a run ground truth: the
   * run's recorded input camera, at the portrait's size). GT world.
   */
  inputCamera?: RasterCamera;
  /** The portrait handed to the pipeline (straight alpha; may be larger than the views). */
  portrait: RgbaImage;
  /** Elevation of the input camera above the orbit plane when the source knows it, else null. */
  elevationDeg: number | null;
  /** GT-world point the cameras orbit (look at). */
  orbitCentre: Vec3;
  /** The view whose scores the protocol headlines (profile-to-frontal: the front), if any. */
  scoreIndex?: number;
  /** Which protocol chose the input and score views. */
  protocol?: EvalProtocol;
  /** run ground truth: sha256 of that run's input file (a candidate run from the same file has the same crop). */
  inputSha256?: string;
  warnings: string[];
}

/**
 * 'input-view': the pipeline gets the chosen (default: most frontal) view, every view is scored.
 * 'profile-to-frontal': it gets a profile view (about 90 degrees from the front) and the front view's
 * scores are the headline (CSIM above all), every view still scored.
 */
export type EvalProtocol = 'input-view' | 'profile-to-frontal';

/** How the GT cameras were mapped into the pipeline frame (camera-mapping.ts). */
export interface MappingReport {
  /** Preprocessing's crop of the input portrait: crop = (portrait - offset) * scale, size x size. */
  crop: { scale: number; offsetX: number; offsetY: number; size: number };
  /** Where the crop came from. */
  cropSource:
    'recorded by the run' | 'preprocessing the portrait again' | 'same input as the ground-truth run';
  /** GT world -> pipeline world scale. */
  scale: number;
  /** GT input pixel where the pipeline's orbit centre (the crop's centre) falls. */
  headPixel: [number, number];
  /** Angle between the GT input camera's axis and its ray through headPixel (degrees). */
  offAxisDeg: number;
  /** The pipeline camera that saw the crop, which the GT input camera is matched to. */
  pipelineCamera: { azimuthDeg: number; elevationDeg: number; fovyDeg: number; distance: number };
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
  /** The whole GT frame, render as mapped. */
  unaligned: ImageScores;
  /**
   * Unaligned, inside the pipeline's frame only: the box of the GT view that the pipeline's own view
   * framing covers (for the input view, the preprocessing crop: what the pipeline was given).
   */
  framed?: ImageScores & { box: { x0: number; y0: number; x1: number; y1: number } };
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

/** Mean +- std per alignment mode (framed only when the views have it). */
export interface ViewSummary {
  unaligned: MetricSummary;
  framed?: MetricSummary;
  aligned: MetricSummary;
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
  protocol: EvalProtocol;
  mapping: MappingReport;
  views: ViewScores[];
  /** The protocol's headline view (profile-to-frontal: the GT front), when it has one. */
  headline?: { view: string; scores: ViewScores };
  /**
   * The pipeline's own fit at its input, without the ruler: the head rendered at the run's input
   * camera against its preprocessed crop (preprocess/crop512.png), when the run has one.
   */
  inputCrop?: ImageScores;
  /**
   * The run's fitted head model (head-fit.json), when it has one: its pose against the input camera
   * (degrees), the lens it used, its landmark error (share of the eye distance), and `nodDeg`, its
   * pitch less the elevation the pipeline used: the head's nod in the world (a level head photographed
   * from a stated elevation reads 0; with the elevation estimated, 0 by construction).
   */
  headFit?: {
    yawDeg: number;
    pitchDeg: number;
    rollDeg: number;
    nodDeg: number;
    cropFovyDeg: number;
    lensSource: string;
    meanErrorIod: number;
  };
  summary: ViewSummary;
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
  overall: ViewSummary & { subjects: number };
}
