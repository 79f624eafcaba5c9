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
      // Update the badge in place; no round trip per progress tick.
      const { job } = event;
      setProjects((list) =>
        list?.map((p) => (p.id === job.projectId ? { ...p, activeJob: job.state === 'running' || job.state === 'queued' ? { jobId: job.id, stage: job.stage, fraction: job.fraction } : null } : p)) ?? list,
      );
    }
  });

  return { projects, error, reload };
}
