/**
 * A run's Gaussian head bound to its fitted head model (issue 16; GaussianAvatars, Qian et al. 2024):
 * every Gaussian of the face and head belongs to a triangle of the fitted ICT head (the mesh the
 * run's head was built on: its identity and the portrait's own expression, in the run's world), so a
 * blend of the model's ARKit-named expression shapes moves the splats with the skin. Hair volume and
 * torso (farther than BIND_NEAR_CM from the skin) are not bound: an expression does not move the skull
 * or the neck, so they stay where they are (rigid with the skull).
 *
 * What the photo never showed is added from the model, as Gaussians bound to its triangles, and only
 * while it is exposed (so a blend that changes nothing leaves the cloud unchanged to the bit):
 *   - the mouth interior (teeth, gums and tongue, the mouth socket), when the lips part further than
 *     in the portrait: ivory teeth, pink gums, a dark red socket, darker the deeper they sit;
 *   - the eyelid skin, when a lid closes further than in the portrait: the skin that a blink stretches
 *     over the eye, in the colour of the lid skin the views show.
 * Gaussians seen through the eye and mouth openings of the portrait bind to the eyeball and the mouth
 * interior (not to the nearest lid or lip), so a closing lid slides over them instead of dragging
 * the iris along.
 *
 * Weights are ARKit names (src/shared/animation/arkit.ts) and move the head *from the portrait's own
 * expression* ('relative', the default): a shape at w adds w to what the fit found, and relaxes its
 * antagonists in the portrait by w (eyeBlink relaxes eyeWide, jawOpen relaxes mouthClose and
 * mouthPress, ...), so eyeBlink = 1 closes an eye that the portrait shows wide open. 'absolute'
 * replaces the portrait's expression by the weights (a neutral face at all zeros).
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { ARKIT_BLENDSHAPES, ARKIT_SPLIT_SHAPES, kitToArkitName } from '../../shared/animation/arkit';
import {
  bindGaussians,
  triangleFrame,
  quatFromMatrix,
  deformBoundCloud,
  type SplatBinding,
  type TriangleFrame,
} from '../../shared/animation/mesh-binding';
import type { InputCameraRecord } from '../../shared/contracts/multiview';
import { allocateCloud, SH_C0, shCoeffsRest, type GaussianCloud } from '../../shared/gaussians/cloud';
import { StudioError } from '../../shared/rpc/errors';
import { fittedModelToWorld, transformModelPoints, type ModelToWorld } from '../head-fit/model-to-world';
import { runHeadModel } from '../head-fit/run-head-model';
import type { HeadFit } from '../head-fit/types';
import type { HeadModel } from '../head-model/types';
import { headModelVertices } from '../head-model/vertices';

/** Gaussians within this distance (model cm) of the skin are bound to its nearest triangle. */
export const BIND_NEAR_CM = 0.8;
/** Below the nose, Gaussians up to this far (cm) in front of the skin bind to the skin they cover seen from the front. */
export const BIND_FRONT_CM = 5;
/** Gaussians in the portrait's eye and mouth openings bind to the eyeball / mouth interior within this distance (cm). */
const BIND_OPENING_CM = 2;
/** Parts Gaussians may bind to. */
const BIND_PARTS = ['face', 'headNeck', 'eyeballL', 'eyeballR', 'teeth'];
/** Parts of the mouth interior: what an open mouth shows. */
const INTERIOR_PARTS = ['teeth', 'gumsTongue', 'mouthSocket'] as const;
/** Interior colours (sRGB 0..255) before the depth shading. */
export const INTERIOR_RGB: Record<(typeof INTERIOR_PARTS)[number], [number, number, number]> = {
  teeth: [236, 230, 214],
  gumsTongue: [186, 88, 92],
  mouthSocket: [84, 28, 32],
};
/** Depth shading of the interior: colour x clamp(1 - INTERIOR_SHADE_PER_CM x depth behind the lips, floor, 1). */
const INTERIOR_SHADE_PER_CM = 0.3;
const INTERIOR_SHADE_FLOOR = 0.12;
/** Sample spacing of the added layers (model cm): the mouth interior, the eyelid skin. */
const INTERIOR_SPACING_CM = 0.15;
const LID_SPACING_CM = 0.08;
/** The interior deeper than this behind the lips cannot be seen through an open mouth (cm). */
const INTERIOR_DEPTH_CM = 4.5;
/** A face triangle is eyelid skin when a blink moves one of its vertices farther than this (cm). */
const LID_MOVE_CM = 0.1;
/** The lid layer sits this far under the skin (cm), so the lid's own Gaussians stay in front of it. */
const LID_DEPTH_CM = 0.03;
/**
 * How far in front of the fitted eye the splats of the eye may lie (cm): the optimisation, fitting 16
 * views, places the eye up to ~1.5 cm in front of the model's (seen on hq-0001 at 400 steps).
 */
const EYE_FRONT_CM = 2;
/** Soft edge of the lid over the eye opening (fraction of the opening). */
const LID_EDGE = 0.15;
/** A layer shows once its opening changed by more than this (cm). */
const LAYER_ON_CM = 0.005;

/** Multi-PIE 68 (0-based) contours: subject's right eye (-x), left eye (+x), inner lips. */
const EYE_R_68 = [36, 37, 38, 39, 40, 41];
const EYE_L_68 = [42, 43, 44, 45, 46, 47];
const MOUTH_IN_68 = [60, 61, 62, 63, 64, 65, 66, 67];
/** Upper/lower pairs across each opening (68 numbering). */
const EYE_R_PAIRS: [number, number][] = [
  [37, 41],
  [38, 40],
];
const EYE_L_PAIRS: [number, number][] = [
  [43, 47],
  [44, 46],
];
const MOUTH_PAIRS: [number, number][] = [
  [61, 67],
  [62, 66],
  [63, 65],
];

/**
 * Antagonists in kit names: setting the key relaxes the listed shapes of the portrait's own expression
 * by the key's weight (relative mode).
 */
const ANTAGONISTS: Record<string, string[]> = {
  eyeBlink_L: ['eyeWide_L'],
  eyeBlink_R: ['eyeWide_R'],
  eyeWide_L: ['eyeBlink_L', 'eyeSquint_L'],
  eyeWide_R: ['eyeBlink_R', 'eyeSquint_R'],
  eyeLookUp_L: ['eyeLookDown_L'],
  eyeLookDown_L: ['eyeLookUp_L'],
  eyeLookUp_R: ['eyeLookDown_R'],
  eyeLookDown_R: ['eyeLookUp_R'],
  eyeLookIn_L: ['eyeLookOut_L'],
  eyeLookOut_L: ['eyeLookIn_L'],
  eyeLookIn_R: ['eyeLookOut_R'],
  eyeLookOut_R: ['eyeLookIn_R'],
  jawOpen: ['mouthClose', 'mouthPress_L', 'mouthPress_R', 'mouthRollLower', 'mouthRollUpper'],
  jawLeft: ['jawRight'],
  jawRight: ['jawLeft'],
  mouthLeft: ['mouthRight'],
  mouthRight: ['mouthLeft'],
  mouthSmile_L: ['mouthFrown_L'],
  mouthSmile_R: ['mouthFrown_R'],
  mouthFrown_L: ['mouthSmile_L'],
  mouthFrown_R: ['mouthSmile_R'],
  browDown_L: ['browInnerUp_L', 'browOuterUp_L'],
  browDown_R: ['browInnerUp_R', 'browOuterUp_R'],
  browInnerUp_L: ['browDown_L'],
  browInnerUp_R: ['browDown_R'],
  browOuterUp_L: ['browDown_L'],
  browOuterUp_R: ['browDown_R'],
};

/** Blend weights by ARKit name (and the kit's halves browInnerUpLeft/Right, cheekPuffLeft/Right), each in [0, 1]. */
export type ArkitWeights = Partial<Record<string, number>>;
export type BlendMode = 'relative' | 'absolute';

/** Gaussians added while a part the portrait never showed is exposed, bound to the model's triangles. */
interface SurfaceLayer {
  name: string;
  /** Model triangle per Gaussian. */
  tri: Uint32Array;
  /** Barycentrics [M*3]. */
  bary: Float32Array;
  /** Offset along the triangle's normal (world units). */
  offset: Float32Array;
  /** Stored SH DC [M*3]. */
  dc: Float32Array;
  /** In-plane standard deviation at the sampled pose (world units) and the triangle's scale there. */
  sigma: Float32Array;
  kSample: Float32Array;
  /** Thickness (standard deviation along the normal, world units). */
  thin: number;
}

export interface BoundHeadStats {
  gaussians: number;
  bound: number;
  /** Gaussians bound to the eyeballs / the mouth interior because they lie in the portrait's eye / mouth opening. */
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
  /** The model's vertices for this frame in the world [V*3] (for measuring and tests). */
  vertices: Float32Array;
}

function partTriangles(model: HeadModel, names: readonly string[]): Uint32Array {
  const out: number[] = [];
  for (const n of names) {
    const p = model.parts.find((q) => q.name === n);
    if (!p) continue;
    for (let t = p.triangleStart; t < p.triangleEnd; t++) out.push(t);
  }
  return Uint32Array.from(out);
}

function pointInPolygon(x: number, y: number, poly: [number, number][]): boolean {
  let inside = false;
  for (let i = 0, j = poly.length - 1; i < poly.length; j = i++) {
    const [xi, yi] = poly[i];
    const [xj, yj] = poly[j];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

const dcOf = (rgb255: readonly number[], out: Float32Array, o: number) => {
  for (let c = 0; c < 3; c++) out[o + c] = (rgb255[c] / 255 - 0.5) / SH_C0;
};

/**
 * The skin seen from the front (model space, orthographic along +z): per 1 mm cell, the frontmost
 * triangle facing forward and its depth.
 */
class FrontalSkin {
  private static readonly CELL = 0.1;
  private readonly x0: number;
  private readonly y0: number;
  private readonly nx: number;
  private readonly ny: number;
  private readonly z: Float32Array;
  private readonly tri: Int32Array;

  constructor(model: HeadModel, verts: Float32Array, tris: ArrayLike<number>) {
    const F = model.triangles;
    let x0 = Infinity;
    let x1 = -Infinity;
    let y0 = Infinity;
    let y1 = -Infinity;
    for (let j = 0; j < tris.length; j++) {
      for (let c = 0; c < 3; c++) {
        const v = F[tris[j] * 3 + c] * 3;
        x0 = Math.min(x0, verts[v]);
        x1 = Math.max(x1, verts[v]);
        y0 = Math.min(y0, verts[v + 1]);
        y1 = Math.max(y1, verts[v + 1]);
      }
    }
    const C = FrontalSkin.CELL;
    this.x0 = x0;
    this.y0 = y0;
    this.nx = Math.max(1, Math.ceil((x1 - x0) / C) + 1);
    this.ny = Math.max(1, Math.ceil((y1 - y0) / C) + 1);
    this.z = new Float32Array(this.nx * this.ny).fill(-Infinity);
    this.tri = new Int32Array(this.nx * this.ny).fill(-1);
    for (let j = 0; j < tris.length; j++) {
      const t = tris[j];
      const a = F[t * 3] * 3;
      const b = F[t * 3 + 1] * 3;
      const c = F[t * 3 + 2] * 3;
      const ax = verts[a];
      const ay = verts[a + 1];
      const bx = verts[b];
      const by = verts[b + 1];
      const cx = verts[c];
      const cy = verts[c + 1];
      const det = (bx - ax) * (cy - ay) - (cx - ax) * (by - ay);
      // Facing forward: counter-clockwise seen from +z (the kit's triangles wind outward).
      if (!(det > 1e-9)) continue;
      const gx0 = Math.max(0, Math.floor((Math.min(ax, bx, cx) - x0) / C));
      const gx1 = Math.min(this.nx - 1, Math.ceil((Math.max(ax, bx, cx) - x0) / C));
      const gy0 = Math.max(0, Math.floor((Math.min(ay, by, cy) - y0) / C));
      const gy1 = Math.min(this.ny - 1, Math.ceil((Math.max(ay, by, cy) - y0) / C));
      for (let gy = gy0; gy <= gy1; gy++) {
        const py = y0 + gy * C;
        for (let gx = gx0; gx <= gx1; gx++) {
          const px = x0 + gx * C;
          const w1 = ((px - ax) * (cy - ay) - (cx - ax) * (py - ay)) / det;
          const w2 = ((bx - ax) * (py - ay) - (px - ax) * (by - ay)) / det;
          if (w1 < 0 || w2 < 0 || w1 + w2 > 1) continue;
          const z = (1 - w1 - w2) * verts[a + 2] + w1 * verts[b + 2] + w2 * verts[c + 2];
          const o = gy * this.nx + gx;
          if (z > this.z[o]) {
            this.z[o] = z;
            this.tri[o] = t;
          }
        }
      }
    }
  }

  /** The forward-facing skin under model point (x, y) seen from the front, or null. */
  under(x: number, y: number): { triangle: number; z: number } | null {
    const C = FrontalSkin.CELL;
    const gx = Math.round((x - this.x0) / C);
    const gy = Math.round((y - this.y0) / C);
    if (gx < 0 || gy < 0 || gx >= this.nx || gy >= this.ny) return null;
    const o = gy * this.nx + gx;
    return this.tri[o] >= 0 ? { triangle: this.tri[o], z: this.z[o] } : null;
  }
}

/** y of a polyline (points sorted by x) at x, clamped to its ends. */
function polylineY(pts: readonly (readonly number[])[], x: number): number {
  if (x <= pts[0][0]) return pts[0][1];
  for (let i = 1; i < pts.length; i++) {
    if (x <= pts[i][0]) {
      const [x0, y0] = pts[i - 1];
      const [x1, y1] = pts[i];
      return x1 > x0 ? y0 + ((y1 - y0) * (x - x0)) / (x1 - x0) : y1;
    }
  }
  return pts[pts.length - 1][1];
}

export class BoundHead {
  readonly binding: SplatBinding;
  readonly stats: BoundHeadStats;
  /** Rest pose in the world (the fit's expression) [V*3]. */
  readonly restVertices: Float32Array;
  /** Rest pose in model space (cm) [V*3]. */
  private readonly restModel: Float32Array;
  /** Kit-name weights of the portrait's expression, in model order. */
  readonly fitBeta: Float32Array;
  private readonly base: Float32Array;
  private readonly scratch: Float32Array;
  private readonly arkitToKit = new Map<string, number[]>();
  private readonly antagonists: number[][];
  private readonly layers: SurfaceLayer[] = [];
  private readonly restGaps: { mouth: number[]; lidL: number[]; lidR: number[] };

  constructor(
    readonly model: HeadModel,
    readonly fit: Pick<HeadFit, 'identity' | 'expression'>,
    readonly toWorld: Pick<ModelToWorld, 'A' | 'b' | 'scale'>,
    readonly cloud: GaussianCloud,
  ) {
    const t0 = performance.now();
    const names = model.expressionNames;
    this.fitBeta = new Float32Array(names.length);
    for (const [k, w] of Object.entries(fit.expression)) {
      const i = names.indexOf(k);
      if (i >= 0) this.fitBeta[i] = w;
    }
    names.forEach((kit, i) => {
      const a = kitToArkitName(kit);
      this.arkitToKit.set(a, [...(this.arkitToKit.get(a) ?? []), i]);
    });
    for (const [whole, halves] of Object.entries(ARKIT_SPLIT_SHAPES)) {
      const ks = halves.map((h) => names.indexOf(h)).filter((k) => k >= 0);
      if (ks.length) this.arkitToKit.set(whole, ks);
    }
    this.antagonists = names.map((kit) =>
      names.flatMap((other, j) => ((ANTAGONISTS[other] ?? []).includes(kit) ? [j] : [])),
    );
    this.base = headModelVertices(model, Array.from(fit.identity).slice(0, model.identityCount), null);
    this.scratch = new Float32Array(this.base.length);
    const restModel = this.posedModel(this.fitBeta, new Float32Array(this.base.length));
    this.restModel = restModel;
    this.restVertices = transformModelPoints(toWorld, restModel);

    // Openings of the portrait (model space, rest pose): Gaussians seen through them bind behind them.
    const at = (i68: number): [number, number, number] => {
      const v = model.multiPie68[i68] * 3;
      return [restModel[v], restModel[v + 1], restModel[v + 2]];
    };
    const polygon = (ids: number[]) => ids.map((i) => at(i));
    const openings = [
      { poly: polygon(EYE_L_68), group: 0, back: 1.2, front: EYE_FRONT_CM },
      { poly: polygon(EYE_R_68), group: 1, back: 1.2, front: EYE_FRONT_CM },
      { poly: polygon(MOUTH_IN_68), group: 2, back: 2.0, front: 0.6 },
    ].map((o) => ({
      ...o,
      xy: o.poly.map((p) => [p[0], p[1]] as [number, number]),
      zMin: Math.min(...o.poly.map((p) => p[2])) - o.back,
      zMax: Math.max(...o.poly.map((p) => p[2])) + o.front,
    }));
    const { A, b, scale } = toWorld;
    const s2 = scale * scale;
    const toModel = (x: number, y: number, z: number): [number, number, number] => {
      const dx = x - b[0];
      const dy = y - b[1];
      const dz = z - b[2];
      // model = A^T (p - b) / s^2 (A is a rotation times s)
      return [
        (A[0] * dx + A[3] * dy + A[6] * dz) / s2,
        (A[1] * dx + A[4] * dy + A[7] * dz) / s2,
        (A[2] * dx + A[5] * dy + A[8] * dz) / s2,
      ];
    };
    const eyeOpening: number[][] = [[], []];
    const mouthOpening: number[] = [];
    const route = (i: number, x: number, y: number, z: number): number => {
      const [mx, my, mz] = toModel(x, y, z);
      for (const o of openings) {
        if (mz < o.zMin || mz > o.zMax) continue;
        if (pointInPolygon(mx, my, o.xy)) {
          if (o.group < 2) eyeOpening[o.group].push(i);
          else mouthOpening.push(i);
          return o.group;
        }
      }
      return -1;
    };
    // The lower face seen from the front: what lies in front of the skin there (a fringe of the
    // optimisation, a beard, a lip drawn a little proud of the fitted one) goes with the skin it covers.
    const front = new FrontalSkin(model, restModel, partTriangles(model, ['narrowFace']));
    const noseY = at(33)[1];
    const fallback = (_i: number, x: number, y: number, z: number): number => {
      const [mx, my, mz] = toModel(x, y, z);
      if (my > noseY) return -1;
      const hit = front.under(mx, my);
      if (!hit || mz < hit.z - BIND_NEAR_CM || mz > hit.z + BIND_FRONT_CM) return -1;
      return hit.triangle;
    };
    const mesh = { vertices: this.restVertices, triangles: model.triangles };
    this.binding = bindGaussians(cloud, mesh, {
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
    });
    // What a blink covers: Gaussians in front of each eyeball between the rest lid margins, with
    // their place across the opening (v: 0 at the upper margin, 1 at the lower one).
    const restLids = { L: this.lidMargins('L', restModel), R: this.lidMargins('R', restModel) };
    this.eyeCover = { L: [], R: [] };
    for (const side of ['L', 'R'] as const) {
      const lids = restLids[side];
      const zFront = Math.max(...lids.upper.map((p) => p[2])) + EYE_FRONT_CM;
      const zBack = Math.min(...lids.upper.map((p) => p[2])) - 1.2;
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
        this.eyeCover[side].push({ i, x: mx, v });
      }
    }
    const openingCounts = [eyeOpening[0].length, eyeOpening[1].length, mouthOpening.length];

    const gap = (pairs: [number, number][], verts: Float32Array) =>
      pairs.map(([u, l]) => {
        const a = model.multiPie68[u] * 3;
        const c = model.multiPie68[l] * 3;
        return Math.hypot(verts[a] - verts[c], verts[a + 1] - verts[c + 1], verts[a + 2] - verts[c + 2]);
      });
    this.restGaps = {
      mouth: gap(MOUTH_PAIRS, restModel),
      lidL: gap(EYE_L_PAIRS, restModel),
      lidR: gap(EYE_R_PAIRS, restModel),
    };
    this.gapOf = gap;

    this.layers.push(this.interiorLayer(restModel));
    for (const side of ['L', 'R'] as const) {
      const layer = this.lidLayer(side);
      if (layer) this.layers.push(layer);
    }

    const d: number[] = [];
    let bound = 0;
    for (let i = 0; i < cloud.count; i++) {
      if (this.binding.triangle[i] < 0) continue;
      bound++;
      if (i % 7 === 0) d.push(this.binding.distance[i] / scale);
    }
    d.sort((x, y) => x - y);
    const count = (name: string) => this.layers.find((l) => l.name === name)?.tri.length ?? 0;
    this.stats = {
      gaussians: cloud.count,
      bound,
      eyeOpening: openingCounts[0] + openingCounts[1],
      mouthOpening: openingCounts[2],
      medianDistanceCm: d.length ? d[d.length >> 1] : NaN,
      interior: count('mouth'),
      lidLeft: count('lidL'),
      lidRight: count('lidR'),
      bindMs: performance.now() - t0,
    };
  }

  /** Gaussians a closing lid covers, per eye: index, model x, place across the rest opening v. */
  private readonly eyeCover: {
    L: { i: number; x: number; v: number }[];
    R: { i: number; x: number; v: number }[];
  };
  private readonly gapOf: (pairs: [number, number][], verts: Float32Array) => number[];

  /** Model-space vertices for kit weights `beta`: (neutral + identity) + sum beta_k expression_k, in model order. */
  private posedModel(beta: ArrayLike<number>, out: Float32Array): Float32Array {
    out.set(this.base);
    const n = this.base.length;
    const E = this.model.expressions;
    for (let k = 0; k < beta.length; k++) {
      const w = beta[k];
      if (w === 0) continue;
      const o = k * n;
      for (let i = 0; i < n; i++) out[i] += w * E[o + i];
    }
    return out;
  }

  /** Kit weights for a blend (see the file comment for the two modes); throws naming unknown shapes or bad weights. */
  kitWeights(weights: ArkitWeights, mode: BlendMode = 'relative'): Float32Array {
    const input = new Float64Array(this.fitBeta.length);
    const unknown: string[] = [];
    for (const [name, w] of Object.entries(weights)) {
      if (w === undefined) continue;
      if (!Number.isFinite(w) || w < 0 || w > 1)
        throw new RangeError(`${name} weight must be in [0, 1], got ${w}`);
      const ks = this.arkitToKit.get(name);
      if (!ks) {
        // tongueOut is ARKit's, but the kit has no tongue shape: it is read and ignored.
        if (!(ARKIT_BLENDSHAPES as readonly string[]).includes(name)) unknown.push(name);
        continue;
      }
      for (const k of ks) input[k] = Math.max(input[k], w);
    }
    if (unknown.length)
      throw new RangeError(
        `unknown expression shape${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')} (ARKit blend-shape names)`,
      );
    const beta = new Float32Array(this.fitBeta.length);
    for (let k = 0; k < beta.length; k++) {
      if (mode === 'absolute') {
        beta[k] = input[k];
        continue;
      }
      let relax = 0;
      for (const j of this.antagonists[k]) relax = Math.max(relax, input[j]);
      const fitW = this.fitBeta[k];
      // Nothing asked of this shape: the portrait's own weight, exactly.
      beta[k] =
        relax === 0 && input[k] === 0 ? fitW : Math.min(1, Math.max(0, fitW * (1 - relax) + input[k]));
    }
    return beta;
  }

  /** The model's world vertices [V*3] for a blend. */
  vertices(weights: ArkitWeights, mode: BlendMode = 'relative', out?: Float32Array): Float32Array {
    const beta = this.kitWeights(weights, mode);
    return transformModelPoints(this.toWorld, this.posedModel(beta, this.scratch), out);
  }

  /** The head posed by a blend: the bound Gaussians carried by their triangles, plus the exposed layers. */
  frame(weights: ArkitWeights, mode: BlendMode = 'relative'): BoundFrame {
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
    const exposed = (pairs: [number, number][], rest: number[], sign: 1 | -1) =>
      this.gapOf(pairs, posedModel).some((g, i) => sign * (g - rest[i]) > LAYER_ON_CM);
    const on = new Set<string>();
    if (exposed(MOUTH_PAIRS, this.restGaps.mouth, 1)) on.add('mouth');
    if (exposed(EYE_L_PAIRS, this.restGaps.lidL, -1)) on.add('lidL');
    if (exposed(EYE_R_PAIRS, this.restGaps.lidR, -1)) on.add('lidR');
    const layers = this.layers.filter((l) => on.has(l.name));
    if (!layers.length) return { cloud: deformed, layers: [], vertices };
    const clipped = this.clipEyeOpenings(deformed, posedModel, on);
    return {
      cloud: this.appendLayers(clipped, layers, vertices),
      layers: layers.map((l) => l.name),
      vertices,
    };
  }

  /** Upper and lower lid margins of one eye (model space, sorted by x), from the 68-point eye contour. */
  private lidMargins(side: 'L' | 'R', verts: Float32Array): { upper: number[][]; lower: number[][] } {
    const ids = side === 'L' ? EYE_L_68 : EYE_R_68;
    const pt = (k: number) => {
      const v = this.model.multiPie68[ids[k]] * 3;
      return [verts[v], verts[v + 1], verts[v + 2]];
    };
    // Corners are 0 and 3 of the six; the upper lid 1, 2; the lower lid 5, 4.
    const upper = [0, 1, 2, 3].map(pt).sort((a, b) => a[0] - b[0]);
    const lower = [0, 5, 4, 3].map(pt).sort((a, b) => a[0] - b[0]);
    return { upper, lower };
  }

  /**
   * A closing lid covers what the portrait showed through the eye opening: a Gaussian at place v
   * across the rest opening (0 upper margin, 1 lower) fades out once the upper margin has come down
   * past it (closure c(x) = how far the margin moved, as a fraction of the rest opening), with a soft
   * edge of LID_EDGE. So an iris the optimisation left a little proud of the eyeball, or one bound to
   * the lid, does not show through or smear over the closed lid.
   */
  private clipEyeOpenings(cloud: GaussianCloud, posedModel: Float32Array, on: Set<string>): GaussianCloud {
    const sides = (['L', 'R'] as const).filter((s) => on.has(`lid${s}`) && this.eyeCover[s].length);
    if (!sides.length) return cloud;
    const opacities = cloud.opacities.slice();
    for (const side of sides) {
      const rest = this.lidMargins(side, this.restModel);
      const now = this.lidMargins(side, posedModel);
      const toXY = (p: number[][]) => p.map((q) => [q[0], q[1]] as [number, number]);
      const [ru, rl, nu] = [toXY(rest.upper), toXY(rest.lower), toXY(now.upper)];
      for (const { i, x, v } of this.eyeCover[side]) {
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

  private appendLayers(cloud: GaussianCloud, layers: SurfaceLayer[], vertices: Float32Array): GaussianCloud {
    const extra = layers.reduce((a, l) => a + l.tri.length, 0);
    const n = cloud.count;
    const out = allocateCloud(n + extra, cloud.shDegree);
    out.positions.set(cloud.positions);
    out.scales.set(cloud.scales);
    out.rotations.set(cloud.rotations);
    out.opacities.set(cloud.opacities);
    out.shDC.set(cloud.shDC);
    out.shRest.set(cloud.shRest);
    if (out.shRest.length !== (n + extra) * shCoeffsRest(cloud.shDegree) * 3)
      throw new Error('SH layout mismatch');
    const mesh = { vertices, triangles: this.model.triangles };
    const F = this.model.triangles;
    const frame: TriangleFrame = { origin: [0, 0, 0], R: new Float64Array(9), k: 0 };
    const q = new Float64Array(4);
    let i = n;
    for (const l of layers) {
      let lastT = -1;
      let ok = false;
      for (let m = 0; m < l.tri.length; m++, i++) {
        const t = l.tri[m];
        if (t !== lastT) {
          ok = triangleFrame(mesh, t, frame) !== null;
          if (ok) quatFromMatrix(frame.R, q);
          lastT = t;
        }
        const a = F[t * 3] * 3;
        const b = F[t * 3 + 1] * 3;
        const c = F[t * 3 + 2] * 3;
        const b0 = l.bary[m * 3];
        const b1 = l.bary[m * 3 + 1];
        const b2 = l.bary[m * 3 + 2];
        const off = l.offset[m];
        for (let k = 0; k < 3; k++)
          out.positions[i * 3 + k] =
            b0 * vertices[a + k] +
            b1 * vertices[b + k] +
            b2 * vertices[c + k] +
            (ok ? off * frame.R[k * 3 + 2] : 0);
        if (!ok) {
          out.opacities[i] = -20; // a collapsed triangle shows nothing
          continue;
        }
        out.rotations.set(q, i * 4);
        const sigma = l.sigma[m] * (frame.k / l.kSample[m]);
        out.scales[i * 3] = Math.log(sigma);
        out.scales[i * 3 + 1] = Math.log(sigma);
        out.scales[i * 3 + 2] = Math.log(l.thin);
        out.opacities[i] = 4.6; // sigmoid(4.6) ~ 0.99
        out.shDC.set(l.dc.subarray(m * 3, m * 3 + 3), i * 3);
      }
    }
    return out;
  }

  /**
   * Points spread evenly over triangles at a pose: each triangle split into m^2 similar pieces
   * (m = round(sqrt(2 area) / spacing), at least 1), one point at each piece's centroid, with a
   * standard deviation that lets neighbouring pieces overlap.
   */
  private sampleTriangles(
    tris: ArrayLike<number>,
    poseWorld: Float32Array,
    spacing: number,
  ): { tri: number[]; bary: number[]; k: number[]; sigma: number[] } {
    const F = this.model.triangles;
    const mesh = { vertices: poseWorld, triangles: F };
    const out = { tri: [] as number[], bary: [] as number[], k: [] as number[], sigma: [] as number[] };
    for (let j = 0; j < tris.length; j++) {
      const t = tris[j];
      const f = triangleFrame(mesh, t);
      if (!f) continue;
      const a = F[t * 3] * 3;
      const b = F[t * 3 + 1] * 3;
      const c = F[t * 3 + 2] * 3;
      const ux = poseWorld[b] - poseWorld[a];
      const uy = poseWorld[b + 1] - poseWorld[a + 1];
      const uz = poseWorld[b + 2] - poseWorld[a + 2];
      const vx = poseWorld[c] - poseWorld[a];
      const vy = poseWorld[c + 1] - poseWorld[a + 1];
      const vz = poseWorld[c + 2] - poseWorld[a + 2];
      const area = Math.hypot(uy * vz - uz * vy, uz * vx - ux * vz, ux * vy - uy * vx) / 2;
      const m = Math.max(1, Math.round(Math.sqrt(2 * area) / spacing));
      const sigma = 0.7 * Math.sqrt(area / (m * m));
      for (let u = 0; u < m; u++) {
        for (let v = 0; v < m - u; v++) {
          // Upright piece (u, v) and, where it exists, the inverted one beside it.
          const pieces: [number, number][] = [[(u + 1 / 3) / m, (v + 1 / 3) / m]];
          if (v < m - u - 1) pieces.push([(u + 2 / 3) / m, (v + 2 / 3) / m]);
          for (const [b1, b2] of pieces) {
            out.tri.push(t);
            out.bary.push(1 - b1 - b2, b1, b2);
            out.k.push(f.k);
            out.sigma.push(sigma);
          }
        }
      }
    }
    return out;
  }

  private interiorLayer(restModel: Float32Array): SurfaceLayer {
    const model = this.model;
    const scale = this.toWorld.scale;
    // Sampled where the interior is most exposed: the jaw wide open.
    const openWorld = this.vertices({ jawOpen: 1 });
    // Depth behind the lips' front (model z, rest pose).
    let lipFront = -Infinity;
    for (const i of MOUTH_IN_68) lipFront = Math.max(lipFront, restModel[model.multiPie68[i] * 3 + 2]);
    const tri: number[] = [];
    const bary: number[] = [];
    const k: number[] = [];
    const sigma: number[] = [];
    const dc: number[] = [];
    const F = model.triangles;
    for (const part of INTERIOR_PARTS) {
      // What an open mouth can show from the front: the part within INTERIOR_DEPTH_CM of the lips.
      const visible = Array.from(partTriangles(model, [part])).filter((t) => {
        let z = 0;
        for (let c = 0; c < 3; c++) z += restModel[F[t * 3 + c] * 3 + 2] / 3;
        return lipFront - z <= INTERIOR_DEPTH_CM;
      });
      const s = this.sampleTriangles(visible, openWorld, INTERIOR_SPACING_CM * scale);
      for (let m = 0; m < s.tri.length; m++) {
        const t = s.tri[m];
        let z = 0;
        for (let c = 0; c < 3; c++) z += s.bary[m * 3 + c] * restModel[F[t * 3 + c] * 3 + 2];
        const depth = Math.max(0, lipFront - z);
        const shade = Math.min(1, Math.max(INTERIOR_SHADE_FLOOR, 1 - INTERIOR_SHADE_PER_CM * depth));
        const rgb = INTERIOR_RGB[part].map((x) => x * shade);
        const d = new Float32Array(3);
        dcOf(rgb, d, 0);
        dc.push(d[0], d[1], d[2]);
      }
      for (let m = 0; m < s.tri.length; m++) {
        tri.push(s.tri[m]);
        bary.push(s.bary[m * 3], s.bary[m * 3 + 1], s.bary[m * 3 + 2]);
        k.push(s.k[m]);
        sigma.push(s.sigma[m]);
      }
    }
    return {
      name: 'mouth',
      tri: Uint32Array.from(tri),
      bary: Float32Array.from(bary),
      offset: new Float32Array(tri.length),
      dc: Float32Array.from(dc),
      sigma: Float32Array.from(sigma),
      kSample: Float32Array.from(k),
      thin: 0.02 * scale,
    };
  }

  /** The lid skin of one eye ('L' = the subject's left, +x), sampled closed. */
  private lidLayer(side: 'L' | 'R'): SurfaceLayer | null {
    const model = this.model;
    const kBlink = model.expressionNames.indexOf(`eyeBlink_${side}`);
    const face = model.parts.find((p) => p.name === 'face');
    if (kBlink < 0 || !face) return null;
    const V3 = model.vertexCount * 3;
    const moves = (v: number) => {
      const o = kBlink * V3 + v * 3;
      return (
        Math.hypot(model.expressions[o], model.expressions[o + 1], model.expressions[o + 2]) > LID_MOVE_CM
      );
    };
    const F = model.triangles;
    const tris: number[] = [];
    for (let t = face.triangleStart; t < face.triangleEnd; t++)
      if (moves(F[t * 3]) || moves(F[t * 3 + 1]) || moves(F[t * 3 + 2])) tris.push(t);
    if (!tris.length) return null;
    const scale = this.toWorld.scale;
    const closed = this.vertices({ [`eyeBlink${side === 'L' ? 'Left' : 'Right'}`]: 1 });
    const s = this.sampleTriangles(tris, closed, LID_SPACING_CM * scale);
    const rgb = this.lidSkin(new Set(tris));
    const dc = new Float32Array(s.tri.length * 3);
    for (let m = 0; m < s.tri.length; m++) dcOf(rgb, dc, m * 3);
    return {
      name: `lid${side}`,
      tri: Uint32Array.from(s.tri),
      bary: Float32Array.from(s.bary),
      offset: new Float32Array(s.tri.length).fill(-LID_DEPTH_CM * scale),
      dc,
      sigma: Float32Array.from(s.sigma),
      kSample: Float32Array.from(s.k),
      thin: 0.02 * scale,
    };
  }

  /**
   * The lid skin's colour (sRGB 0..255): the Gaussians bound to the lid triangles, without the dark
   * ones (lashes, liner, brows): the median of the brighter half by luminance.
   */
  private lidSkin(lid: Set<number>): [number, number, number] {
    const cols: [number, number, number, number][] = [];
    const { triangle } = this.binding;
    const dc = this.cloud.shDC;
    const collect = (accept: (t: number) => boolean) => {
      for (let i = 0; i < this.cloud.count; i++) {
        const t = triangle[i];
        if (t < 0 || !accept(t)) continue;
        const c = [0, 1, 2].map((a) => Math.min(1, Math.max(0, 0.5 + SH_C0 * dc[i * 3 + a])) * 255);
        cols.push([c[0], c[1], c[2], 0.299 * c[0] + 0.587 * c[1] + 0.114 * c[2]]);
      }
    };
    collect((t) => lid.has(t));
    if (cols.length < 20) {
      const face = this.model.parts.find((p) => p.name === 'face')!;
      collect((t) => t >= face.triangleStart && t < face.triangleEnd);
    }
    if (!cols.length) return [200, 160, 140];
    cols.sort((a, b) => a[3] - b[3]);
    const bright = cols.slice(cols.length >> 1);
    const med = (c: number) => {
      const v = bright.map((x) => x[c]).sort((a, b) => a - b);
      return v[v.length >> 1];
    };
    return [med(0), med(1), med(2)];
  }
}

/** Everything needed to bind a run's head: its fit, the placement of the model in its world, and the model. */
export async function loadBoundHead(
  runDir: string,
  cloud: GaussianCloud,
  model?: HeadModel,
): Promise<BoundHead> {
  let fitText: string;
  try {
    fitText = await fs.readFile(path.join(runDir, 'head-fit.json'), 'utf8');
  } catch {
    throw new StudioError(
      'NOT_FOUND',
      `${runDir} has no head-fit.json: the run was made without a head model (install one: headforge models import-head), so its splats cannot be bound to a face`,
    );
  }
  const fit = JSON.parse(fitText) as HeadFit;
  const record = JSON.parse(await fs.readFile(path.join(runDir, 'record.json'), 'utf8')) as {
    resolved?: { inputCamera?: InputCameraRecord };
  };
  const inputCamera = record.resolved?.inputCamera;
  if (!inputCamera)
    throw new StudioError(
      'NOT_FOUND',
      `${runDir}: record.json has no resolved.inputCamera (runs made before it was recorded): generate the run again`,
    );
  let m = model;
  if (!m) {
    const r = await runHeadModel();
    if (!r.model)
      throw new StudioError('BACKEND_UNAVAILABLE', `no head model to bind the splats to: ${r.reason}`);
    m = r.model;
  }
  if (fit.model.sha256 !== m.info.sha256)
    throw new StudioError(
      'BAD_REQUEST',
      `the run was fitted with head model ${fit.model.name} ${fit.model.sha256.slice(0, 12)}, the installed one is ${m.info.name} ${m.info.sha256.slice(0, 12)}`,
    );
  return new BoundHead(m, fit, fittedModelToWorld(fit, inputCamera), cloud);
}

/**
 * The studio's expression presets (src/shared/animation EXPRESSION_NAMES) as ARKit blends for a bound
 * head: what each preset sets at full strength.
 */
export const PRESET_BLENDS: Record<'blink' | 'smile' | 'jawOpen' | 'browRaise', ArkitWeights> = {
  blink: { eyeBlinkLeft: 1, eyeBlinkRight: 1 },
  smile: { mouthSmileLeft: 1, mouthSmileRight: 1, cheekSquintLeft: 0.4, cheekSquintRight: 0.4 },
  jawOpen: { jawOpen: 1 },
  browRaise: { browInnerUp: 1, browOuterUpLeft: 1, browOuterUpRight: 1 },
};

/** A preset blend scaled by `w` (0..1). */
export function scaledBlend(blend: ArkitWeights, w: number): ArkitWeights {
  const out: ArkitWeights = {};
  for (const [k, v] of Object.entries(blend)) if (v !== undefined) out[k] = Math.min(1, Math.max(0, v * w));
  return out;
}
