/**
 * EngineHost: the parent-side StudioApi. It proxies every call to the engine process over RPC and
 * survives that process dying: the running job is marked failed with the reason (in run.json first,
 * then a job-finished event), 'engine-restarted' is emitted, and a fresh engine serves the next calls.
 * Project data lives on disk with atomic writes, so a crash loses at most the run in progress.
 */
import type {
  EngineInfo,
  ExportRequest,
  ExportResult,
  JobInfo,
  ProjectDetail,
  ProjectId,
  ProjectSummary,
  RunSettings,
  Settings,
  StudioApi,
  StudioEvent,
  StudioMethod,
} from '../../shared/contracts/studio-api';
import { createRpcClient, type RpcClient } from '../../shared/rpc/client';
import { StudioError } from '../../shared/rpc/errors';
import { nullLogger, type Logger } from '../logging/logger';
import { ProjectLibrary } from '../projects/library';
import type { EngineExit, EngineProcess } from './engine-process';

export interface EngineHostOptions {
  spawn: () => EngineProcess;
  libraryRoot: string;
  logger?: Logger;
  /** Give up restarting after this many crashes within `crashWindowMs` (a crash loop helps nobody). */
  maxCrashes?: number;
  crashWindowMs?: number;
}

export class EngineHost implements StudioApi {
  private proc!: EngineProcess;
  private client!: RpcClient;
  private readonly listeners = new Set<(event: StudioEvent) => void>();
  /** Jobs the engine reported as queued/running, so a crash can fail them. */
  private readonly liveJobs = new Map<string, JobInfo>();
  private readonly crashTimes: number[] = [];
  private readonly library: ProjectLibrary;
  private readonly logger: Logger;
  private stopped = false;
  private givenUp: string | null = null;

  constructor(private readonly options: EngineHostOptions) {
    this.library = new ProjectLibrary({ root: options.libraryRoot });
    this.logger = options.logger ?? nullLogger;
    this.launch();
  }

  /** pid of the current engine process. */
  get enginePid(): number | undefined {
    return this.proc.pid;
  }

  private launch(): void {
    const proc = this.options.spawn();
    const client = createRpcClient(proc.channel);
    this.proc = proc;
    this.client = client;
    client.onEvent((event) => this.onEngineEvent(event));
    proc.onExit((exit) => void this.onEngineExit(proc, exit));
    this.logger.info(`engine started (pid ${proc.pid})`);
  }

  private onEngineEvent(event: StudioEvent): void {
    if (event.type === 'job-progress') {
      if (event.job.state === 'queued' || event.job.state === 'running')
        this.liveJobs.set(event.job.id, event.job);
    } else if (event.type === 'job-finished') {
      this.liveJobs.delete(event.job.id);
    }
    this.emit(event);
  }

  private async onEngineExit(proc: EngineProcess, exit: EngineExit): Promise<void> {
    if (this.stopped || proc !== this.proc) return;
    const reason = exit.reason;
    this.logger.error(`engine (pid ${proc.pid}) died: ${reason}`);
    const jobs = [...this.liveJobs.values()];
    this.liveJobs.clear();
    for (const job of jobs) {
      const error = `engine crashed: ${reason}`;
      if (job.projectId && job.runId) {
        await this.library
          .failInterruptedRuns(error, { projectId: job.projectId, runId: job.runId })
          .catch((err) => this.logger.error('could not mark run failed', err));
      }
      this.emit({
        type: 'job-finished',
        job: { ...job, state: 'failed', etaSeconds: null, error, errorCode: 'ENGINE_CRASHED' },
      });
    }
    const now = Date.now();
    this.crashTimes.push(now);
    const windowMs = this.options.crashWindowMs ?? 60_000;
    while (this.crashTimes.length && now - this.crashTimes[0] > windowMs) this.crashTimes.shift();
    if (this.crashTimes.length > (this.options.maxCrashes ?? 5)) {
      this.givenUp = `the engine crashed ${this.crashTimes.length} times in ${Math.round(windowMs / 1000)} s (last: ${reason}); not restarting. See the log in the library's logs/ folder.`;
      this.logger.error(this.givenUp);
      return;
    }
    this.launch();
    this.emit({ type: 'engine-restarted', reason });
  }

  private emit(event: StudioEvent): void {
    for (const l of [...this.listeners]) {
      try {
        l(event);
      } catch (err) {
        this.logger.error('event listener failed', err);
      }
    }
  }

  private call<T>(method: StudioMethod, ...args: unknown[]): Promise<T> {
    if (this.givenUp) return Promise.reject(new StudioError('ENGINE_CRASHED', this.givenUp));
    if (this.stopped) return Promise.reject(new StudioError('ENGINE_CRASHED', 'the engine host is stopped'));
    return this.client.call(method, args) as Promise<T>;
  }

  onEvent(listener: (event: StudioEvent) => void): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  getEngineInfo = (): Promise<EngineInfo> => this.call('getEngineInfo');
  listProjects = (): Promise<ProjectSummary[]> => this.call('listProjects');
  getProject = (id: ProjectId): Promise<ProjectDetail> => this.call('getProject', id);
  createProject = (args: { name: string; fileName: string; bytes: Uint8Array }): Promise<ProjectSummary> =>
    this.call('createProject', args);
  renameProject = (args: { id: ProjectId; name: string }): Promise<ProjectSummary> =>
    this.call('renameProject', args);
  deleteProject = (args: { id: ProjectId }): Promise<void> => this.call('deleteProject', args);
  duplicateProject = (args: { id: ProjectId }): Promise<ProjectSummary> => this.call('duplicateProject', args);
  startRun = (args: { projectId: ProjectId; settings: RunSettings }): Promise<JobInfo> =>
    this.call('startRun', args);
  cancelJob = (args: { jobId: string }): Promise<JobInfo> => this.call('cancelJob', args);
  listJobs = (): Promise<JobInfo[]> => this.call('listJobs');
  exportRun = (request: ExportRequest): Promise<ExportResult> => this.call('exportRun', request);
  startSeedPreviews = (args: Parameters<StudioApi['startSeedPreviews']>[0]): Promise<JobInfo> => this.call('startSeedPreviews', args);
  getSettings = (): Promise<Settings> => this.call('getSettings');
  updateSettings = (patch: Partial<Settings>): Promise<Settings> => this.call('updateSettings', patch);
  listPortraitStyles = (): ReturnType<StudioApi['listPortraitStyles']> => this.call('listPortraitStyles');
  previewPortraitStyle = (args: Parameters<StudioApi['previewPortraitStyle']>[0]): ReturnType<StudioApi['previewPortraitStyle']> =>
    this.call('previewPortraitStyle', args);
  saveRestyledRun = (args: Parameters<StudioApi['saveRestyledRun']>[0]): ReturnType<StudioApi['saveRestyledRun']> =>
    this.call('saveRestyledRun', args);
  startAnimationExport = (args: Parameters<StudioApi['startAnimationExport']>[0]): ReturnType<StudioApi['startAnimationExport']> =>
    this.call('startAnimationExport', args);
  exportFrontalView = (args: Parameters<StudioApi['exportFrontalView']>[0]): ReturnType<StudioApi['exportFrontalView']> =>
    this.call('exportFrontalView', args);
  getFaceAnchors = (args: Parameters<StudioApi['getFaceAnchors']>[0]): ReturnType<StudioApi['getFaceAnchors']> =>
    this.call('getFaceAnchors', args);

  /** Stop the engine for good (app quit). */
  stop(): void {
    this.stopped = true;
    this.client.close();
    this.proc.kill();
  }

  /** Kill the current engine process (tests; a user's "restart engine" action). */
  killEngine(): void {
    this.proc.kill();
  }
}
