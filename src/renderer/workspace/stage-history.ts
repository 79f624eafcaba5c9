/**
 * The stages a running job has gone through, kept in sessionStorage under its job id so that a window
 * reload mid-run shows the whole list (with each finished stage's duration) and not only the current
 * stage. The engine reports only the current stage; this list is the renderer's own record of the
 * progress events it saw. Removed when the job finishes. Read back validated: anything malformed
 * counts as no history.
 */
import { z } from 'zod';

export interface StageMark {
  stage: string;
  startedAt: number;
  endedAt: number | null;
}

const stagesSchema = z.array(
  z.object({ stage: z.string(), startedAt: z.number(), endedAt: z.number().nullable() }),
);

const key = (jobId: string): string => `job.${jobId}.stages`;

export function loadStages(jobId: string): StageMark[] {
  try {
    const parsed = stagesSchema.safeParse(JSON.parse(sessionStorage.getItem(key(jobId)) ?? 'null'));
    return parsed.success ? parsed.data : [];
  } catch {
    return [];
  }
}

export function saveStages(jobId: string, stages: StageMark[]): void {
  try {
    sessionStorage.setItem(key(jobId), JSON.stringify(stages));
  } catch {
    // Storage full or off: the list still shows; it just will not survive a reload.
  }
}

export function forgetStages(jobId: string): void {
  sessionStorage.removeItem(key(jobId));
}

/** The list after a progress event: a new stage closes the open one and starts; the same stage (or a late 'queued') changes nothing. */
export function advanceStages(list: StageMark[], stage: string, now: number): StageMark[] {
  if (list[list.length - 1]?.stage === stage) return list;
  // 'queued' only ever comes first: a late answer to startRun (state queued) after the job's own
  // progress events must not add it again.
  if (stage === 'queued' && list.length > 0) return list;
  return [...list.map((s) => (s.endedAt === null ? { ...s, endedAt: now } : s)), { stage, startedAt: now, endedAt: null }];
}

/**
 * Whether a run at this stage has finished preprocessing (its crop, pose and auto elevation are on
 * disk): the workspace fetches the project again then, so the input panel stops saying "Not
 * preprocessed yet" while the run goes on.
 */
export function pastPreprocessing(stage: string | null | undefined): boolean {
  return Boolean(stage) && !['queued', 'starting', 'preprocess'].includes(stage as string);
}
