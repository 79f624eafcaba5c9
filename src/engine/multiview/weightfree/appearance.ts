/**
 * Colour for every texel of the proxy's atlas (proxy.ts), in order of trust:
 *   1. the portrait itself where the texel's surface point is visible in the input view and faces it
 *      (weight fades with the facing angle, so grazing texels never get stretched pixels);
 *   2. its left-right mirror (phi -> -phi, psi -> -psi) where that is visible: hidden cheeks, ears;
 *   3. a fill for what the portrait does not show: head-appearance.ts (hair from patches of the
 *      portrait's hair, headwear continued round the head, skin) and torso-appearance.ts (clothing
 *      carried round the back from the torso's sides, skin on the neck).
 * This file samples the surface, observes it in the portrait and blends observation and fill; it also
 * gives the renderer its per-vertex projective-texture weights.
 */
import type { PreprocessResult } from '../../../shared/contracts/preprocess';
import { REGION } from '../../../shared/contracts/preprocess';
import { createRgba, type RgbaImage } from '../../../shared/image';
import { rasterizeTriangles } from '../../../shared/mesh/rasterize';
import { sampleBilinear } from '../../../shared/mesh/texture';
import { direction, radiusAt } from './head-model';
import { gToWorld } from './image-frame';
import { cheekSkin, fitHairModel, isConfidentHair } from './hair-model';
import { fillHead } from './head-appearance';
import { detectHeadwear } from './headwear';
import { CROP, fromHead, LM } from './landmarks';
import {
  ATLAS_HEIGHT,
  ATLAS_WIDTH,
  HEAD_ROWS,
  TORSO_ROWS,
  headPointG,
  torsoAxisG,
  torsoPointG,
  type HeadProxy,
} from './proxy';
import { isSkinLike, TORSO_SKIN_TOLERANCE } from './skin-colour';
import { fillTorso, neckSkinColour } from './torso-appearance';
import type { Hairline } from './hair-line';
import { smoothstep } from '../../../shared/smoothstep';

export interface AppearanceOptions {
  seed: number;
  /** Geometry of the portrait's hair: true when hair covers a useful part of the head mask. */
  hairPresent: boolean;
  /** Head-frame y (pixels) below which the back of the head is not assumed to be hair. */
  napeY: number;
  /** Where the hair ends round the head (hair-line.ts). */
  hairline?: Hairline;
  /** Head-frame y (pixels) of the lowest hair the portrait shows: no hair is grown below it (short hair leaves the nape bare). */
  hairBottomY?: number;
  /** Job log (what was detected: headwear). */
  log?: (m: string) => void;
}

/** Half-width of the finite-difference stencil for texel normals. */
const NS = 3;

/** Per-texel surface samples: G position [N*3], G normal [N*3] (outward), N = ATLAS_WIDTH * rows. */
function surfaceSamples(
  proxy: HeadProxy,
  rowStart: number,
  rows: number,
): { pos: Float32Array; nrm: Float32Array; dirY: Float32Array } {
  const n = ATLAS_WIDTH * rows;
  const pos = new Float32Array(n * 3);
  const dirY = new Float32Array(n);
  const isHead = rowStart === 0;
  const { shape, torso } = proxy;
  const nSec = torso ? torso.centreX.length : 0;
  for (let y = 0; y < rows; y++) {
    for (let x = 0; x < ATLAS_WIDTH; x++) {
      const a = -Math.PI + (2 * Math.PI * (x + 0.5)) / ATLAS_WIDTH;
      let g: [number, number, number];
      if (isHead) {
        const theta = (Math.PI * (y + 0.5)) / HEAD_ROWS;
        const r = radiusAt(shape, theta, a);
        g = headPointG(shape, theta, a, r);
        dirY[y * ATLAS_WIDTH + x] = direction(theta, a)[1] * r;
      } else if (torso) {
        g = torsoPointG(torso, ((y + 0.5) / rows) * (nSec - 1), a);
      } else {
        g = [0, 0, -1e6];
      }
      pos.set(g, (y * ATLAS_WIDTH + x) * 3);
    }
  }
  const raw = new Float32Array(n * 3);
  const centre = isHead ? fromHead(shape.frame, [0, 0, 0]) : null;
  for (let y = 0; y < rows; y++) {
    for (let x = 0; x < ATLAS_WIDTH; x++) {
      const i = y * ATLAS_WIDTH + x;
      // A wide stencil (+-NS texels) so the landmark mesh's facets do not imprint on the weights.
      const xl = y * ATLAS_WIDTH + ((x + ATLAS_WIDTH - NS) % ATLAS_WIDTH);
      const xr = y * ATLAS_WIDTH + ((x + NS) % ATLAS_WIDTH);
      const yu = Math.max(0, y - NS) * ATLAS_WIDTH + x;
      const yd = Math.min(rows - 1, y + NS) * ATLAS_WIDTH + x;
      const du0 = pos[xr * 3] - pos[xl * 3],
        du1 = pos[xr * 3 + 1] - pos[xl * 3 + 1],
        du2 = pos[xr * 3 + 2] - pos[xl * 3 + 2];
      const dv0 = pos[yd * 3] - pos[yu * 3],
        dv1 = pos[yd * 3 + 1] - pos[yu * 3 + 1],
        dv2 = pos[yd * 3 + 2] - pos[yu * 3 + 2];
      let nx = du1 * dv2 - du2 * dv1;
      let ny = du2 * dv0 - du0 * dv2;
      let nz = du0 * dv1 - du1 * dv0;
      let len = Math.hypot(nx, ny, nz);
      // Outward: away from the head centre, or from the torso section's axis.
      let ox: number, oy: number, oz: number;
      if (centre) {
        ox = pos[i * 3] - centre[0];
        oy = pos[i * 3 + 1] - centre[1];
        oz = pos[i * 3 + 2] - centre[2];
      } else if (torso) {
        const axis = torsoAxisG(torso, ((y + 0.5) / rows) * (nSec - 1));
        ox = pos[i * 3] - axis[0];
        oy = 0;
        oz = pos[i * 3 + 2] - axis[2];
      } else {
        ox = oy = oz = 0;
      }
      if (len < 1e-9) {
        nx = ox;
        ny = oy;
        nz = oz;
        len = Math.hypot(nx, ny, nz) || 1;
      }
      const sgn = nx * ox + ny * oy + nz * oz < 0 ? -1 : 1;
      raw[i * 3] = (sgn * nx) / len;
      raw[i * 3 + 1] = (sgn * ny) / len;
      raw[i * 3 + 2] = (sgn * nz) / len;
    }
  }
  // Smooth the normals (two box passes each way) so the landmark mesh's facets do not imprint a
  // lattice on the facing weights; the geometry itself keeps its detail.
  const nrm = blurVectors(blurVectors(raw, rows, NB), rows, NB);
  return { pos, nrm, dirY };
}

/** Half-width of the normal smoothing box (texels). */
const NB = 4;

/** Separable box blur of a [rows x ATLAS_WIDTH x 3] field, x wrapping, then renormalised. */
function blurVectors(src: Float32Array, rows: number, half: number): Float32Array {
  const W = ATLAS_WIDTH;
  const tmp = new Float32Array(src.length);
  for (let y = 0; y < rows; y++) {
    for (let c = 0; c < 3; c++) {
      let acc = 0;
      for (let k = -half; k <= half; k++) acc += src[(y * W + ((k + W) % W)) * 3 + c];
      for (let x = 0; x < W; x++) {
        tmp[(y * W + x) * 3 + c] = acc;
        acc += src[(y * W + ((x + half + 1) % W)) * 3 + c] - src[(y * W + ((x - half + W) % W)) * 3 + c];
      }
    }
  }
  const out = new Float32Array(src.length);
  for (let x = 0; x < W; x++) {
    for (let y = 0; y < rows; y++) {
      let sx = 0,
        sy = 0,
        sz = 0;
      for (let k = Math.max(0, y - half); k <= Math.min(rows - 1, y + half); k++) {
        const q = (k * W + x) * 3;
        sx += tmp[q];
        sy += tmp[q + 1];
        sz += tmp[q + 2];
      }
      const len = Math.hypot(sx, sy, sz) || 1;
      const o = (y * W + x) * 3;
      out[o] = sx / len;
      out[o + 1] = sy / len;
      out[o + 2] = sz / len;
    }
  }
  return out;
}

interface Observation {
  /** Straight RGB 0..255 [N*3] and weight 0..1 [N] of the direct projection; region label [N]. */
  colour: Float32Array;
  weight: Float32Array;
  label: Uint8Array;
}

function observe(
  pre: PreprocessResult,
  proxy: HeadProxy,
  pos: Float32Array,
  nrm: Float32Array,
  depth: Float32Array,
): Observation {
  const n = pos.length / 3;
  const colour = new Float32Array(n * 3);
  const weight = new Float32Array(n);
  const label = new Uint8Array(n);
  const frame = proxy.imageFrame;
  const m = frame.camera.worldToCamera;
  const tol = 0.04 * proxy.breadthWorld;
  const w = new Float64Array(3);
  const s = new Float32Array(4);
  const matte = pre.matte512.data;
  for (let i = 0; i < n; i++) {
    const facing = nrm[i * 3 + 2];
    if (facing <= 0.2) continue;
    const X = pos[i * 3];
    const Y = pos[i * 3 + 1];
    const u = X + CROP / 2;
    const v = CROP / 2 - Y;
    if (u < 0 || v < 0 || u >= CROP || v >= CROP) continue;
    gToWorld(frame, X, Y, pos[i * 3 + 2], w, 0);
    const zc = m[8] * w[0] + m[9] * w[1] + m[10] * w[2] + m[11];
    const pu = Math.floor(u);
    const pv = Math.floor(v);
    const p = pv * CROP + pu;
    // Occluded in the portrait? Compare with the farthest depth of the 3x3 pixels around: at grazing
    // angles one pixel spans a wide depth range and a single-pixel test flickers texel by texel.
    let zMax = depth[p];
    for (let dv = -1; dv <= 1; dv++) {
      for (let du = -1; du <= 1; du++) {
        const qu = pu + du;
        const qv = pv + dv;
        if (qu < 0 || qv < 0 || qu >= CROP || qv >= CROP) continue;
        const z = depth[qv * CROP + qu];
        if (z !== Infinity && z > zMax) zMax = z;
      }
    }
    if (zc > zMax + tol) continue;
    sampleBilinear(pre.image512, u / CROP, v / CROP, false, s);
    const a = matte[p];
    weight[i] = smoothstep(0.2, 0.5, facing) * a * a;
    colour[i * 3] = s[0];
    colour[i * 3 + 1] = s[1];
    colour[i * 3 + 2] = s[2];
    label[i] = pre.regions[p];
  }
  return { colour, weight, label };
}

/**
 * Per mesh vertex [V]: the projective-texture weight (visible in the portrait, facing it, inside the
 * matte), using area-weighted vertex normals and the same depth test as the atlas.
 */
export function vertexProjectionWeights(
  pre: PreprocessResult,
  proxy: HeadProxy,
  depth: Float32Array,
): { weight: Float32Array; visible: Float32Array } {
  const { positions, indices } = proxy.mesh;
  const nv = positions.length / 3;
  const nrm = new Float32Array(nv * 3);
  for (let t = 0; t < indices.length; t += 3) {
    const a = indices[t] * 3,
      b = indices[t + 1] * 3,
      c = indices[t + 2] * 3;
    const e1 = [
      positions[b] - positions[a],
      positions[b + 1] - positions[a + 1],
      positions[b + 2] - positions[a + 2],
    ];
    const e2 = [
      positions[c] - positions[a],
      positions[c + 1] - positions[a + 1],
      positions[c + 2] - positions[a + 2],
    ];
    const n = [e1[1] * e2[2] - e1[2] * e2[1], e1[2] * e2[0] - e1[0] * e2[2], e1[0] * e2[1] - e1[1] * e2[0]];
    for (const v of [a, b, c]) for (let k = 0; k < 3; k++) nrm[v + k] += n[k];
  }
  const cam = proxy.imageFrame.camera;
  const m = cam.worldToCamera;
  const tol = 0.04 * proxy.breadthWorld;
  const out = new Float32Array(nv);
  const visible = new Float32Array(nv);
  for (let i = 0; i < nv; i++) {
    const x = positions[i * 3],
      y = positions[i * 3 + 1],
      z = positions[i * 3 + 2];
    const cx = m[0] * x + m[1] * y + m[2] * z + m[3];
    const cy = m[4] * x + m[5] * y + m[6] * z + m[7];
    const cz = m[8] * x + m[9] * y + m[10] * z + m[11];
    // Normal in camera axes; facing = -n . (point direction) (the camera looks along +z).
    const nx = m[0] * nrm[i * 3] + m[1] * nrm[i * 3 + 1] + m[2] * nrm[i * 3 + 2];
    const ny = m[4] * nrm[i * 3] + m[5] * nrm[i * 3 + 1] + m[6] * nrm[i * 3 + 2];
    const nz = m[8] * nrm[i * 3] + m[9] * nrm[i * 3 + 1] + m[10] * nrm[i * 3 + 2];
    const nl = Math.hypot(nx, ny, nz) * Math.hypot(cx, cy, cz);
    if (nl === 0) continue;
    const f = Math.abs(-(nx * cx + ny * cy + nz * cz) / nl); // winding-agnostic
    const u = cam.fx * (cx / cz) + cam.cx;
    const v = cam.fy * (cy / cz) + cam.cy;
    if (u < 0 || v < 0 || u >= CROP || v >= CROP) continue;
    const pu = Math.floor(u);
    const pv = Math.floor(v);
    let zMax = depth[pv * CROP + pu];
    for (let dv = -1; dv <= 1; dv++) {
      for (let du = -1; du <= 1; du++) {
        const qu = pu + du,
          qv = pv + dv;
        if (qu < 0 || qv < 0 || qu >= CROP || qv >= CROP) continue;
        const zz = depth[qv * CROP + qu];
        if (zz !== Infinity && zz > zMax) zMax = zz;
      }
    }
    if (cz > zMax + tol) continue;
    // Only surfaces facing the camera: a back-facing surface has its outward normal pointing away,
    // which |.| hides, so also require the vertex to be the visible layer (depth test above).
    const a = pre.matte512.data[pv * CROP + pu];
    out[i] = smoothstep(0.3, 0.6, f) * a * a;
    visible[i] = a * a;
  }
  return { weight: out, visible };
}

/** Build the completed atlas for `proxy` (its mesh must be final). */
export function buildTexture(pre: PreprocessResult, proxy: HeadProxy, opts: AppearanceOptions): RgbaImage {
  const depth = rasterizeTriangles(proxy.mesh.positions, proxy.mesh.indices, proxy.imageFrame.camera).depth;
  const pw = vertexProjectionWeights(pre, proxy, depth);
  proxy.projectionWeight = pw.weight;
  proxy.inputVisibility = pw.visible;
  const atlas = createRgba(ATLAS_WIDTH, ATLAS_HEIGHT, [0, 0, 0, 255]);
  const skinRef = cheekSkin(pre);
  const headwear = skinRef ? detectHeadwear(pre, skinRef) : null;
  if (headwear)
    opts.log?.(
      `weightfree: headwear above image row ${headwear.bottomRow}, hair below it rgb(${headwear.sideHair.map(Math.round).join(', ')})`,
    );
  const hairModel = fitHairModel(pre, headwear);
  const lm = pre.face?.landmarks;
  const chinRow = lm ? lm[LM.chin * 3 + 1] : CROP * 0.6;
  const neckSkin = neckSkinColour(pre, skinRef, chinRow, lm ? lm[LM.chin * 3] : CROP / 2);

  for (const part of ['head', 'torso'] as const) {
    const rowStart = part === 'head' ? 0 : HEAD_ROWS;
    const rows = part === 'head' ? HEAD_ROWS : TORSO_ROWS;
    if (part === 'torso' && !proxy.torso) continue;
    const n = ATLAS_WIDTH * rows;
    const { pos, nrm, dirY } = surfaceSamples(proxy, rowStart, rows);
    const obs = observe(pre, proxy, pos, nrm, depth);
    // Mirror partner of texel (x, y) is (W - 1 - x, y): phi -> -phi (head) and psi -> -psi (torso).
    const mirror = (i: number) => i - (i % ATLAS_WIDTH) + (ATLAS_WIDTH - 1 - (i % ATLAS_WIDTH));
    // Head kinds: 0 skin-like (skin, eyes, mouth), 1 hair, 2 clothing / other. Torso: skin by colour.
    const kindOf = (l: number) =>
      l === REGION.hair ? 1 : l === REGION.clothing || l === REGION.background ? 2 : 0;
    const combinedW = new Float32Array(n);
    const combinedC = new Float32Array(n * 3);
    const combinedKind = new Uint8Array(n);
    const skin = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      const wd = obs.weight[i];
      const j = mirror(i);
      const wm = obs.weight[j];
      const take = wd >= wm ? i : j;
      combinedW[i] = Math.max(wd, wm);
      const r = obs.colour[take * 3],
        g = obs.colour[take * 3 + 1],
        b = obs.colour[take * 3 + 2];
      let kind = kindOf(obs.label[take]);
      // Coarse labels call the forehead, ears and fringes "hair": keep only confidently hair-coloured hair.
      if (kind === 1 && !isConfidentHair(hairModel, r, g, b)) kind = 0;
      combinedKind[i] = kind;
      // Torso only: skin by colour (the head's fill goes by kind).
      if (part === 'torso')
        skin[i] =
          kind === 0 || (skinRef !== null && isSkinLike(r, g, b, skinRef, TORSO_SKIN_TOLERANCE)) ? 1 : 0;
      for (let c = 0; c < 3; c++)
        combinedC[i * 3 + c] =
          (obs.colour[i * 3 + c] * wd + obs.colour[j * 3 + c] * wm * (1 - wd)) /
          Math.max(1e-6, wd + wm * (1 - wd));
    }
    const fill =
      part === 'head'
        ? fillHead(
            pre,
            proxy,
            { colour: combinedC, weight: combinedW, kind: combinedKind, dirY },
            {
              seed: opts.seed,
              hairPresent: opts.hairPresent,
              napeY: opts.napeY,
              hairline: opts.hairline,
              hairBottomY: opts.hairBottomY,
              hairModel,
              headwear,
              neckSkin,
              skinTone: skinRef,
            },
          )
        : fillTorso(
            pre,
            proxy,
            { rows, colour: combinedC, weight: combinedW, skin },
            skinRef,
            chinRow,
            opts.seed,
          );
    for (let i = 0; i < n; i++) {
      const w = combinedW[i];
      const o = (rowStart * ATLAS_WIDTH + i) * 4;
      atlas.data[o] = combinedC[i * 3] * w + fill[i * 3] * (1 - w);
      atlas.data[o + 1] = combinedC[i * 3 + 1] * w + fill[i * 3 + 1] * (1 - w);
      atlas.data[o + 2] = combinedC[i * 3 + 2] * w + fill[i * 3 + 2] * (1 - w);
    }
  }
  return atlas;
}
