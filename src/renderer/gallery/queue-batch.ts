/**
 * Queue a studio batch: one project per portrait (as the import makes it), then a run of each with
 * the same settings; the engine's job queue runs them one after another and the gallery's badges show
 * each one's state. A portrait the engine refuses (not decodable, too small) or whose run cannot start
 * is listed with the engine's sentence; the others are queued all the same.
 */
import type { ProjectSummary, RunSettings, StudioApi } from '../../shared/contracts/studio-api';
import { errorMessage } from '../common/errors';
import { projectNameFromFile } from './gallery-order';

export interface QueuedBatch {
  /** The batch's projects, in the order they were queued. */
  projectIds: string[];
  refused: { name: string; reason: string }[];
  /** Portraits in which the engine found no face (queued anyway, as an import warns and keeps them). */
  noFace: string[];
}

export async function queueBatch(
  api: Pick<StudioApi, 'createProject' | 'startRun'>,
  portraits: readonly File[],
  settings: RunSettings,
  onQueued: (done: number) => void,
): Promise<QueuedBatch> {
  const result: QueuedBatch = { projectIds: [], refused: [], noFace: [] };
  for (const [i, file] of portraits.entries()) {
    let project: ProjectSummary;
    try {
      const bytes = new Uint8Array(await file.arrayBuffer());
      project = await api.createProject({ name: projectNameFromFile(file.name), fileName: file.name, bytes });
    } catch (err) {
      result.refused.push({ name: file.name, reason: errorMessage(err) });
      onQueued(i + 1);
      continue;
    }
    if (project.inputWarning) result.noFace.push(file.name);
    try {
      await api.startRun({ projectId: project.id, settings });
      result.projectIds.push(project.id);
    } catch (err) {
      result.refused.push({
        name: file.name,
        reason: `its project was made, its run did not start: ${errorMessage(err)}`,
      });
    }
    onQueued(i + 1);
  }
  return result;
}
