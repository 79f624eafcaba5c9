/**
 * Packed LGM Gaussians -> GaussianCloud: the reconstructor adapter's one switch point onto the shared
 * conversion (src/shared/gaussians/lgm.ts, fromPackedLgm).
 *
 * Input: Float32Array [N, 14] row-major (N = 4 * S * S, LGM's [4, S, S, 14] flattened), channels
 *   0-2 position, 3 opacity, 4-6 scale, 7-10 rotation (w x y z), 11-13 rgb.
 * 'raw' values get LGM's activations (pos clamp(-1, 1), opacity sigmoid, scale 0.1 * softplus,
 * rotation normalise, rgb 0.5 * tanh + 0.5); 'applied' values are already activated.
 */
import type { GaussianCloud } from '../../../shared/gaussians/cloud';
import { fromPackedLgm } from '../../../shared/gaussians/lgm';

export function packedLgmToCloud(data: Float32Array, activations: 'raw' | 'applied'): GaussianCloud {
  return fromPackedLgm(data, { activated: activations === 'applied' });
}
