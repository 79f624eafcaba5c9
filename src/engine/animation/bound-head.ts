/**
 * A run's Gaussian head bound to its fitted head model (GaussianAvatars, Qian et al. 2024): every
 * Gaussian of the face and head belongs to a triangle of the fitted ICT head (the mesh the run's head
 * was built on: its identity and the portrait's own expression, in the run's world), so a blend of the
 * model's ARKit-named expression shapes moves the splats with the skin. Which Gaussian goes to which
 * triangle: the run's head-binding.json when it has one (lineage-binding.ts: each Gaussian keeps the
 * triangle its ancestor in the optimisation's initial cloud was bound to), else the nearest rule on the
 * trained cloud (bind-to-head.ts; runs made before the binding was kept). Hair volume and torso are not bound: an expression does not move
 * the skull or the neck, so they stay where they are (rigid with the skull); a head rotation
 * (head-rotation.ts) turns head, hair and neck about the neck and leaves the torso.
 *
 * What the photo never showed (the mouth interior, the lid skin over a closed eye) is added from the
 * model only while it is exposed (surface-layers.ts), so a blend that changes nothing leaves the cloud
 * unchanged to the bit. Weights are ARKit names, relative to the portrait's expression by default
 * (kit-weights.ts).
 */
import type { HeadRotation } from '../../shared/animation/arkit-csv';
import { bindToTriangles, deformBoundCloud, type SplatBinding } from '../../shared/animation/mesh-binding';
import type { GaussianCloud } from '../../shared/gaussians/cloud';
import { transformModelPoints, type ModelToWorld } from '../head-fit/model-to-world';
import type { HeadFit } from '../head-fit/types';
import type { HeadModel } from '../head-model/types';
import { bindToHead, worldToModel } from './bind-to-head';
import { clipEyeOpenings, findEyeCover, type EyeCover } from './eye-cover';
import { EYE_L_PAIRS, EYE_R_PAIRS, MOUTH_PAIRS, openingGaps, partTriangles } from './face-contours';
import { HeadTurn } from './head-rotation';
import type { ArkitWeights, BlendMode, KitBlend } from './kit-weights';
import { posedModel, restPose } from './rest-pose';
import { appendLayers, INTERIOR_PARTS, interiorLayer, lidLayer, type SurfaceLayer } from './surface-layers';

export type { ArkitWeights, BlendMode } from './kit-weights';

/** A layer shows once its opening changed by more than this (cm). */
const LAYER_ON_CM = 0.005;

export interface BoundHeadStats {
  gaussians: number;
  bound: number;
  /** 'lineage': the triangles the run kept from its optimisation; 'nearest': chosen now on the trained cloud. */
  rule: 'lineage' | 'nearest';
  /** Gaussians bound to the eyeballs / the mouth interior (they lay in the portrait's eye / mouth opening). */
  eyeOpening: number;
  mouthOpening: number;
  /** Median distance of the bound Gaussians to their triangle (model cm). */
  medianDistanceCm: number;
  /** Layer sizes: mouth interior, left lid, right lid. */
  interior: number;
  lidLeft: number;
  lidRight: number;
  bindMs: number;
}

export interface BoundFrame {
  cloud: GaussianCloud;
  /** Which layers were added (mouth, lidL, lidR). */
  layers: string[];
  /** The model's vertices for this frame in the world [V*3] (for measuring and tests; before a head rotation). */
  vertices: Float32Array;
}

export class BoundHead {
  readonly binding: SplatBinding;
  readonly stats: BoundHeadStats;
  /** Rest pose in the world (the fit's expression) [V*3]. */
  readonly restVertices: Float32Array;
  /** Rest pose in model space (cm) [V*3]. */
  private readonly restModel: Float32Array;
  private readonly blend: KitBlend;
  /** Neutral + identity in model space (cm) [V*3]. */
  private readonly base: Float32Array;
  private readonly scratch: Float32Array;
  private readonly layers: SurfaceLayer[] = [];
  private readonly restGaps: { mouth: number[]; lidL: number[]; lidR: number[] };
  private readonly eyeCover: EyeCover;
  private readonly turn: HeadTurn;

  constructor(
    readonly model: HeadModel,
    readonly fit: Pick<HeadFit, 'identity' | 'expression'>,
    readonly toWorld: Pick<ModelToWorld, 'A' | 'b' | 'scale'>,
    readonly cloud: GaussianCloud,
    /** Triangle per Gaussian (-1 = unbound), kept from the optimisation; default: the nearest rule now. */
    triangles?: Int32Array,
  ) {
    const t0 = performance.now();
    const rest = restPose(model, fit, toWorld);
    this.blend = rest.blend;
    this.base = rest.base;
    this.scratch = new Float32Array(this.base.length);
    const restModel = rest.restModel;
    this.restModel = restModel;
    this.restVertices = rest.restVertices;

    let openings: { eyeOpening: number; mouthOpening: number };
    if (triangles) {
      this.binding = bindToTriangles(
        cloud,
        { vertices: this.restVertices, triangles: model.triangles },
        triangles,
      );
      const on = (parts: readonly string[]) => {
        const set = new Set(partTriangles(model, parts));
        let k = 0;
        for (let i = 0; i < cloud.count; i++) if (set.has(this.binding.triangle[i])) k++;
        return k;
      };
      openings = { eyeOpening: on(['eyeballL', 'eyeballR']), mouthOpening: on(INTERIOR_PARTS) };
    } else {
      const bound = bindToHead(model, restModel, this.restVertices, toWorld, cloud);
      this.binding = bound.binding;
      openings = bound;
    }
    const toModel = worldToModel(toWorld);
    this.eyeCover = findEyeCover(model, restModel, cloud, toModel);
    this.turn = new HeadTurn(model, restModel, toWorld, toModel);
    this.restGaps = {
      mouth: openingGaps(model, MOUTH_PAIRS, restModel),
      lidL: openingGaps(model, EYE_L_PAIRS, restModel),
      lidR: openingGaps(model, EYE_R_PAIRS, restModel),
    };

    const source = {
      model,
      scale: toWorld.scale,
      vertices: (w: ArkitWeights) => this.vertices(w),
      binding: this.binding,
      cloud,
    };
    this.layers.push(interiorLayer(source, restModel));
    for (const side of ['L', 'R'] as const) {
      const layer = lidLayer(source, side);
      if (layer) this.layers.push(layer);
    }

    const d: number[] = [];
    let boundCount = 0;
    for (let i = 0; i < cloud.count; i++) {
      if (this.binding.triangle[i] < 0) continue;
      boundCount++;
      if (i % 7 === 0) d.push(this.binding.distance[i] / toWorld.scale);
    }
    d.sort((x, y) => x - y);
    const count = (name: string) => this.layers.find((l) => l.name === name)?.tri.length ?? 0;
    this.stats = {
      gaussians: cloud.count,
      bound: boundCount,
      rule: triangles ? 'lineage' : 'nearest',
      eyeOpening: openings.eyeOpening,
      mouthOpening: openings.mouthOpening,
      medianDistanceCm: d.length ? d[d.length >> 1] : NaN,
      interior: count('mouth'),
      lidLeft: count('lidL'),
      lidRight: count('lidR'),
      bindMs: performance.now() - t0,
    };
  }

  /** Kit-name weights of the portrait's expression, in model order. */
  get fitBeta(): Float32Array {
    return this.blend.fitBeta;
  }

  /** Model-space vertices for kit weights `beta` (model order). */
  private posedModel(beta: ArrayLike<number>, out: Float32Array): Float32Array {
    return posedModel(this.model, this.base, beta, out);
  }

  /** Kit weights for a blend (kit-weights.ts); throws naming unknown shapes or bad weights. */
  kitWeights(weights: ArkitWeights, mode: BlendMode = 'relative'): Float32Array {
    return this.blend.kitWeights(weights, mode);
  }

  /** The model's world vertices [V*3] for a blend. */
  vertices(weights: ArkitWeights, mode: BlendMode = 'relative', out?: Float32Array): Float32Array {
    const beta = this.kitWeights(weights, mode);
    return transformModelPoints(this.toWorld, this.posedModel(beta, this.scratch), out);
  }

  /**
   * The head posed by a blend: the bound Gaussians carried by their triangles, plus the exposed
   * layers; then, with `rotation`, head, hair and neck turned about the neck (the torso stays).
   */
  frame(weights: ArkitWeights, mode: BlendMode = 'relative', rotation?: HeadRotation): BoundFrame {
    const beta = this.kitWeights(weights, mode);
    const posedModel = this.posedModel(beta, this.scratch);
    const vertices = transformModelPoints(this.toWorld, posedModel);
    const deformed = deformBoundCloud(
      this.cloud,
      this.binding,
      this.model.triangles,
      this.restVertices,
      vertices,
    );
    const exposed = (gaps: number[], rest: number[], sign: 1 | -1) =>
      gaps.some((g, i) => sign * (g - rest[i]) > LAYER_ON_CM);
    const on = new Set<string>();
    if (exposed(openingGaps(this.model, MOUTH_PAIRS, posedModel), this.restGaps.mouth, 1)) on.add('mouth');
    if (exposed(openingGaps(this.model, EYE_L_PAIRS, posedModel), this.restGaps.lidL, -1)) on.add('lidL');
    if (exposed(openingGaps(this.model, EYE_R_PAIRS, posedModel), this.restGaps.lidR, -1)) on.add('lidR');
    const layers = this.layers.filter((l) => on.has(l.name));
    let cloud = deformed;
    if (layers.length) {
      const sides = (['L', 'R'] as const).filter((s) => on.has(`lid${s}`));
      const clipped = clipEyeOpenings(this.model, this.eyeCover, deformed, this.restModel, posedModel, sides);
      cloud = appendLayers(this.model, clipped, layers, vertices);
    }
    if (rotation) cloud = this.turn.apply(cloud, rotation);
    return { cloud, layers: layers.map((l) => l.name), vertices };
  }
}
