/**
 * Stored (pre-activation) GaussianCloud -> the activated arrays a splat viewer draws, SH degree 0.
 * One function for both producers: the engine's live training previews ('job-preview' events,
 * src/engine/host/preview.ts) and the studio's live restyle/expression preview
 * (src/renderer/workspace/restyle-preview.ts), so the two can never drift apart.
 *
 * Layout (N = cloud.count), every array a fresh copy (the trainer keeps mutating its buffers):
 *   positions [N*3] x y z (OpenGL axes), scales [N*3] exp(log-scale), rotations [N*4] w x y z normalised
 *   (a zero quaternion becomes identity, not NaN), opacities [N] sigmoid(logit),
 *   colors [N*3] 0.5 + SH_C0 * dc clamped to [0, 1].
 */
import { SH_C0, type GaussianCloud } from './cloud';

export interface PreviewArrays {
  positions: Float32Array;
  scales: Float32Array;
  rotations: Float32Array;
  opacities: Float32Array;
  colors: Float32Array;
}

export function cloudToPreviewArrays(cloud: GaussianCloud): PreviewArrays {
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
  return { positions: cloud.positions.slice(0, n * 3), scales, rotations, opacities, colors };
}
