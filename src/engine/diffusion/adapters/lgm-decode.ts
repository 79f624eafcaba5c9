/**
 * Packed LGM Gaussians -> GaussianCloud (stored parameterisation of src/shared/gaussians/cloud.ts).
 *
 * Input: Float32Array [N, 14] row-major (N = 4 * S * S, LGM's [4, S, S, 14] flattened), channels
 *   0-2 position, 3 opacity, 4-6 scale, 7-10 rotation (w x y z), 11-13 rgb.
 * 'raw' values get LGM's activations first: pos clamp(-1, 1), opacity sigmoid, scale 0.1 * softplus,
 * rotation normalise, rgb 0.5 * tanh + 0.5. 'applied' values are already activated.
 * Stored: opacity logit, log scale, normalised quaternion, SH DC = (rgb - 0.5) / SH_C0.
 *
 * This is the one switch point for src/shared/gaussians' fromPackedLgm once it exists.
 */
import { allocateCloud, SH_C0, type GaussianCloud } from '../../../shared/gaussians/cloud';

const softplus = (x: number) => (x > 20 ? x : Math.log1p(Math.exp(x)));
const logit = (p: number) => {
  const c = Math.min(Math.max(p, 1e-7), 1 - 1e-7);
  return Math.log(c / (1 - c));
};

export function packedLgmToCloud(data: Float32Array, activations: 'raw' | 'applied'): GaussianCloud {
  if (data.length % 14 !== 0) throw new RangeError(`packed LGM Gaussians: length ${data.length} is not a multiple of 14`);
  const n = data.length / 14;
  const cloud = allocateCloud(n, 0);
  const raw = activations === 'raw';
  let nonFinite = 0;
  for (let i = 0; i < n; i++) {
    const g = i * 14;
    for (let k = 0; k < 3; k++) {
      const p = data[g + k];
      cloud.positions[i * 3 + k] = raw ? Math.min(1, Math.max(-1, p)) : p;
      const s = raw ? 0.1 * softplus(data[g + 4 + k]) : data[g + 4 + k];
      cloud.scales[i * 3 + k] = Math.log(Math.max(s, 1e-12));
      const rgb = raw ? 0.5 * Math.tanh(data[g + 11 + k]) + 0.5 : data[g + 11 + k];
      cloud.shDC[i * 3 + k] = (rgb - 0.5) / SH_C0;
    }
    cloud.opacities[i] = raw ? data[g + 3] : logit(data[g + 3]);
    const w = data[g + 7], x = data[g + 8], y = data[g + 9], z = data[g + 10];
    const qn = Math.hypot(w, x, y, z);
    if (qn > 1e-20) cloud.rotations.set([w / qn, x / qn, y / qn, z / qn], i * 4);
    for (let k = 0; k < 14; k++) if (!Number.isFinite(data[g + k])) nonFinite++;
  }
  if (nonFinite > 0) throw new RangeError(`packed LGM Gaussians: ${nonFinite} non-finite values from the reconstructor`);
  return cloud;
}
