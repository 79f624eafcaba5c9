/**
 * Where a studio batch stands, from the gallery's project list: each of its projects counted by the
 * state its card's badge shows (queued, running, done, failed). A project not in the list any more
 * (deleted) no longer counts. Pure, so the counting is tested without a browser.
 */
import type { ProjectSummary } from '../../shared/contracts/studio-api';
import { projectBadge } from './project-badge';

export interface BatchCounts {
  total: number;
  queued: number;
  running: number;
  done: number;
  failed: number;
}

export function batchCounts(projectIds: readonly string[], projects: readonly ProjectSummary[]): BatchCounts {
  const byId = new Map(projects.map((p) => [p.id, p]));
  const counts: BatchCounts = { total: 0, queued: 0, running: 0, done: 0, failed: 0 };
  for (const id of projectIds) {
    const project = byId.get(id);
    if (!project) continue;
    counts.total++;
    const tone = projectBadge(project)?.tone;
    if (tone === 'running') counts.running++;
    else if (tone === 'done') counts.done++;
    else if (tone === 'failed' || tone === 'cancelled' || tone === 'damaged') counts.failed++;
    // No badge yet: made, its run not yet seen by the list (the next event brings it).
    else counts.queued++;
  }
  return counts;
}

/** "2 of 6 done · 1 running · 3 queued · 0 failed". */
export function batchLine(c: BatchCounts): string {
  return `${c.done} of ${c.total} done · ${c.running} running · ${c.queued} queued · ${c.failed} failed`;
}
