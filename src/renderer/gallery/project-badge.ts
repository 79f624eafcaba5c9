/**
 * What a gallery card's badge says about its project, in priority order: damaged; a job waiting in the
 * queue or at work (from the engine's activeJob, updated live by job-progress events); the last run's
 * outcome. Pure, so the wording is tested without a browser.
 */
import type { ProjectSummary } from '../../shared/contracts/studio-api';

export type BadgeTone = 'damaged' | 'queued' | 'running' | 'failed' | 'cancelled' | 'done';

export interface ProjectBadge {
  tone: BadgeTone;
  label: string;
}

export function projectBadge(project: ProjectSummary): ProjectBadge | null {
  if (project.status === 'damaged') return { tone: 'damaged', label: 'Damaged' };
  const job = project.activeJob;
  if (job) {
    const seeds = job.kind === 'seed-previews';
    if (job.state === 'queued') return { tone: 'queued', label: seeds ? 'Seed previews queued' : 'Queued' };
    return { tone: 'running', label: `${seeds ? 'Seed previews' : 'Running'}: ${job.stage}` };
  }
  if (project.lastRunState === 'failed') return { tone: 'failed', label: 'Last run failed' };
  if (project.lastRunState === 'cancelled') return { tone: 'cancelled', label: 'Cancelled' };
  if (project.lastRunState === 'done') return { tone: 'done', label: 'Head ready' };
  return null;
}
