/**
 * A closing lid covers what the portrait showed through the eye opening: the Gaussians in front of
 * each eyeball between the rest lid margins are found once, with their place across the opening
 * (v: 0 at the upper margin, 1 at the lower one), and fade out as the upper margin comes down past
 * them. So an iris the optimisation left a little proud of the eyeball, or one bound to the lid, does
 * not show through or smear over the closed lid.
 */
import type { GaussianCloud } from '../../shared/gaussians/cloud';
import type { HeadModel } from '../head-model/types';
import { lidMargins, polylineY } from './face-contours';

/**
 * How far in front of the fitted eye the splats of the eye may lie (cm): the optimisation, fitting 16
 * views, places the eye up to ~1.5 cm in front of the model's (seen on hq-0001 at 400 steps).
 */
export const EYE_FRONT_CM = 2;
/** How far behind the lid margins the eye's splats may lie (cm). */
export const EYE_BACK_CM = 1.2;
/** Soft edge of the lid over the eye opening (fraction of the opening). */
const LID_EDGE = 0.15;

/** Gaussians a closing lid covers: index, model x, place across the rest opening v. */
export type EyeCover = Record<'L' | 'R', { i: number; x: number; v: number }[]>;

/** The Gaussians of `cloud` (world) that each eye's lid covers when it closes; `toModel` maps world to model cm. */
export function findEyeCover(
  model: HeadModel,
  restModel: Float32Array,
  cloud: GaussianCloud,
  toModel: (x: number, y: number, z: number) => [number, number, number],
): EyeCover {
  const cover: EyeCover = { L: [], R: [] };
  for (const side of ['L', 'R'] as const) {
    const lids = lidMargins(model, side, restModel);
    const zFront = Math.max(...lids.upper.map((p) => p[2])) + EYE_FRONT_CM;
    const zBack = Math.min(...lids.upper.map((p) => p[2])) - EYE_BACK_CM;
    const x0 = lids.upper[0][0];
    const x1 = lids.upper[lids.upper.length - 1][0];
    for (let i = 0; i < cloud.count; i++) {
      const [mx, my, mz] = toModel(
        cloud.positions[i * 3],
        cloud.positions[i * 3 + 1],
        cloud.positions[i * 3 + 2],
      );
      if (mx < x0 || mx > x1 || mz < zBack || mz > zFront) continue;
      const up = polylineY(lids.upper, mx);
      const lo = polylineY(lids.lower, mx);
      if (!(up - lo > 1e-3)) continue;
      const v = (up - my) / (up - lo);
      if (v < -0.05 || v > 1.2) continue;
      cover[side].push({ i, x: mx, v });
    }
  }
  return cover;
}

/**
 * `cloud` with the covered Gaussians of the eyes in `sides` faded: a Gaussian at v fades out once the
 * closure c(x) (how far the upper margin moved from `restModel` to `posedModel`, as a fraction of the
 * rest opening) passes it, with a soft edge of LID_EDGE.
 */
export function clipEyeOpenings(
  model: HeadModel,
  cover: EyeCover,
  cloud: GaussianCloud,
  restModel: Float32Array,
  posedModel: Float32Array,
  sides: readonly ('L' | 'R')[],
): GaussianCloud {
  const active = sides.filter((s) => cover[s].length);
  if (!active.length) return cloud;
  const opacities = cloud.opacities.slice();
  for (const side of active) {
    const rest = lidMargins(model, side, restModel);
    const now = lidMargins(model, side, posedModel);
    const toXY = (p: number[][]) => p.map((q) => [q[0], q[1]] as [number, number]);
    const [ru, rl, nu] = [toXY(rest.upper), toXY(rest.lower), toXY(now.upper)];
    for (const { i, x, v } of cover[side]) {
      const up = polylineY(ru, x);
      const span = up - polylineY(rl, x);
      const c = (up - polylineY(nu, x)) / span;
      const keep = Math.min(1, Math.max(0, (v - c) / LID_EDGE + 0.5));
      if (keep >= 1) continue;
      const a = (1 / (1 + Math.exp(-opacities[i]))) * keep;
      opacities[i] = a > 1e-6 ? Math.log(a / (1 - a)) : -20;
    }
  }
  return { ...cloud, opacities };
}
