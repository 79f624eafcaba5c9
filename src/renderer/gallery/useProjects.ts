/** The project list, kept fresh: loads on mount, reloads on 'projects-changed' and when a job starts/ends. */
import { useCallback, useEffect, useState } from 'react';
import type { ProjectSummary } from '../../shared/contracts/studio-api';
import { useStudio, useStudioEvent } from '../api/StudioProvider';
import { errorMessage } from '../common/errors';

export function useProjects(): { projects: ProjectSummary[] | null; error: string | null; reload(): Promise<void> } {
  const { api } = useStudio();
  const [projects, setProjects] = useState<ProjectSummary[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  const reload = useCallback(async () => {
    try {
      setProjects(await api.listProjects());
      setError(null);
    } catch (err) {
      setError(errorMessage(err));
    }
  }, [api]);

  useEffect(() => {
    void reload();
  }, [reload]);

  useStudioEvent((event) => {
    if (event.type === 'projects-changed' || event.type === 'job-finished' || event.type === 'engine-restarted') void reload();
    if (event.type === 'job-progress' && event.job.projectId) {
      // Update the badge in place (queued -> running the moment the engine starts the job); no round trip per tick.
      const { job } = event;
      const liveState = job.state === 'running' || job.state === 'queued' ? job.state : null;
      setProjects(
        (list) =>
          list?.map((p) => {
            if (p.id !== job.projectId) return p;
            // A second job waiting behind this project's running one does not hide the running one.
            if (job.state === 'queued' && p.activeJob && p.activeJob.jobId !== job.id && p.activeJob.state === 'running') return p;
            return { ...p, activeJob: liveState ? { jobId: job.id, stage: job.stage, fraction: job.fraction, state: liveState, kind: job.kind } : null };
          }) ?? list,
      );
    }
  });

  return { projects, error, reload };
}
