/**
 * StudioApi: the one contract between the UI and the engine, whatever the transport
 * (Electron IPC via preload/main/utility process, or WebSocket on 127.0.0.1 in browser mode).
 *
 * Rules: every argument and result is structured-clone/JSON friendly except typed arrays in events
 * (transports carry them as binary). No method takes or returns a filesystem path that the renderer
 * could use: projects and runs are addressed by id, images by `asset` URLs the host serves.
 */

import type { FaceAnchors } from '../animation/face-anchors';

export type ProjectId = string;
export type RunId = string;
export type JobId = string;

export type Quality = 'draft' | 'standard' | 'high';
export type BackendId = 'default' | `pack:${string}`;

export interface ProjectSummary {
  id: ProjectId;
  name: string;
  createdAt: string;
  updatedAt: string;
  /** Asset URL of the thumbnail (latest head's front render, else the portrait). */
  thumbnailUrl: string | null;
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

export interface RunSettings {
  elevationDeg: number | 'auto';
  seed: number;
  quality: Quality;
  backend: BackendId;
  /** Overrides of the quality preset. */
  steps?: number;
  maxGaussians?: number;
  /** View indices (0..15) excluded from optimisation. */
  ignoredViews?: number[];
  /** 2D style applied to the preprocessed portrait before the multi-view stage (issue 9, the paper's stylized heads). */
  style?: PortraitStyle;
}

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

/**
 * Every format the engine writes (src/shared/splat ExportFileFormat; docs/formats.md), and 'mesh-glb':
 * not splats but the fitted head model as a textured mesh with ARKit morph targets, no hair
 * (docs/mesh-export.md; preset, SH, budget and clean-up do not apply).
 */
export type ExportFormat =
  'ply' | 'ply-compact' | 'splat' | 'spz' | 'glb' | 'compressed-ply' | 'sog' | 'html' | 'mesh-glb';
export type EnginePreset = 'none' | 'unity' | 'unreal' | 'blender' | 'godot' | 'web';

export interface ExportRequest {
  projectId: ProjectId;
  runId: RunId;
  format: ExportFormat;
  preset: EnginePreset;
  shDegree?: 0 | 1 | 2 | 3;
  maxSplats?: number;
  /** SPZ only: container version (default 2, the widest support; 4 is zstd). */
  spzVersion?: 2 | 3 | 4;
  /** Encode and count, write nothing: the export dialog's exact size estimate (not for mesh-glb). */
  estimateOnly?: boolean;
  /** Clean-up before the budget, in the head's own axes and metres (src/shared/splat/presets.ts ExportCleanup). */
  cleanup?: {
    minOpacity?: number;
    cropBox?: { min: [number, number, number]; max: [number, number, number] };
    cropSphere?: { center: [number, number, number]; radius: number };
  };
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

/** Built-in weight-free 2D portrait styles (src/shared/stylize). */
export type PortraitStyleName = 'cel' | 'pencil' | 'painterly';
/** A style of an installed style pack (ONNX image-to-image): 'pack:NAME' (its default style) or 'pack:NAME/STYLE'. */
export type PackStyleId = `pack:${string}`;
export interface PortraitStyle {
  name: PortraitStyleName | PackStyleId;
  /** 0 = unchanged, 1 = strongest (for a pack style: the network's output). */
  strength: number;
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

/**
 * One 3D recolouring step on a head's Gaussians (src/shared/stylize/cloud-restyle.ts); colours are
 * sRGB in [0, 1]; steps apply in order.
 */
export type HeadRestyleOp =
  | { kind: 'hueSaturation'; hueDeg?: number; saturation?: number }
  | { kind: 'tint'; color: [number, number, number]; strength?: number }
  | { kind: 'posterize'; levels: number; strength?: number }
  | { kind: 'palette'; palette: [number, number, number][]; strength?: number };

export type AnimationPathKind = 'turntable' | 'orbit' | 'nod' | 'keyframes';
export type AnimationExpression = 'none' | 'blink' | 'smile' | 'jawOpen' | 'browRaise';
export type AnimationFormat = 'mp4' | 'webm' | 'gif' | 'png';

export interface AnimationRequest {
  projectId: ProjectId;
  runId: RunId;
  /**
   * turntable: one turn at elevationDeg; orbit: one turn while the elevation sweeps -10..30 degrees;
   * nod: the camera bobs +-12 degrees around the front; keyframes: through `keyframes` (times in s).
   */
  path: {
    kind: AnimationPathKind;
    elevationDeg?: number;
    keyframes?: { timeS: number; azimuthDeg: number; elevationDeg: number }[];
  };
  /** Expression pulsed 0 -> 1 -> 0 over the clip by the landmark rig ('none' = camera only). */
  expression: AnimationExpression;
  /** mp4 (H.264), webm (VP9), gif, or png (a PNG sequence, delivered as one .zip). */
  format: AnimationFormat;
  /** Square frame size in pixels (even). */
  size: number;
  fps: number;
  durationS: number;
  /** '#rrggbb', or 'transparent' (png and gif only). */
  background: string;
}

/** Where a started animation export will land; the file exists once its job is 'done'. */
export interface AnimationExportStarted {
  job: JobInfo;
  /** File name inside the run's exports folder (not a path). */
  fileName: string;
  /** Asset URL of the file (valid once the job is done). */
  url: string;
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
  kind: 'generate' | 'export' | 'preprocess' | 'seed-previews';
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

export interface Settings {
  defaultQuality: Quality;
  defaultBackend: BackendId;
  previewBackground: string;
  theme: 'dark' | 'light';
}

export interface StudioApi {
  getEngineInfo(): Promise<EngineInfo>;

  listProjects(): Promise<ProjectSummary[]>;
  getProject(id: ProjectId): Promise<ProjectDetail>;
  /** Create a project from image bytes (the UI reads dropped files; no paths cross the boundary). */
  createProject(args: { name: string; fileName: string; bytes: Uint8Array }): Promise<ProjectSummary>;
  renameProject(args: { id: ProjectId; name: string }): Promise<ProjectSummary>;
  deleteProject(args: { id: ProjectId }): Promise<void>;
  /**
   * Copy a project into a new one named "<name> copy": the portrait, and every finished run
   * (settings, preprocessing, views, head, metrics; not its exports). Runs still queued or running are
   * not copied.
   */
  duplicateProject(args: { id: ProjectId }): Promise<ProjectSummary>;

  startRun(args: { projectId: ProjectId; settings: RunSettings }): Promise<JobInfo>;
  cancelJob(args: { jobId: JobId }): Promise<JobInfo>;
  listJobs(): Promise<JobInfo[]>;

  exportRun(args: ExportRequest): Promise<ExportResult>;

  /**
   * Seed explorer: the multi-view stage's views for each seed at SEED_PREVIEW_SIZE px (stored in the
   * project's seed-previews/ folder), without optimising a head, as a job (kind 'seed-previews'):
   * progress and cancellation like a run, each seed's views pushed as a 'seed-preview' event as soon as
   * they are made. `style` (the draft RunSettings.style) goes on the portrait first, as a run would do.
   */
  startSeedPreviews(args: {
    projectId: ProjectId;
    seeds: number[];
    elevationDeg: number | 'auto';
    backend: BackendId;
    style?: PortraitStyle;
  }): Promise<JobInfo>;

  getSettings(): Promise<Settings>;
  updateSettings(patch: Partial<Settings>): Promise<Settings>;

  /** The styles the Stylize panel offers: the built-in ones, then each style of each installed, valid style pack. */
  listPortraitStyles(): Promise<PortraitStyleChoice[]>;
  /** Preview a 2D style on the project's preprocessed portrait (commit it with RunSettings.style). */
  previewPortraitStyle(args: { projectId: ProjectId; style: PortraitStyle }): Promise<PortraitStylePreview>;
  /**
   * Save a finished run's head recoloured by `ops` as a new run (a variant: same views, the restyled
   * head, renders of it, and restyle.json naming the source run). Resolves when it is written.
   */
  saveRestyledRun(args: { projectId: ProjectId; runId: RunId; ops: HeadRestyleOp[] }): Promise<RunSummary>;
  /** Render a finished run's head along a camera path to a video / GIF / PNG sequence, as a job (kind 'export'). */
  startAnimationExport(args: AnimationRequest): Promise<AnimationExportStarted>;
  /** The head seen from its front (found with the landmark model), written as a PNG into the run's exports. */
  exportFrontalView(args: { projectId: ProjectId; runId: RunId; size: number }): Promise<FrontalExportResult>;
  /**
   * The face anchors (world space) the expression rig uses for a finished run: its fitted landmarks,
   * or found on a frontal render of the head. For the live expression preview in the page.
   */
  getFaceAnchors(args: { projectId: ProjectId; runId: RunId }): Promise<RunFaceAnchors>;

  /** Subscribe to engine events; returns an unsubscribe function. */
  onEvent(listener: (event: StudioEvent) => void): () => void;
}

/** Method names of StudioApi that are request/response calls (everything except onEvent). */
export type StudioMethod = Exclude<keyof StudioApi, 'onEvent'>;

/** Every request/response method, in one list that transports and schemas iterate over. */
export const STUDIO_METHODS = [
  'getEngineInfo',
  'listProjects',
  'getProject',
  'createProject',
  'renameProject',
  'deleteProject',
  'duplicateProject',
  'startRun',
  'cancelJob',
  'listJobs',
  'exportRun',
  'startSeedPreviews',
  'getSettings',
  'updateSettings',
  'listPortraitStyles',
  'previewPortraitStyle',
  'saveRestyledRun',
  'startAnimationExport',
  'exportFrontalView',
  'getFaceAnchors',
] as const satisfies readonly StudioMethod[];

/**
 * Machine-readable error codes. Every rejected StudioApi call carries one (transports keep it), so
 * the UI can react without parsing messages:
 *   BAD_REQUEST          arguments failed schema validation (message says which field)
 *   BAD_MESSAGE          a transport frame could not be decoded (connection survives)
 *   UNAUTHORIZED         WebSocket token missing or wrong (connection is closed with code 4401)
 *   NOT_FOUND            unknown project / run / job id
 *   PATH_ESCAPE          an id or asset path would leave the library
 *   INVALID_IMAGE        bytes are not a decodable image
 *   DAMAGED              project.json unreadable or invalid; the project is left untouched
 *   DISK_FULL            ENOSPC while writing; partial files removed
 *   IO                   other filesystem failure (permissions, unreadable folder)
 *   PIPELINE_UNAVAILABLE the generate pipeline (or a stage of it) is not present
 *   BACKEND_UNAVAILABLE  the requested model pack / execution provider is not present
 *   UNSUPPORTED          method exists in the contract but the engine does not implement it yet
 *   CANCELLED            the job or request was cancelled
 *   ENGINE_CRASHED       the engine process died while handling the call; it is being restarted
 *   INTERNAL             anything else (a bug): see the engine log
 */
export type StudioErrorCode =
  | 'BAD_REQUEST'
  | 'BAD_MESSAGE'
  | 'UNAUTHORIZED'
  | 'NOT_FOUND'
  | 'PATH_ESCAPE'
  | 'INVALID_IMAGE'
  | 'DAMAGED'
  | 'DISK_FULL'
  | 'IO'
  | 'PIPELINE_UNAVAILABLE'
  | 'BACKEND_UNAVAILABLE'
  | 'UNSUPPORTED'
  | 'CANCELLED'
  | 'ENGINE_CRASHED'
  | 'INTERNAL';

/** WebSocket close code sent when the token is wrong or missing. */
export const WS_CLOSE_UNAUTHORIZED = 4401;
/** Path of the RPC WebSocket endpoint on the browser-mode server (ws://127.0.0.1:PORT/rpc?token=T). */
export const WS_RPC_PATH = '/rpc';
