/**
 * Binding a run's Gaussians to the fitted head model's triangles at its rest pose (the portrait's
 * expression): each Gaussian of the face and head goes to its nearest skin triangle within
 * BIND_NEAR_CM; Gaussians seen through the portrait's eye and mouth openings bind to the eyeball and
 * the mouth interior (not to the nearest lid or lip), so a closing lid slides over them instead of
 * dragging the iris along; below the nose, what lies up to BIND_FRONT_CM in front of the skin (a fringe
 * of the optimisation, a beard, a lip drawn a little proud of the fitted one) goes with the skin it
 * covers seen from the front. Hair volume and torso stay unbound.
 */
import { bindGaussians, type SplatBinding } from '../../shared/animation/mesh-binding';
import type { GaussianCloud } from '../../shared/gaussians/cloud';
import type { ModelToWorld } from '../head-fit/model-to-world';
import type { HeadModel } from '../head-model/types';
import { EYE_BACK_CM, EYE_FRONT_CM } from './eye-cover';
import { EYE_L_68, EYE_R_68, landmarkAt, MOUTH_IN_68, partTriangles } from './face-contours';
import { pointInPolygon } from '../../shared/polygon';
import { FrontalSkin } from './frontal-skin';
import { INTERIOR_PARTS } from './surface-layers';

/** Gaussians within this distance (model cm) of the skin are bound to its nearest triangle. */
export const BIND_NEAR_CM = 0.8;
/** Below the nose, Gaussians up to this far (cm) in front of the skin bind to the skin they cover seen from the front. */
export const BIND_FRONT_CM = 5;
/** Gaussians in the portrait's eye and mouth openings bind to the eyeball / mouth interior within this distance (cm). */
const BIND_OPENING_CM = 2;
/** Parts Gaussians may bind to. */
const BIND_PARTS = ['face', 'headNeck', 'eyeballL', 'eyeballR', 'teeth'];

export type WorldToModel = (x: number, y: number, z: number) => [number, number, number];

/** The inverse of the similarity world = A p + b (A a rotation times `scale`): world -> model cm. */
export function worldToModel(toWorld: Pick<ModelToWorld, 'A' | 'b' | 'scale'>): WorldToModel {
  const { A, b, scale } = toWorld;
  const s2 = scale * scale;
  return (x, y, z) => {
    const dx = x - b[0];
    const dy = y - b[1];
    const dz = z - b[2];
    // model = A^T (p - b) / s^2
    return [
      (A[0] * dx + A[3] * dy + A[6] * dz) / s2,
      (A[1] * dx + A[4] * dy + A[7] * dz) / s2,
      (A[2] * dx + A[5] * dy + A[8] * dz) / s2,
    ];
  };
}

export interface HeadBinding {
  binding: SplatBinding;
  /** Gaussians bound to the eyeballs / the mouth interior because they lie in the portrait's openings. */
  eyeOpening: number;
  mouthOpening: number;
}

/** Bind `cloud` (world) to `model` posed at `restModel` (cm) / `restVertices` (world, the same pose). */
export function bindToHead(
  model: HeadModel,
  restModel: Float32Array,
  restVertices: Float32Array,
  toWorld: Pick<ModelToWorld, 'A' | 'b' | 'scale'>,
  cloud: GaussianCloud,
): HeadBinding {
  const polygon = (ids: number[]) => ids.map((i) => landmarkAt(model, restModel, i));
  const openings = [
    { poly: polygon(EYE_L_68), group: 0, back: EYE_BACK_CM, front: EYE_FRONT_CM },
    { poly: polygon(EYE_R_68), group: 1, back: EYE_BACK_CM, front: EYE_FRONT_CM },
    { poly: polygon(MOUTH_IN_68), group: 2, back: 2.0, front: 0.6 },
  ].map((o) => ({
    ...o,
    xy: o.poly.map((p) => [p[0], p[1]] as [number, number]),
    zMin: Math.min(...o.poly.map((p) => p[2])) - o.back,
    zMax: Math.max(...o.poly.map((p) => p[2])) + o.front,
  }));
  const toModel = worldToModel(toWorld);
  const counts = [0, 0, 0];
  const route = (_i: number, x: number, y: number, z: number): number => {
    const [mx, my, mz] = toModel(x, y, z);
    for (const o of openings) {
      if (mz < o.zMin || mz > o.zMax) continue;
      if (pointInPolygon(mx, my, o.xy)) {
        counts[o.group]++;
        return o.group;
      }
    }
    return -1;
  };
  const front = new FrontalSkin(model, restModel, partTriangles(model, ['narrowFace']));
  const noseY = landmarkAt(model, restModel, 33)[1];
  const fallback = (_i: number, x: number, y: number, z: number): number => {
    const [mx, my, mz] = toModel(x, y, z);
    if (my > noseY) return -1;
    const hit = front.under(mx, my);
    if (!hit || mz < hit.z - BIND_NEAR_CM || mz > hit.z + BIND_FRONT_CM) return -1;
    return hit.triangle;
  };
  const scale = toWorld.scale;
  const binding = bindGaussians(
    cloud,
    { vertices: restVertices, triangles: model.triangles },
    {
      targets: partTriangles(model, BIND_PARTS),
      maxDistance: BIND_NEAR_CM * scale,
      groups: [
        partTriangles(model, ['eyeballL']),
        partTriangles(model, ['eyeballR']),
        partTriangles(model, INTERIOR_PARTS),
      ],
      groupMaxDistance: BIND_OPENING_CM * scale,
      route,
      fallback,
    },
  );
  return { binding, eyeOpening: counts[0] + counts[1], mouthOpening: counts[2] };
}
