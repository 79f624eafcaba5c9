/**
 * Everything the workspace shows about one project, kept live from engine events:
 *   project    getProject(), reloaded when a job of this project finishes or projects change, and at
 *              each stage change of its run (the input panel's crop, pose and auto elevation come from
 *              the running run's preprocessing, written when that stage ends)
 *   job        the project's active generate job (from listJobs() on open, then job-progress events;
 *              seed-preview and export jobs are followed by their own dialogs)
 *   stages     the stages that job went through, in order, with when each started (for per-stage display;
 *              kept per job in sessionStorage, stage-history.ts, so a reload mid-run shows them all)
 *   finished   the last job of this project that ended (its error, if it failed)
 *   preview    the latest live splat preview of this project's running job
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { JobInfo, ProjectDetail, StudioEvent } from '../../shared/contracts/studio-api';
import { useStudio, useStudioEvent } from '../api/StudioProvider';
import { errorMessage } from '../common/errors';
import type { PreviewArrays } from './splat-encode';
import { advanceStages, forgetStages, loadStages, pastPreprocessing, saveStages, type StageMark } from './stage-history';

export type { StageMark };

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
    const fresh = jobId.current !== info.id;
    if (fresh) {
      jobId.current = info.id;
      setPreview(null);
      setMessage(null);
    }
    setJob(info);
    setStages((list) => {
      const next = advanceStages(fresh ? loadStages(info.id) : list, info.stage, Date.now());
      if (next !== list) saveStages(info.id, next);
      return next;
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

  // Fetch the project again when the run moves to a new stage: preprocessing has written the crop,
  // pose and auto elevation by then (the first run said "Not preprocessed yet" until it ended).
  const stage = job?.stage;
  useEffect(() => {
    if (pastPreprocessing(stage)) void reload();
  }, [stage, reload]);

  useStudioEvent((event: StudioEvent) => {
    if (event.type === 'job-progress' && isRunJob(event.job, projectId)) {
      track(event.job);
      if (event.message) setMessage(event.message);
    } else if (event.type === 'job-finished' && isRunJob(event.job, projectId)) {
      const now = Date.now();
      setStages((list) => list.map((s) => (s.endedAt === null ? { ...s, endedAt: now } : s)));
      forgetStages(event.job.id);
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
