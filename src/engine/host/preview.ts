/**
 * GaussianCloud (stored, pre-activation form) -> the activated arrays of a 'job-preview' event
 * (layout documented on StudioEvent in src/shared/contracts/studio-api.ts). Always copies: the trainer
 * keeps mutating its buffers after the event is emitted.
 */
import type { StudioEvent } from '../../shared/contracts/studio-api';
import { SH_C0, type GaussianCloud } from '../../shared/gaussians/cloud';

export type PreviewEvent = Extract<StudioEvent, { type: 'job-preview' }>;

export function previewEvent(
  ids: { jobId: string; projectId: string; runId: string },
  cloud: GaussianCloud,
  step: number,
): PreviewEvent {
  const n = cloud.count;
  const scales = new Float32Array(n * 3);
  const rotations = new Float32Array(n * 4);
  const opacities = new Float32Array(n);
  const colors = new Float32Array(n * 3);
  for (let i = 0; i < n; i++) {
    for (let a = 0; a < 3; a++) {
      scales[i * 3 + a] = Math.exp(cloud.scales[i * 3 + a]);
      colors[i * 3 + a] = Math.min(1, Math.max(0, 0.5 + SH_C0 * cloud.shDC[i * 3 + a]));
    }
    const q = cloud.rotations.subarray(i * 4, i * 4 + 4);
    const len = Math.hypot(q[0], q[1], q[2], q[3]);
    if (len > 0) for (let k = 0; k < 4; k++) rotations[i * 4 + k] = q[k] / len;
    else rotations[i * 4] = 1; // Degenerate quaternion: identity rather than NaN.
    opacities[i] = 1 / (1 + Math.exp(-cloud.opacities[i]));
  }
  return {
    type: 'job-preview',
    ...ids,
    step,
    positions: cloud.positions.slice(0, n * 3),
    scales,
    rotations,
    opacities,
    colors,
  };
}
