/**
 * Engine: the StudioApi implementation that does the work (project library, settings, jobs,
 * pipeline). It runs in the engine process (child process / Electron utility process, see entry.ts);
 * the CLI may also run it in-process. Arguments are NOT validated here: transports go through
 * dispatch.ts, which parses them with the zod schemas first.
 */
import {
  STUDIO_METHODS,
  type EngineInfo,
  type ExportRequest,
  type ExportResult,
  type JobInfo,
  type ProjectDetail,
  type ProjectId,
  type ProjectSummary,
  type RunId,
  type RunSettings,
  type Settings,
  type StudioApi,
  type StudioArgs,
  type StudioEvent,
  type StudioMethod,
} from '../../shared/contracts/studio-api';
import type { RunGenerateFn, RunOutputs } from '../../shared/contracts/run';
import { Listeners } from '../../shared/listeners';
import { StudioError } from '../../shared/rpc/errors';
import type { LibraryFs } from '../run-folder/atomic-write';
import { ProjectLibrary } from '../projects/library';
import { findFaceInPortrait } from '../projects/face-check';
import { SettingsStore } from '../settings/settings-store';
import { nullLogger, type Logger } from '../logging/logger';
import { collectDiagnostics, toEngineInfo } from './engine-info';
import { JobQueue } from './jobs';
import { loadRunGenerate } from './pipeline-loader';
import { previewEvent } from './preview';
import { exportRunHead } from '../export/export-run';
import { makeSeedPreviews } from './seed-previews';
import { StudioApplications } from './applications';

export interface EngineOptions {
  libraryRoot: string;
  /** Prefix of asset URLs handed to the UI ('/assets' in browser mode). */
  assetBaseUrl?: string;
  fs?: LibraryFs;
  logger?: Logger;
  /** Where runGenerate comes from (default: src/engine/pipeline/generate.ts). */
  loadPipeline?: () => Promise<RunGenerateFn>;
  /** Engine info source (default: probe the machine). */
  engineInfo?: () => Promise<EngineInfo>;
  /** The face check at import (default: the face mesh, src/engine/projects/face-check.ts). */
  findFace?: (bytes: Uint8Array) => Promise<boolean | null>;
  /** The head model this engine's runs fit (RunGenerateContext.headModelDir); default: the lookup. */
  headModelDir?: string;
}

/** The StudioApi methods StudioApplications implements; the Engine serves them as its own. */
type ApplicationCalls = Pick<StudioApplications, StudioMethod & keyof StudioApplications>;

/*
 * The Engine is the StudioApi: the methods below, plus those of StudioApplications, bound onto each
 * engine in the constructor. `implements StudioApi` checks at compile time that every row of the
 * contract table is served by one of the two, so adding a method touches the table and its
 * implementation only.
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging, @typescript-eslint/no-empty-object-type -- the application methods are bound in the constructor
export interface Engine extends ApplicationCalls {}
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging -- see the interface above
export class Engine implements StudioApi {
  readonly library: ProjectLibrary;
  readonly settings: SettingsStore;
  readonly jobs = new JobQueue();
  private readonly logger: Logger;
  private settingsProblemLogged = false;
  private readonly loadPipeline: () => Promise<RunGenerateFn>;
  private readonly headModelDir: string | undefined;
  private readonly engineInfo: () => Promise<EngineInfo>;
  private readonly listeners = new Listeners<StudioEvent>((err) => this.logger.error('event listener failed', err));
  /** Style preview, 3D restyle, animation and frontal export: the paper's applications. */
  private readonly applications: StudioApplications;

  private constructor(options: EngineOptions) {
    this.library = new ProjectLibrary({
      root: options.libraryRoot,
      assetBaseUrl: options.assetBaseUrl,
      fs: options.fs,
      findFace: options.findFace ?? findFaceInPortrait,
      onDamagedRun: (d) =>
        this.logger.warn(
          `run ${d.runId} of project ${d.projectId} is damaged and not listed (${d.reason}); its folder is kept`,
        ),
    });
    this.settings = SettingsStore.inLibrary(options.libraryRoot, options.fs);
    this.logger = options.logger ?? nullLogger;
    this.loadPipeline = options.loadPipeline ?? loadRunGenerate;
    this.headModelDir = options.headModelDir;
    this.engineInfo = options.engineInfo ?? (async () => toEngineInfo(await collectDiagnostics()));
    this.jobs.onEvent((event) => this.emit(event));
    this.applications = new StudioApplications(this.library, this.jobs, this.logger, (event) =>
      this.emit(event),
    );
    const applications = this.applications as unknown as Record<string, (...args: unknown[]) => unknown>;
    for (const method of STUDIO_METHODS) {
      if (method in Engine.prototype || typeof applications[method] !== 'function') continue;
      Object.defineProperty(this, method, { value: applications[method].bind(applications) });
    }
  }

  /** Create the library if needed and fail runs a previous engine left unfinished. */
  static async create(options: EngineOptions): Promise<Engine> {
    const engine = new Engine(options);
    await engine.library.init();
    const stale = await engine.library.failInterruptedRuns(
      'interrupted: the engine stopped while this run was in progress',
    );
    if (stale) engine.logger.warn(`marked ${stale} interrupted run(s) as failed`);
    return engine;
  }

  onEvent(listener: (event: StudioEvent) => void): () => void {
    return this.listeners.add(listener);
  }

  private emit(event: StudioEvent): void {
    this.listeners.emit(event);
  }

  getEngineInfo(): Promise<EngineInfo> {
    return this.engineInfo();
  }

  async listProjects(): Promise<ProjectSummary[]> {
    const projects = await this.library.list();
    return projects.map((p) => ({ ...p, activeJob: this.activeJobFor(p.id) }));
  }

  async getProject(id: ProjectId): Promise<ProjectDetail> {
    const detail = await this.library.get(id);
    // Damaged projects have no runs to mark (and no input to find).
    const runs =
      detail.status === 'ok' && detail.runs.length
        ? await this.applications.markRunVariants(id, detail.runs)
        : detail.runs;
    return { ...detail, runs, activeJob: this.activeJobFor(id) };
  }

  async createProject(args: { name: string; fileName: string; bytes: Uint8Array }): Promise<ProjectSummary> {
    let summary: ProjectSummary;
    try {
      summary = await this.library.create(args);
    } catch (err) {
      // The artist reads a sentence; the decoder's own reason (details) is kept for the log.
      if (err instanceof StudioError && err.details !== undefined)
        this.logger.warn(`import of ${args.fileName} refused: ${err.message} ${JSON.stringify(err.details)}`);
      throw err;
    }
    this.logger.info(
      `created project ${summary.id} from ${args.fileName} (${args.bytes.byteLength} bytes)${summary.inputWarning ? ': no face found' : ''}`,
    );
    this.emit({ type: 'projects-changed' });
    return summary;
  }

  async renameProject(args: { id: ProjectId; name: string }): Promise<ProjectSummary> {
    const summary = await this.library.rename(args.id, args.name);
    this.emit({ type: 'projects-changed' });
    return summary;
  }

  async setProjectCover(args: { id: ProjectId; runId: RunId | null }): Promise<ProjectSummary> {
    const summary = await this.library.setCover(args.id, args.runId);
    this.emit({ type: 'projects-changed' });
    return summary;
  }

  async deleteProject(args: { id: ProjectId }): Promise<void> {
    if (this.activeJobFor(args.id))
      throw new StudioError('BAD_REQUEST', `project ${args.id} has a job in progress: cancel it first`);
    await this.library.delete(args.id);
    this.logger.info(`deleted project ${args.id}`);
    this.emit({ type: 'projects-changed' });
  }

  async duplicateProject(args: { id: ProjectId }): Promise<ProjectSummary> {
    const summary = await this.library.duplicate(args.id);
    this.logger.info(`duplicated project ${args.id} as ${summary.id}`);
    this.emit({ type: 'projects-changed' });
    return summary;
  }

  async startRun(args: { projectId: ProjectId; settings: RunSettings }): Promise<JobInfo> {
    const { projectId, settings } = args;
    const created = await this.library.createRun(projectId, settings);
    const { runId } = created;
    let outputs: RunOutputs | undefined;
    let jobId = '';
    const info = this.jobs.submit({
      kind: 'generate',
      projectId,
      runId,
      // run.json says 'running' before the queue announces it, so a reload on that event agrees.
      start: async () => {
        await this.library.updateRun(projectId, runId, { state: 'running' });
        this.emit({ type: 'projects-changed' });
      },
      run: async (ctx) => {
        this.logger.info(`[${jobId}] generate ${projectId}/${runId} ${JSON.stringify(settings)}`);
        const runGenerate = await this.loadPipeline();
        outputs = await runGenerate({
          projectDir: created.projectDir,
          runDir: created.runDir,
          inputPath: created.inputPath,
          settings,
          ...(this.headModelDir ? { headModelDir: this.headModelDir } : {}),
          signal: ctx.signal,
          progress: (stage, fraction, message) => ctx.progress(stage, fraction, message),
          preview: (cloud, step) => ctx.emit(previewEvent({ jobId, projectId, runId }, cloud, step)),
          log: (message) => this.logger.info(`[${jobId}] ${message}`),
        });
        if (ctx.signal.aborted) throw new StudioError('CANCELLED', 'cancelled by the user');
      },
      settle: async (final) => {
        this.logger.info(`[${jobId}] ${final.state}${final.error ? `: ${final.error}` : ''}`);
        await this.library.updateRun(projectId, runId, {
          state: final.state,
          ...(final.error ? { error: final.error } : {}),
          ...(final.state === 'done' && outputs ? { outputs } : {}),
        });
        this.emit({ type: 'projects-changed' });
      },
    });
    jobId = info.id;
    this.emit({ type: 'projects-changed' });
    return info;
  }

  async cancelJob(args: { jobId: string }): Promise<JobInfo> {
    return this.jobs.cancel(args.jobId);
  }

  async listJobs(): Promise<JobInfo[]> {
    return this.jobs.list();
  }

  async exportRun(request: ExportRequest): Promise<ExportResult> {
    const runDir = await this.library.runDir(request.projectId, request.runId);
    const { fileName, bytes, splats, shDegree, headShDegree } = await exportRunHead(runDir, request);
    const sh = {
      ...(shDegree !== undefined ? { shDegree } : {}),
      ...(headShDegree !== undefined ? { headShDegree } : {}),
    };
    // An estimate wrote nothing: no log line, no URL.
    if (request.estimateOnly) return { fileName, bytes, splats, ...sh, url: '' };
    this.logger.info(
      `exported ${request.projectId}/${request.runId} as ${fileName} (${bytes} bytes, ${splats} splats)`,
    );
    return {
      fileName,
      bytes,
      splats,
      ...sh,
      url: this.library.assetUrlFor(request.projectId, `runs/${request.runId}/exports/${fileName}`),
    };
  }

  async startSeedPreviews(...[args]: StudioArgs<'startSeedPreviews'>): Promise<JobInfo> {
    const { projectDir, inputPath } = await this.library.inputFile(args.projectId);
    let jobId = '';
    const info = this.jobs.submit({
      kind: 'seed-previews',
      projectId: args.projectId,
      runId: null,
      run: async (ctx) => {
        const started = Date.now();
        await makeSeedPreviews({
          projectDir,
          inputPath,
          seeds: args.seeds,
          elevationDeg: args.elevationDeg,
          backend: args.backend,
          style: args.style,
          assetUrl: (rel) => this.library.assetUrlFor(args.projectId, rel),
          log: (m) => this.logger.info(`[${jobId}] ${m}`),
          signal: ctx.signal,
          progress: (stage, fraction) => ctx.progress(stage, fraction),
          onSeed: (preview, done, total) =>
            ctx.emit({ type: 'seed-preview', jobId, projectId: args.projectId, preview, done, total }),
        });
        this.logger.info(
          `[${jobId}] seed previews ${args.projectId} [${args.seeds.join(', ')}] in ${Date.now() - started} ms`,
        );
      },
    });
    jobId = info.id;
    return info;
  }

  async getSettings(): Promise<Settings> {
    const settings = await this.settings.get();
    // A damaged settings.json was kept aside and defaults applied: say so once, in the session log.
    if (this.settings.problem && !this.settingsProblemLogged) {
      this.settingsProblemLogged = true;
      this.logger.warn(this.settings.problem);
    }
    return settings;
  }

  updateSettings(patch: Partial<Settings>): Promise<Settings> {
    return this.settings.update(patch);
  }

  /** Stop: cancel jobs (their runs are marked cancelled by the queue). */
  shutdown(reason = 'engine shutting down'): void {
    this.jobs.cancelAll(reason);
  }

  private activeJobFor(projectId: string): ProjectSummary['activeJob'] {
    const job = this.jobs
      .list()
      .find((j) => j.projectId === projectId && (j.state === 'running' || j.state === 'queued'));
    return job
      ? {
          jobId: job.id,
          stage: job.stage,
          fraction: job.fraction,
          state: job.state === 'queued' ? 'queued' : 'running',
          kind: job.kind,
        }
      : null;
  }
}
