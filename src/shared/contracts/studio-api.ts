/**
 * StudioApi: the one contract between the UI and the engine, whatever the transport
 * (Electron IPC via preload/main/utility process, or WebSocket on 127.0.0.1 in browser mode).
 *
 * Rules: every argument and result is structured-clone/JSON friendly except typed arrays in events
 * (transports carry them as binary). No method takes or returns a filesystem path that the renderer
 * could use: projects and runs are addressed by id, images by `asset` URLs the host serves.
 */

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
  activeJob?: { jobId: JobId; stage: string; fraction: number } | null;
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

export type ExportFormat = 'ply' | 'ply-compact' | 'splat' | 'spz' | 'glb';
export type EnginePreset = 'none' | 'unity' | 'unreal' | 'blender' | 'godot' | 'web';

export interface ExportRequest {
  projectId: ProjectId;
  runId: RunId;
  format: ExportFormat;
  preset: EnginePreset;
  shDegree?: 0 | 1 | 2 | 3;
  maxSplats?: number;
}

export interface ExportResult {
  /** File name inside the project's exports folder (not a path). */
  fileName: string;
  bytes: number;
  /** Asset URL to download it in browser mode. */
  url: string;
}

export interface JobInfo {
  id: JobId;
  kind: 'generate' | 'export' | 'preprocess';
  projectId: ProjectId | null;
  runId: RunId | null;
  state: RunState;
  stage: string;
  fraction: number;
  etaSeconds: number | null;
  error?: string;
}

/** Events pushed from engine to UI. */
export type StudioEvent =
  | { type: 'job-progress'; job: JobInfo; message?: string }
  | { type: 'job-finished'; job: JobInfo }
  /** Live splat preview: a compact cloud (see GaussianCloud layout) as typed arrays. */
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

  startRun(args: { projectId: ProjectId; settings: RunSettings }): Promise<JobInfo>;
  cancelJob(args: { jobId: JobId }): Promise<JobInfo>;
  listJobs(): Promise<JobInfo[]>;

  exportRun(args: ExportRequest): Promise<ExportResult>;

  getSettings(): Promise<Settings>;
  updateSettings(patch: Partial<Settings>): Promise<Settings>;

  /** Subscribe to engine events; returns an unsubscribe function. */
  onEvent(listener: (event: StudioEvent) => void): () => void;
}

/** Method names of StudioApi that are request/response calls (everything except onEvent). */
export type StudioMethod = Exclude<keyof StudioApi, 'onEvent'>;
