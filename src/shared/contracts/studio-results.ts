/**
 * What the engine sends the UI: the results of StudioApi calls and the events it pushes. Plain
 * structured-clone / JSON data, except the typed arrays of 'job-preview' events (transports carry them
 * as binary). No path the renderer could use: projects and runs are addressed by id, files by `asset`
 * URLs the host serves.
 */
import type { FaceAnchors } from '../animation/face-anchors';
import type { StudioErrorCode } from './studio-errors';
import type { JobId, PackStyleId, PortraitStyle, PortraitStyleName, ProjectId, RunId, RunSettings } from './studio-requests';

export interface ProjectSummary {
  id: ProjectId;
  name: string;
  createdAt: string;
  updatedAt: string;
  /** Asset URL of the thumbnail (the pinned cover run's front render, else the newest finished run's, else the portrait). */
  thumbnailUrl: string | null;
  /** The finished run the user pinned as the cover; null or absent: none (the newest finished run is shown). */
  coverRunId?: string | null;
  runCount: number;
  /** 'ok', or 'damaged' with the reason (project.json unreadable/invalid); damaged projects are never dropped. */
  status: 'ok' | 'damaged';
  damage?: string;
  /** A sentence about the portrait found at import that the artist should see (no face found). */
  inputWarning?: string;
  /** The project's queued or running job; `state` tells a job waiting in the queue from one at work. */
  activeJob?: {
    jobId: JobId;
    stage: string;
    fraction: number;
    state?: 'queued' | 'running';
    kind?: JobInfo['kind'];
  } | null;
  lastRunState?: RunState | null;
}

export type RunState = 'queued' | 'running' | 'done' | 'failed' | 'cancelled';

export interface RunSummary {
  id: RunId;
  projectId: ProjectId;
  createdAt: string;
  state: RunState;
  settings: RunSettings;
  error?: string;
  metrics?: { meanPsnr?: number; perViewPsnr?: number[]; gaussians?: number };
  timings?: Record<string, number>;
  /** Asset URLs of the 16 views, the head renders and the splat file, where present. */
  viewUrls?: string[];
  renderUrls?: string[];
  splatUrl?: string | null;
  /** Set when this run is a variant made from another run (a 3D restyle saved by saveRestyledRun). */
  variantOf?: { runId: RunId; kind: 'restyle' };
}

export interface ProjectDetail extends ProjectSummary {
  inputUrl: string | null;
  preprocessed?: {
    cropUrl: string;
    overlayUrl: string | null;
    yawDeg: number | null;
    pitchDeg: number | null;
    elevationDeg: number;
    warnings: string[];
  } | null;
  runs: RunSummary[];
}

export interface ExportResult {
  /** File name inside the project's exports folder (not a path). */
  fileName: string;
  bytes: number;
  /** Gaussians written (after clean-up and budget). */
  splats?: number;
  /** SH degree of the file written, and of the run's head (the most any export can carry). */
  shDegree?: number;
  headShDegree?: number;
  /** Asset URL to download it in browser mode. */
  url: string;
}

/** One entry of the style picker: a built-in style, or one style of an installed, valid style pack. */
export interface PortraitStyleChoice {
  /** What PortraitStyle.name takes: 'cel', or 'pack:NAME/STYLE'. */
  id: PortraitStyleName | PackStyleId;
  label: string;
  kind: 'builtin' | 'pack';
  /** For pack styles: the pack's default style (what 'pack:NAME' alone picks). */
  isPackDefault?: boolean;
}

/** A style previewed on the project's preprocessed portrait (low resolution, for choosing). */
export interface PortraitStylePreview {
  style: PortraitStyle;
  /** Asset URLs of the portrait before and after the style, both `size` px square. */
  beforeUrl: string;
  afterUrl: string;
  size: number;
}

/** Where a started animation export will land; the file exists once its job is 'done'. */
export interface AnimationExportStarted {
  job: JobInfo;
  /** File name inside the run's exports folder (not a path). */
  fileName: string;
  /** Asset URL of the file (valid once the job is done). */
  url: string;
}

/**
 * A run's head posed by ARKit weights (poseHead), in the stored (not activated) form of a degree-0
 * GaussianCloud, N = count: positions [N*3] (the run's world, y up), scales [N*3] log std-dev,
 * rotations [N*4] w x y z, opacities [N] logits, shDC [N*3] SH degree-0 coefficients. The first
 * Gaussians are the head's own, followed by what the pose exposes from the head model (`layers`).
 */
export interface PosedHead {
  count: number;
  positions: Float32Array;
  scales: Float32Array;
  rotations: Float32Array;
  opacities: Float32Array;
  shDC: Float32Array;
  /** Parts added from the model because the pose shows them: 'mouth' (teeth, gums, socket), 'lidL', 'lidR'. */
  layers: string[];
  /** How many of the head's Gaussians are bound to the fitted model's triangles (the rest, hair and torso, stay). */
  bound: number;
}

/** Face anchors of a run for the expression rig (src/shared/animation FaceAnchors: world-space points). */
export interface RunFaceAnchors {
  anchors: FaceAnchors;
  /** Where they came from (the run's landmarks.json, or detected on a render), in words. */
  source: string;
}

export interface FrontalExportResult extends ExportResult {
  /** Azimuth (pipeline frame, degrees) the front was found at; 0 for a frontal input. */
  frontAzimuthDeg: number;
  /** |yaw| the landmark model measured on the image, or null when it found no face. */
  residualYawDeg: number | null;
}

/** One seed's quick look for the seed explorer: the 16 views at low resolution, no optimisation. */
export interface SeedPreview {
  seed: number;
  /** Elevation the views were made at ('auto' resolved to the estimate). */
  elevationDeg: number;
  /** Asset URLs of the 16 views (SEED_PREVIEW_SIZE px square), in VIEW_AZIMUTHS_DEG order. */
  viewUrls: string[];
}

/** Side of the seed explorer's preview views, in pixels. */
export const SEED_PREVIEW_SIZE = 128;

export interface JobInfo {
  id: JobId;
  kind: 'generate' | 'export' | 'seed-previews';
  projectId: ProjectId | null;
  runId: RunId | null;
  state: RunState;
  stage: string;
  fraction: number;
  etaSeconds: number | null;
  error?: string;
  /** Set with `error` when state is 'failed': why, as a code (e.g. PIPELINE_UNAVAILABLE, ENGINE_CRASHED). */
  errorCode?: StudioErrorCode;
}

/** Events pushed from engine to UI. */
export type StudioEvent =
  | { type: 'job-progress'; job: JobInfo; message?: string }
  | { type: 'job-finished'; job: JobInfo }
  /**
   * Live splat preview as typed arrays, ACTIVATED (ready to draw, unlike GaussianCloud's stored form),
   * N = opacities.length:
   *   positions [N*3] x y z (OpenGL axes), scales [N*3] linear std-dev, rotations [N*4] w x y z
   *   normalised, opacities [N] in 0..1, colors [N*3] r g b in 0..1 (SH degree 0).
   * Transports carry the arrays as binary, never as JSON number lists.
   */
  | {
      type: 'job-preview';
      jobId: JobId;
      projectId: ProjectId;
      runId: RunId;
      step: number;
      positions: Float32Array;
      scales: Float32Array;
      rotations: Float32Array;
      opacities: Float32Array;
      colors: Float32Array;
    }
  /** One seed of a seed-previews job is ready (`done` of `total` seeds made so far). */
  | {
      type: 'seed-preview';
      jobId: JobId;
      projectId: ProjectId;
      preview: SeedPreview;
      done: number;
      total: number;
    }
  | { type: 'projects-changed' }
  | { type: 'engine-restarted'; reason: string };

export interface EngineInfo {
  version: string;
  node: string;
  electron: string | null;
  executionProviders: string[];
  gpu: string | null;
  nativeAddon: 'built' | 'missing';
  modelPacks: { name: string; version: string; valid: boolean; problem?: string }[];
  /** Whether the generate pipeline module is present; jobs fail with PIPELINE_UNAVAILABLE otherwise. */
  pipeline: { available: boolean; problem?: string };
}
