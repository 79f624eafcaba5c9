/**
 * Conversion from the LGM-style reconstructor output (DESIGN.md 2.3) to a GaussianCloud.
 *
 * packed: Float32Array [N * 14], per Gaussian: pos3, opacity1, scale3, rot4 (w x y z), rgb3.
 * Raw network outputs get LGM's activations: pos clamp(-1, 1), opacity sigmoid, scale 0.1 * softplus,
 * rotation normalise, rgb 0.5 * tanh + 0.5. LGM's own forward pass already applies them and returns the
 * activated tensor; pass { activated: true } for that. Either way the cloud stores logit(opacity),
 * log(scale), the normalised quaternion and dc = (rgb - 0.5) / SH_C0 (shDegree 0), which is exactly what
 * LGM's save_ply writes. Positions stay in HeadForge world axes (the reconstructor uses the same cameras).
 */
import { allocateCloud, type GaussianCloud } from './cloud';
import { colorToShDc, logit, normalizeQuaternionAt, sigmoid, softplus } from './activations';

export const LGM_CHANNELS = 14;

export interface FromPackedLgmOptions {
  /** true when `packed` already holds activated values (LGM forward_gaussians output). Default false. */
  activated?: boolean;
}

export function fromPackedLgm(packed: Float32Array, options: FromPackedLgmOptions = {}): GaussianCloud {
  if (packed.length % LGM_CHANNELS !== 0)
    throw new RangeError(`packed LGM array length ${packed.length} is not a multiple of ${LGM_CHANNELS}`);
  const n = packed.length / LGM_CHANNELS;
  const activated = options.activated ?? false;
  const cloud = allocateCloud(n, 0);
  const clampPos = (v: number) => Math.min(1, Math.max(-1, v));
  for (let i = 0; i < n; i++) {
    const b = i * LGM_CHANNELS;
    for (let k = 0; k < LGM_CHANNELS; k++) {
      const v = packed[b + k];
      if (v - v !== 0) throw new RangeError(`non-finite value ${v} in LGM channel ${k} of Gaussian ${i}`);
    }
    for (let a = 0; a < 3; a++) cloud.positions[i * 3 + a] = activated ? packed[b + a] : clampPos(packed[b + a]);
    const alpha = activated ? packed[b + 3] : sigmoid(packed[b + 3]);
    cloud.opacities[i] = logit(alpha);
    for (let a = 0; a < 3; a++) {
      const s = activated ? packed[b + 4 + a] : 0.1 * softplus(packed[b + 4 + a]);
      cloud.scales[i * 3 + a] = Math.log(Math.max(s, 1e-12));
    }
    for (let a = 0; a < 4; a++) cloud.rotations[i * 4 + a] = packed[b + 7 + a];
    normalizeQuaternionAt(cloud.rotations, i * 4);
    for (let c = 0; c < 3; c++) {
      const rgb = activated ? packed[b + 11 + c] : 0.5 * Math.tanh(packed[b + 11 + c]) + 0.5;
      cloud.shDC[i * 3 + c] = colorToShDc(rgb);
    }
  }
  return cloud;
}
