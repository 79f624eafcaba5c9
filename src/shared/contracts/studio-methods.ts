/**
 * The StudioApi table: one row per request/response method, with the zod tuple its arguments must
 * parse as and the type it resolves with. Everything else follows from this table: the StudioApi type
 * (studio-api.ts), the server-side validation (src/engine/host/dispatch.ts), the RPC client, the
 * Electron preload bridge and IPC handlers, and EngineHost's forwarders to the engine process.
 *
 * To add a method: add its row here, and implement it in the engine (src/engine/host/engine.ts, or
 * StudioApplications for the paper's applications). Nothing else needs to be touched.
 */
import { z } from 'zod';
import type {
  AnimationExportStarted,
  EngineInfo,
  ExportResult,
  FrontalExportResult,
  JobInfo,
  PortraitStyleChoice,
  PortraitStylePreview,
  ProjectDetail,
  ProjectSummary,
  PosedHead,
  RunFaceAnchors,
  RunSummary,
} from './studio-results';
import {
  MAX_IMAGE_BYTES,
  animationRequestSchema,
  backendSchema,
  exportRequestSchema,
  headRestyleOpSchema,
  jobIdSchema,
  nameSchema,
  portraitStyleSchema,
  projectIdSchema,
  runIdSchema,
  runSettingsSchema,
  settingsSchema,
  type Settings,
} from './studio-requests';

/** Marks the type a method resolves with (results are produced by the engine, so not parsed). */
export interface Resolves<T> {
  readonly resolves?: T;
}
const resolves = <T>(): Resolves<T> => ({});

/** The shape of arguments that name one run. */
const projectRun = { projectId: projectIdSchema, runId: runIdSchema };

export const studioMethods = {
  getEngineInfo: { args: z.tuple([]), result: resolves<EngineInfo>() },

  listProjects: { args: z.tuple([]), result: resolves<ProjectSummary[]>() },
  getProject: { args: z.tuple([projectIdSchema]), result: resolves<ProjectDetail>() },
  /** Create a project from image bytes (the UI reads dropped files; no paths cross the boundary). */
  createProject: {
    args: z.tuple([
      z.strictObject({
        name: nameSchema,
        fileName: z.string().min(1).max(255),
        bytes: z
          // Any Uint8Array (a Buffer, or a view on a shared buffer), not only one over an ArrayBuffer.
          .custom<Uint8Array>((b) => b instanceof Uint8Array, { message: 'bytes must be a Uint8Array' })
          .refine((b) => b.byteLength > 0, 'image is empty')
          .refine((b) => b.byteLength <= MAX_IMAGE_BYTES, 'image is larger than 200 MB'),
      }),
    ]),
    result: resolves<ProjectSummary>(),
  },
  renameProject: {
    args: z.tuple([z.strictObject({ id: projectIdSchema, name: nameSchema })]),
    result: resolves<ProjectSummary>(),
  },
  deleteProject: { args: z.tuple([z.strictObject({ id: projectIdSchema })]), result: resolves<void>() },
  /** Pin a finished run as the gallery card's picture (runId null: unpin, the newest finished run shows). */
  setProjectCover: {
    args: z.tuple([z.strictObject({ id: projectIdSchema, runId: runIdSchema.nullable() })]),
    result: resolves<ProjectSummary>(),
  },
  /**
   * Copy a project into a new one named "<name> copy": the portrait, and every finished run
   * (settings, preprocessing, views, head, metrics; not its exports). Runs still queued or running are
   * not copied.
   */
  duplicateProject: { args: z.tuple([z.strictObject({ id: projectIdSchema })]), result: resolves<ProjectSummary>() },

  startRun: {
    args: z.tuple([z.strictObject({ projectId: projectIdSchema, settings: runSettingsSchema })]),
    result: resolves<JobInfo>(),
  },
  cancelJob: { args: z.tuple([z.strictObject({ jobId: jobIdSchema })]), result: resolves<JobInfo>() },
  listJobs: { args: z.tuple([]), result: resolves<JobInfo[]>() },

  exportRun: { args: z.tuple([exportRequestSchema]), result: resolves<ExportResult>() },

  /**
   * Seed explorer: the multi-view stage's views for each seed at SEED_PREVIEW_SIZE px (stored in the
   * project's seed-previews/ folder), without optimising a head, as a job (kind 'seed-previews'):
   * progress and cancellation like a run, each seed's views pushed as a 'seed-preview' event as soon as
   * they are made. `style` (the draft RunSettings.style) goes on the portrait first, as a run would do.
   */
  startSeedPreviews: {
    args: z.tuple([
      z.strictObject({
        projectId: projectIdSchema,
        seeds: z.array(runSettingsSchema.shape.seed).min(1).max(8),
        elevationDeg: runSettingsSchema.shape.elevationDeg,
        backend: backendSchema,
        style: portraitStyleSchema.optional(),
      }),
    ]),
    result: resolves<JobInfo>(),
  },

  getSettings: { args: z.tuple([]), result: resolves<Settings>() },
  updateSettings: { args: z.tuple([settingsSchema.partial()]), result: resolves<Settings>() },

  /** The styles the Stylize panel offers: the built-in ones, then each style of each installed, valid style pack. */
  listPortraitStyles: { args: z.tuple([]), result: resolves<PortraitStyleChoice[]>() },
  /** Preview a 2D style on the project's preprocessed portrait (commit it with RunSettings.style). */
  previewPortraitStyle: {
    args: z.tuple([z.strictObject({ projectId: projectIdSchema, style: portraitStyleSchema })]),
    result: resolves<PortraitStylePreview>(),
  },
  /**
   * Save a finished run's head recoloured by `ops` as a new run (a variant: same views, the restyled
   * head, renders of it, and restyle.json naming the source run). Resolves when it is written.
   */
  saveRestyledRun: {
    args: z.tuple([z.strictObject({ ...projectRun, ops: z.array(headRestyleOpSchema).min(1).max(16) })]),
    result: resolves<RunSummary>(),
  },
  /** Render a finished run's head along a camera path to a video / GIF / PNG sequence, as a job (kind 'export'). */
  startAnimationExport: { args: z.tuple([animationRequestSchema]), result: resolves<AnimationExportStarted>() },
  /** The head seen from its front (found with the landmark model), written as a PNG into the run's exports. */
  exportFrontalView: {
    args: z.tuple([z.strictObject({ ...projectRun, size: z.int().min(64).max(2048) })]),
    result: resolves<FrontalExportResult>(),
  },
  /**
   * The face anchors (world space) the expression rig uses for a finished run: its fitted landmarks,
   * or found on a frontal render of the head. For the live expression preview in the page.
   */
  getFaceAnchors: { args: z.tuple([z.strictObject(projectRun)]), result: resolves<RunFaceAnchors>() },
  /**
   * A finished run's head posed by ARKit blend-shape weights (names as ARKit's, 0..1, relative to the
   * portrait's own expression), its splats bound to the run's fitted head model: the studio's live
   * expression sliders. The first call for a run binds it (seconds); later ones pose it (tens to
   * hundreds of ms). A run without head-fit.json: NOT_FOUND; an unknown shape name: BAD_REQUEST.
   */
  poseHead: {
    args: z.tuple([
      z.strictObject({
        ...projectRun,
        weights: z
          .record(z.string().min(1).max(64), z.number().min(0).max(1))
          .refine((w) => Object.keys(w).length <= 64, 'at most 64 weights'),
      }),
    ]),
    result: resolves<PosedHead>(),
  },
  /**
   * The files in a run's exports folder (splat and mesh exports, animations, frontal views), newest
   * first, each with its size and the asset URL to download it; [] before the first export.
   */
  listRunExports: {
    args: z.tuple([z.strictObject(projectRun)]),
    result: resolves<{ fileName: string; bytes: number; modifiedAt: string; url: string }[]>(),
  },
} satisfies Record<string, { args: z.ZodType<unknown[]>; result: Resolves<unknown> }>;
