/**
 * EngineHost: the parent-side StudioApi. It proxies every call to the engine process over RPC and
 * survives that process dying: the running job is marked failed with the reason (in run.json first,
 * then a job-finished event), 'engine-restarted' is emitted, and a fresh engine serves the next calls.
 * Project data lives on disk with atomic writes, so a crash loses at most the run in progress.
 * Every StudioApi method comes from StudioForwarder (generated from the contract table) and goes
 * through `call`.
 */
import type { JobInfo, StudioApi, StudioEvent, StudioMethod } from '../../shared/contracts/studio-api';
import { createRpcClient, type RpcClient } from '../../shared/rpc/client';
import { Listeners } from '../../shared/listeners';
import { StudioError } from '../../shared/rpc/errors';
import { StudioForwarder } from '../../shared/rpc/forwarder';
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

export class EngineHost extends StudioForwarder implements StudioApi {
  private proc!: EngineProcess;
  private client!: RpcClient;
  private readonly listeners = new Listeners<StudioEvent>((err) => this.logger.error('event listener failed', err));
  /** Jobs the engine reported as queued/running, so a crash can fail them. */
  private readonly liveJobs = new Map<string, JobInfo>();
  private readonly crashTimes: number[] = [];
  private readonly library: ProjectLibrary;
  private readonly logger: Logger;
  private stopped = false;
  private givenUp: string | null = null;

  constructor(private readonly options: EngineHostOptions) {
    super((method, args) => this.call(method, args));
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
    this.listeners.emit(event);
  }

  private call(method: StudioMethod, args: unknown[]): Promise<unknown> {
    if (this.givenUp) return Promise.reject(new StudioError('ENGINE_CRASHED', this.givenUp));
    if (this.stopped) return Promise.reject(new StudioError('ENGINE_CRASHED', 'the engine host is stopped'));
    return this.client.call(method, args);
  }

  onEvent(listener: (event: StudioEvent) => void): () => void {
    return this.listeners.add(listener);
  }

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
