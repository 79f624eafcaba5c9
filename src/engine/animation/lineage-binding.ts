/**
 * The binding the optimisation keeps (GaussianAvatars, Qian et al. 2024: a Gaussian belongs to a
 * triangle from its creation, and densified children inherit their parent's). HeadForge optimises
 * world positions, not offsets in a triangle's frame, so the binding is carried as lineage instead:
 * the initial cloud (before optimisation) is bound to the fitted head with the rules of
 * bind-to-head.ts, the trainer says which initial row every trained Gaussian descends from
 * (GaussianTrainer.getLineage), and each trained Gaussian takes its ancestor's triangle. Its local
 * offset, rotation and scale are then recomputed from its trained values in that triangle's frame at
 * rest pose (bindToTriangles), so a zero blend still gives the trained head to the bit.
 *
 * What the lineage decides, and what the trained cloud decides (measured, docs/animation.md):
 *   - whether a Gaussian is bound, and to which surface (skin, an eyeball, the mouth interior), is
 *     the rules of bind-to-head.ts on the TRAINED cloud. Their bands and the portrait's openings are
 *     about what the optimisation made: on hq-0001 at 40 steps the initial cloud's mouth seam routed
 *     51 Gaussians (lip-coloured after training) to the mouth interior against the trained cloud's 6,
 *     and an open jaw then showed them inside the mouth (dark 0.21 of the opening instead of 0.38); on
 *     hq-0002 at 600 steps 1,741 Gaussians of unbound ancestors (just beyond the 0.8 cm skin band)
 *     had moved onto the skin (606 on the face) and, left behind, streaked along the jaw line;
 *   - which triangle of that surface is the ancestor's (the lineage), unless the Gaussian is farther
 *     than `maxDriftCm` from it (nothing holds a Gaussian near its triangle while it trains, and a
 *     split child lands up to a few of its parent's sigmas away; GaussianAvatars has a position
 *     regulariser for that): then the nearest rule's triangle.
 */
import { bindToTriangles } from '../../shared/animation/mesh-binding';
import { pointTriangleDistance2 } from '../../shared/animation/triangle-distance';
import type { GaussianCloud } from '../../shared/gaussians/cloud';
import type { ModelToWorld } from '../head-fit/model-to-world';
import type { HeadFit } from '../head-fit/types';
import type { HeadModel } from '../head-model/types';
import { bindToHead } from './bind-to-head';
import { partTriangles } from './face-contours';
import { restPose } from './rest-pose';
import { INTERIOR_PARTS } from './surface-layers';

/**
 * Drift allowed (model cm): a Gaussian that ended more than this much farther from its inherited
 * triangle than its ancestor was (the eye/mouth openings and the beard rule bind some centimetres
 * from their triangle on purpose) takes the nearest rule's triangle. Chosen on jawOpen = 1 renders,
 * the mouth opening's dark fraction (front view; docs/animation.md has the table):
 *   hq-0001, 40 steps, 256 px (the ARKit test's run): nearest rule 0.41; a cut-off on the plain
 *     distance of 2 or 1 cm 0.27 (split children thrown across the lip seam follow the other lip into
 *     the opening), 0.5 cm 0.29; on the drift 0.3 cm 0.40, 0.2 cm 0.42, 0.1 cm 0.43 (73 of ~3,950
 *     bound fall back), 0.05 cm 0.43, 0 0.41;
 *   hq-0002, 600 steps, 512 px: 0.69 under every rule (0.1 cm: 5,912 of 13,224 fall back).
 * Blinks measured the same under every rule.
 */
export const DRIFT_CM = 0.1;

export interface LineageBindingStats {
  /** Trained Gaussians, and those bound. */
  gaussians: number;
  bound: number;
  /** Bound to their ancestor's triangle, and their drift: how much farther from it than the ancestor (model cm). */
  inherited: number;
  driftMedianCm: number;
  driftP95Cm: number;
  driftMaxCm: number;
  /** Bound to the nearest rule's triangle: beyond maxDriftCm, of an unbound ancestor, of an ancestor on another surface. */
  drifted: number;
  adopted: number;
  resurfaced: number;
  /** Of a bound ancestor, but not bound by the rules on the trained cloud. */
  released: number;
  ms: number;
}

export interface LineageBinding {
  /** Triangle per trained Gaussian, -1 = not bound. */
  triangle: Int32Array;
  stats: LineageBindingStats;
}

/** Surface of each triangle: 0 skin, 1 left eyeball, 2 right eyeball, 3 mouth interior. */
function surfaces(model: HeadModel): Uint8Array {
  const s = new Uint8Array(model.triangles.length / 3);
  for (const t of partTriangles(model, ['eyeballL'])) s[t] = 1;
  for (const t of partTriangles(model, ['eyeballR'])) s[t] = 2;
  for (const t of partTriangles(model, INTERIOR_PARTS)) s[t] = 3;
  return s;
}

export function lineageBinding(
  model: HeadModel,
  fit: Pick<HeadFit, 'identity' | 'expression'>,
  toWorld: Pick<ModelToWorld, 'A' | 'b' | 'scale'>,
  initial: GaussianCloud,
  trained: GaussianCloud,
  lineage: Int32Array,
  maxDriftCm = DRIFT_CM,
): LineageBinding {
  const t0 = performance.now();
  const n = trained.count;
  if (lineage.length !== n)
    throw new RangeError(`lineage has ${lineage.length} rows, the trained cloud ${n}`);
  const rest = restPose(model, fit, toWorld);
  const bind = (c: GaussianCloud) => bindToHead(model, rest.restModel, rest.restVertices, toWorld, c).binding;
  const { triangle: ancestors, distance: ancestorDistance } = bind(initial);
  const nearest = bind(trained).triangle;
  const surface = surfaces(model);
  const triangle = new Int32Array(n);
  const V = rest.restVertices;
  const F = model.triangles;
  const P = trained.positions;
  const drift: number[] = [];
  const counts = { drifted: 0, adopted: 0, resurfaced: 0, released: 0 };
  for (let i = 0; i < n; i++) {
    const a = lineage[i];
    if (a < 0 || a >= initial.count)
      throw new RangeError(`lineage[${i}] = ${a} is not a row of the initial cloud`);
    const t = ancestors[a];
    const m = nearest[i];
    triangle[i] = m;
    if (m < 0) {
      if (t >= 0) counts.released++;
      continue;
    }
    if (t < 0) {
      counts.adopted++;
      continue;
    }
    if (surface[t] !== surface[m]) {
      counts.resurfaced++;
      continue;
    }
    // Drift: how much farther from the triangle than its ancestor (the openings and the beard rule bind
    // Gaussians centimetres from their triangle on purpose).
    const d =
      (Math.sqrt(
        pointTriangleDistance2(
          P[i * 3],
          P[i * 3 + 1],
          P[i * 3 + 2],
          V,
          F[t * 3] * 3,
          F[t * 3 + 1] * 3,
          F[t * 3 + 2] * 3,
        ),
      ) -
        ancestorDistance[a]) /
      toWorld.scale;
    if (d > maxDriftCm) {
      counts.drifted++;
      continue;
    }
    drift.push(d);
    triangle[i] = t;
  }
  // Keep only triangles with a frame (bindToTriangles drops degenerate ones), so the saved binding is what loads.
  const check = bindToTriangles(trained, { vertices: V, triangles: F }, triangle);
  let bound = 0;
  for (let i = 0; i < n; i++) {
    triangle[i] = check.triangle[i];
    if (triangle[i] >= 0) bound++;
  }
  drift.sort((x, y) => x - y);
  const at = (f: number) =>
    drift.length ? drift[Math.min(drift.length - 1, Math.floor(f * drift.length))] : NaN;
  return {
    triangle,
    stats: {
      gaussians: n,
      bound,
      inherited: drift.length,
      driftMedianCm: at(0.5),
      driftP95Cm: at(0.95),
      driftMaxCm: drift.length ? drift[drift.length - 1] : NaN,
      ...counts,
      ms: performance.now() - t0,
    },
  };
}
