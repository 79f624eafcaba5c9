/**
 * JobQueue: long-running work (generate, export, ...) runs one job at a time — each job already uses
 * every core — with progress (stage, overall fraction, ETA from shared/job-eta), cancellation through an AbortSignal, and
 * events for the UI. A job's `run` resolves on success, and rejects on failure or cancellation.
 */
import { randomBytes } from 'node:crypto';
import type { JobId, JobInfo, StudioErrorCode, StudioEvent } from '../../shared/contracts/studio-api';
import { StudioError } from '../../shared/rpc/errors';
import { diskFullError } from '../run-folder/atomic-write';
import { JobEta } from '../../shared/job-eta';

export interface JobContext {
  signal: AbortSignal;
  /** Overall fraction in 0..1 (clamped); stage is a short name. */
  progress(stage: string, fraction: number, message?: string): void;
  emit(event: StudioEvent): void;
}

export interface JobSpec {
  kind: JobInfo['kind'];
  projectId: string | null;
  runId: string | null;
  run(ctx: JobContext): Promise<void>;
  /**
   * Called when the job leaves the queue, BEFORE its 'running' job-progress event goes out (for
   * persisting the state, so whoever reloads on that event already reads 'running'). A failure here
   * fails the job with that error; run() is then not called.
   */
  start?(info: JobInfo): Promise<void>;
  /** Called once with the final state (for persisting it) before the job-finished event. */
  settle?(info: JobInfo): Promise<void>;
}

interface JobRecord {
  info: JobInfo;
  spec: JobSpec;
  controller: AbortController;
  lastProgressEmit: number;
  eta: JobEta;
}

/** Progress events closer together than this are coalesced (stage changes always go out). */
const PROGRESS_INTERVAL_MS = 100;
/** Finished jobs kept for listJobs(). */
const KEEP_FINISHED = 50;

export class JobQueue {
  private readonly jobs = new Map<JobId, JobRecord>();
  private readonly waiting: JobRecord[] = [];
  private current: JobRecord | null = null;
  private readonly listeners = new Set<(event: StudioEvent) => void>();

  onEvent(listener: (event: StudioEvent) => void): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  submit(spec: JobSpec): JobInfo {
    const id = `job-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
    const record: JobRecord = {
      info: {
        id,
        kind: spec.kind,
        projectId: spec.projectId,
        runId: spec.runId,
        state: 'queued',
        stage: 'queued',
        fraction: 0,
        etaSeconds: null,
      },
      spec,
      controller: new AbortController(),
      lastProgressEmit: 0,
      eta: new JobEta(),
    };
    this.jobs.set(id, record);
    this.waiting.push(record);
    this.emit({ type: 'job-progress', job: { ...record.info } });
    queueMicrotask(() => this.pump());
    return { ...record.info };
  }

  cancel(id: JobId): JobInfo {
    const record = this.jobs.get(id);
    if (!record) throw new StudioError('NOT_FOUND', `no job ${id}`);
    if (record.info.state === 'queued') {
      this.waiting.splice(this.waiting.indexOf(record), 1);
      void this.finish(record, 'cancelled', 'cancelled before it started');
    } else if (record.info.state === 'running') {
      record.controller.abort(new StudioError('CANCELLED', 'cancelled by the user'));
    }
    return { ...record.info };
  }

  list(): JobInfo[] {
    return [...this.jobs.values()].map((r) => ({ ...r.info }));
  }

  get(id: JobId): JobInfo | null {
    const r = this.jobs.get(id);
    return r ? { ...r.info } : null;
  }

  /** The job currently running, if any. */
  active(): JobInfo | null {
    return this.current ? { ...this.current.info } : null;
  }

  /** Abort everything (engine shutdown). */
  cancelAll(reason: string): void {
    for (const r of this.waiting.splice(0)) void this.finish(r, 'cancelled', reason);
    this.current?.controller.abort(new StudioError('CANCELLED', reason));
  }

  private emit(event: StudioEvent): void {
    for (const l of [...this.listeners]) {
      try {
        l(event);
      } catch {
        // One broken listener must not stop the job or the other listeners.
      }
    }
  }

  private pump(): void {
    if (this.current) return;
    const record = this.waiting.shift();
    if (!record) return;
    this.current = record;
    record.info.state = 'running';
    record.info.stage = 'starting';
    const ctx: JobContext = {
      signal: record.controller.signal,
      progress: (stage, fraction, message) => this.progress(record, stage, fraction, message),
      emit: (event) => this.emit(event),
    };
    const begin = async (): Promise<void> => {
      await record.spec.start?.({ ...record.info });
      // The UI learns the job started from this event (queued -> running), not from the first progress tick.
      this.emit({ type: 'job-progress', job: { ...record.info } });
      if (record.controller.signal.aborted) throw new StudioError('CANCELLED', 'cancelled by the user');
      await record.spec.run(ctx);
    };
    begin().then(
      () => this.finish(record, 'done'),
      (err: unknown) => {
        const cancelled =
          record.controller.signal.aborted || (err instanceof StudioError && err.code === 'CANCELLED');
        if (cancelled) return this.finish(record, 'cancelled', 'cancelled by the user');
        // A full disk is DISK_FULL wherever the job met it, not only in the atomic writer.
        const failure = err instanceof StudioError ? err : (diskFullError(err, 'finish the job') ?? err);
        return this.finish(
          record,
          'failed',
          errorMessage(failure),
          failure instanceof StudioError ? failure.code : 'INTERNAL',
        );
      },
    );
  }

  private progress(record: JobRecord, stage: string, fraction: number, message?: string): void {
    if (record.info.state !== 'running') return;
    const f = Number.isFinite(fraction) ? Math.min(1, Math.max(0, fraction)) : record.info.fraction;
    const stageChanged = stage !== record.info.stage;
    record.info.stage = stage;
    record.info.fraction = Math.max(record.info.fraction, f);
    const now = Date.now();
    // From the current stage's measured rate, smoothed so that it counts down instead of jumping.
    record.info.etaSeconds = record.eta.update(stage, record.info.fraction, now);
    if (!stageChanged && now - record.lastProgressEmit < PROGRESS_INTERVAL_MS) return;
    record.lastProgressEmit = now;
    this.emit({ type: 'job-progress', job: { ...record.info }, ...(message ? { message } : {}) });
  }

  private async finish(
    record: JobRecord,
    state: 'done' | 'failed' | 'cancelled',
    error?: string,
    errorCode?: StudioErrorCode,
  ): Promise<void> {
    record.info.state = state;
    if (errorCode) record.info.errorCode = errorCode;
    record.info.etaSeconds = null;
    if (state === 'done') record.info.fraction = 1;
    if (error) record.info.error = error;
    try {
      await record.spec.settle?.({ ...record.info });
    } catch (err) {
      // Persisting the final state failed (e.g. disk full): the job is still over; say why.
      record.info.error = `${record.info.error ? record.info.error + '; ' : ''}could not save the run state: ${errorMessage(err)}`;
    }
    this.emit({ type: 'job-finished', job: { ...record.info } });
    if (this.current === record) {
      this.current = null;
      this.pump();
    }
    this.trim();
  }

  private trim(): void {
    const finished = [...this.jobs.values()].filter(
      (r) => r.info.state !== 'queued' && r.info.state !== 'running',
    );
    for (const r of finished.slice(0, Math.max(0, finished.length - KEEP_FINISHED)))
      this.jobs.delete(r.info.id);
  }
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
