/**
 * Everything the workspace shows about one project, kept live from engine events:
 *   project    getProject(), reloaded when a job of this project finishes or projects change
 *   job        the project's active generate job (from listJobs() on open, then job-progress events;
 *              seed-preview and export jobs are followed by their own dialogs)
 *   stages     the stages that job went through, in order, with when each started (for per-stage display)
 *   finished   the last job of this project that ended (its error, if it failed)
 *   preview    the latest live splat preview of this project's running job
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { JobInfo, ProjectDetail, StudioEvent } from '../../shared/contracts/studio-api';
import { useStudio, useStudioEvent } from '../api/StudioProvider';
import { errorMessage } from '../common/errors';
import type { PreviewArrays } from './splat-encode';

export interface StageMark {
  stage: string;
  startedAt: number;
  endedAt: number | null;
}

export interface LivePreview {
  runId: string;
  step: number;
  arrays: PreviewArrays;
}

export function useWorkspace(projectId: string) {
  const { api } = useStudio();
  const [project, setProject] = useState<ProjectDetail | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [job, setJob] = useState<JobInfo | null>(null);
  const [stages, setStages] = useState<StageMark[]>([]);
  const [finished, setFinished] = useState<JobInfo | null>(null);
  const [preview, setPreview] = useState<LivePreview | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const jobId = useRef<string | null>(null);

  const reload = useCallback(async () => {
    try {
      setProject(await api.getProject(projectId));
      setLoadError(null);
    } catch (err) {
      setLoadError(errorMessage(err));
    }
  }, [api, projectId]);

  const track = useCallback((info: JobInfo) => {
    if (jobId.current !== info.id) {
      jobId.current = info.id;
      setStages([]);
      setPreview(null);
      setMessage(null);
    }
    setJob(info);
    setStages((list) => {
      const last = list[list.length - 1];
      if (last?.stage === info.stage) return list;
      const now = Date.now();
      return [...list.map((s) => (s.endedAt === null ? { ...s, endedAt: now } : s)), { stage: info.stage, startedAt: now, endedAt: null }];
    });
  }, []);

  useEffect(() => {
    void reload();
    api.listJobs().then(
      (jobs) => {
        const live = jobs.find((j) => isRunJob(j, projectId) && (j.state === 'queued' || j.state === 'running'));
        if (live) track(live);
      },
      () => undefined,
    );
  }, [api, projectId, reload, track]);

  useStudioEvent((event: StudioEvent) => {
    if (event.type === 'job-progress' && isRunJob(event.job, projectId)) {
      track(event.job);
      if (event.message) setMessage(event.message);
    } else if (event.type === 'job-finished' && isRunJob(event.job, projectId)) {
      const now = Date.now();
      setStages((list) => list.map((s) => (s.endedAt === null ? { ...s, endedAt: now } : s)));
      setJob(null);
      jobId.current = null;
      setFinished(event.job);
      void reload();
    } else if (event.type === 'job-preview' && event.projectId === projectId) {
      setPreview({ runId: event.runId, step: event.step, arrays: event });
    } else if (event.type === 'projects-changed' || event.type === 'engine-restarted') {
      void reload();
    }
  });

  return { project, loadError, job, stages, finished, preview, message, reload, track, setFinished };
}

/** A generate job of this project (what the job panel, Run/Cancel and the run history follow). */
function isRunJob(job: JobInfo, projectId: string): boolean {
  return job.projectId === projectId && job.kind === 'generate';
}
