/**
 * Which run the workspace shows. The picked run is the one selected in the history (else the newest);
 * the shown run is the picked one when it has a head, else the newest run that has one, so a run
 * in progress, cancelled or failed leaves the last head on screen and usable (Export, Animate,
 * Frontal). run.json says 'queued' until the project is reloaded: the live job's state wins.
 */
import type { JobInfo, RunSummary } from '../../shared/contracts/studio-api';

const newestFirst = (a: RunSummary, b: RunSummary): number => b.createdAt.localeCompare(a.createdAt);

export interface ShownRun {
  runs: RunSummary[];
  newest: RunSummary | null;
  picked: RunSummary | null;
  shown: RunSummary | null;
  /** The picked run when another run's head stands in for it (it has none yet). */
  standIn: RunSummary | null;
}

export function shownRun(projectRuns: RunSummary[], job: JobInfo | null, selectedId: string | null): ShownRun {
  const runs = projectRuns.map((r) => (job && r.id === job.runId && r.state !== job.state ? { ...r, state: job.state } : r));
  const newest = [...runs].sort(newestFirst)[0] ?? null;
  const picked = runs.find((r) => r.id === selectedId) ?? newest;
  const shown = !picked || picked.splatUrl ? picked : ([...runs].filter((r) => r.splatUrl).sort(newestFirst)[0] ?? picked);
  const standIn = picked && shown && picked.id !== shown.id ? picked : null;
  return { runs, newest, picked, shown, standIn };
}

/** Runs with views or renders to compare, newest first. */
export function comparableRuns(runs: RunSummary[]): RunSummary[] {
  return runs.filter((r) => r.renderUrls?.length || r.viewUrls?.length).sort(newestFirst);
}
