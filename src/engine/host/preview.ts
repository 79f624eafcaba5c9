/**
 * GaussianCloud (stored, pre-activation form) -> the activated arrays of a 'job-preview' event
 * (layout documented on StudioEvent in src/shared/contracts/studio-api.ts). Always copies: the trainer
 * keeps mutating its buffers after the event is emitted (src/shared/gaussians/preview-arrays.ts).
 */
import type { StudioEvent } from '../../shared/contracts/studio-api';
import type { GaussianCloud } from '../../shared/gaussians/cloud';
import { cloudToPreviewArrays } from '../../shared/gaussians/preview-arrays';

export type PreviewEvent = Extract<StudioEvent, { type: 'job-preview' }>;

export function previewEvent(
  ids: { jobId: string; projectId: string; runId: string },
  cloud: GaussianCloud,
  step: number,
): PreviewEvent {
  return { type: 'job-preview', ...ids, step, ...cloudToPreviewArrays(cloud) };
}
