/**
 * What the photo never showed, added from the head model as Gaussians bound to its triangles (issue
 * 16), shown only while it is exposed:
 *   - the mouth interior (teeth, gums and tongue, the mouth socket), when the lips part further than
 *     in the portrait: ivory teeth, pink gums, a dark red socket, darker the deeper they sit;
 *   - the eyelid skin, when a lid closes further than in the portrait: the skin that a blink stretches
 *     over the eye, in the colour of the lid skin the views show.
 */
import type { SplatBinding } from '../../shared/animation/mesh-binding';
import { quatFromMatrix, triangleFrame, type TriangleFrame } from '../../shared/animation/triangle-frame';
import { appendGaussians } from '../../shared/gaussians/append';
import { SH_C0, type GaussianCloud } from '../../shared/gaussians/cloud';
import type { HeadModel } from '../head-model/types';
import { MOUTH_IN_68, partTriangles } from './face-contours';
import type { ArkitWeights } from './kit-weights';

/** Parts of the mouth interior: what an open mouth shows. */
export const INTERIOR_PARTS = ['teeth', 'gumsTongue', 'mouthSocket'] as const;
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

/** What the layers are made from: the bound head they are added to. */
export interface LayerSource {
  model: HeadModel;
  /** World units per model cm. */
  scale: number;
  /** The model's world vertices [V*3] for a blend (relative to the portrait's expression). */
  vertices(weights: ArkitWeights): Float32Array;
  binding: SplatBinding;
  cloud: GaussianCloud;
}

const dcOf = (rgb255: readonly number[], out: Float32Array, o: number) => {
  for (let c = 0; c < 3; c++) out[o + c] = (rgb255[c] / 255 - 0.5) / SH_C0;
};

/** Gaussians added while a part the portrait never showed is exposed, bound to the model's triangles. */
export interface SurfaceLayer {
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

export function appendLayers(
  model: HeadModel,
  cloud: GaussianCloud,
  layers: SurfaceLayer[],
  vertices: Float32Array,
): GaussianCloud {
  const extra = layers.reduce((a, l) => a + l.tri.length, 0);
  const n = cloud.count;
  const out = appendGaussians(cloud, extra);
  const mesh = { vertices, triangles: model.triangles };
  const F = model.triangles;
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
function sampleTriangles(
  model: HeadModel,
  tris: ArrayLike<number>,
  poseWorld: Float32Array,
  spacing: number,
): { tri: number[]; bary: number[]; k: number[]; sigma: number[] } {
  const F = model.triangles;
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

export function interiorLayer(src: LayerSource, restModel: Float32Array): SurfaceLayer {
  const model = src.model;
  const scale = src.scale;
  // Sampled where the interior is most exposed: the jaw wide open.
  const openWorld = src.vertices({ jawOpen: 1 });
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
    const s = sampleTriangles(model, visible, openWorld, INTERIOR_SPACING_CM * scale);
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
export function lidLayer(src: LayerSource, side: 'L' | 'R'): SurfaceLayer | null {
  const model = src.model;
  const kBlink = model.expressionNames.indexOf(`eyeBlink_${side}`);
  const face = model.parts.find((p) => p.name === 'face');
  if (kBlink < 0 || !face) return null;
  const V3 = model.vertexCount * 3;
  const moves = (v: number) => {
    const o = kBlink * V3 + v * 3;
    return Math.hypot(model.expressions[o], model.expressions[o + 1], model.expressions[o + 2]) > LID_MOVE_CM;
  };
  const F = model.triangles;
  const tris: number[] = [];
  for (let t = face.triangleStart; t < face.triangleEnd; t++)
    if (moves(F[t * 3]) || moves(F[t * 3 + 1]) || moves(F[t * 3 + 2])) tris.push(t);
  if (!tris.length) return null;
  const scale = src.scale;
  const closed = src.vertices({ [`eyeBlink${side === 'L' ? 'Left' : 'Right'}`]: 1 });
  const s = sampleTriangles(model, tris, closed, LID_SPACING_CM * scale);
  const rgb = lidSkin(src, new Set(tris));
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
function lidSkin(src: LayerSource, lid: Set<number>): [number, number, number] {
  const cols: [number, number, number, number][] = [];
  const { triangle } = src.binding;
  const dc = src.cloud.shDC;
  const collect = (accept: (t: number) => boolean) => {
    for (let i = 0; i < src.cloud.count; i++) {
      const t = triangle[i];
      if (t < 0 || !accept(t)) continue;
      const c = [0, 1, 2].map((a) => Math.min(1, Math.max(0, 0.5 + SH_C0 * dc[i * 3 + a])) * 255);
      cols.push([c[0], c[1], c[2], 0.299 * c[0] + 0.587 * c[1] + 0.114 * c[2]]);
    }
  };
  collect((t) => lid.has(t));
  if (cols.length < 20) {
    const face = src.model.parts.find((p) => p.name === 'face')!;
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
