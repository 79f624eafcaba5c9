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
import { direction, radiusAt } from './head-model';
import { cheekSkin, fitHairModel, isHairColour, type Rgb } from './hair-model';
import { fillHead, lengthsTone, sideSkinTones } from './head-appearance';
import { detectHeadwear } from './headwear';
import { CROP, fromHead, LM } from './landmarks';
import {
  ATLAS_HEIGHT,
  ATLAS_WIDTH,
  HEAD_ROWS,
  TORSO_ROWS,
  atlasAngle,
  headPointG,
  mirrorColumn,
  torsoAxisG,
  torsoPointG,
  torsoRowSection,
  type HeadProxy,
} from './proxy';
import { isSkinLike, TORSO_SKIN_TOLERANCE } from './skin-colour';
import { fillTorso, neckSkinColour } from './torso-appearance';
import type { Hairline } from './hair-line';
import { liftGrazingShadow } from './grazing-light';
import { hairOnBack } from './hair-on-back';
import { borrowedColour, MIN_SUPPORT, mirrorShadingGain, TURNED_MIN_SUPPORT } from './mirror-shading';
import { broadFacing, mirrorLead, observe, vertexProjectionWeights } from './observe';
import { portraitPlane } from './portrait-plane';
import { textureMidline } from './texture-midline';

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
  /** Head-frame y (pixels) of the lower end of hair hanging below the chin: it goes on down the torso's back (hair-on-back.ts). */
  longHairBottomY?: number;
  /**
   * The head is the fitted model's surface, which wraps far round where the portrait sees it at a
   * grazing angle: the face outline's shadow is lifted there (grazing-light.ts). The landmark proxy's
   * face is a plate whose edge the fills already take over.
   */
  fittedHead?: boolean;
  /** Crop pixels [CROP*CROP] (1 = ear) of the fitted model's ears: never the hair's lengths. */
  earMask?: Uint8Array;
  /**
   * The skin's colour where the portrait's cheek landmarks do not find it (a profile's synthetic
   * landmarks put the cheek box over the ear and the sideburn: profile-regions.ts measures it on the
   * profile itself); default cheekSkin(pre).
   */
  skinReference?: Rgb | null;
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
      const a = atlasAngle(x);
      let g: [number, number, number];
      if (isHead) {
        const theta = (Math.PI * (y + 0.5)) / HEAD_ROWS;
        const r = radiusAt(shape, theta, a);
        g = headPointG(shape, theta, a, r);
        dirY[y * ATLAS_WIDTH + x] = direction(theta, a)[1] * r;
      } else if (torso) {
        g = torsoPointG(torso, torsoRowSection(y, nSec, rows), a);
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
        const axis = torsoAxisG(torso, torsoRowSection(y, nSec, rows));
        ox = pos[i * 3] - axis[0];
        oy = pos[i * 3 + 1] - axis[1];
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

/** Build the completed atlas for `proxy` (its mesh must be final). */
export function buildTexture(pre: PreprocessResult, proxy: HeadProxy, opts: AppearanceOptions): RgbaImage {
  // The portrait with the photo round the crop (portrait-plane.ts), and the proxy's depth over all of
  // it: the input camera's image grown sideways and downwards.
  const plane = portraitPlane(pre);
  const cam = proxy.imageFrame.camera;
  const camera = { ...cam, width: plane.width, height: plane.height, cx: cam.cx + plane.left };
  const depth = {
    depth: rasterizeTriangles(proxy.mesh.positions, proxy.mesh.indices, camera).depth,
    width: plane.width,
    height: plane.height,
    left: plane.left,
  };
  const atlas = createRgba(ATLAS_WIDTH, ATLAS_HEIGHT, [0, 0, 0, 255]);
  const skinRef = opts.skinReference ?? cheekSkin(pre);
  const headwear = skinRef ? detectHeadwear(pre, skinRef) : null;
  if (headwear)
    opts.log?.(
      `weightfree: headwear above image row ${headwear.bottomRow}, hair below it rgb(${headwear.sideHair.map(Math.round).join(', ')})`,
    );
  const hairModel = fitHairModel(pre, headwear);
  const lengths = lengthsTone(pre, hairModel, headwear, opts.earMask);
  const lm = pre.face?.landmarks;
  const chinRow = lm ? lm[LM.chin * 3 + 1] : CROP * 0.6;
  const neckSkin = neckSkinColour(pre, skinRef, chinRow, lm ? lm[LM.chin * 3] : CROP / 2);

  let headDirY: Float32Array | null = null;
  // The skin each side of the face shows well, [subject's right, subject's left] (head rows, kept
  // for the torso's nape).
  let sideTones: [Rgb, Rgb] | null = null;
  for (const part of ['head', 'torso'] as const) {
    const rowStart = part === 'head' ? 0 : HEAD_ROWS;
    const rows = part === 'head' ? HEAD_ROWS : TORSO_ROWS;
    if (part === 'torso' && !proxy.torso) continue;
    const n = ATLAS_WIDTH * rows;
    const { pos, nrm, dirY } = surfaceSamples(proxy, rowStart, rows);
    if (part === 'head') headDirY = dirY;
    const obs = observe(plane, proxy, pos, nrm, depth, part === 'head' && proxy.faceSource === 'profile');
    // The face outline's shadow, painted round the side of a fitted head (grazing-light.ts).
    if (part === 'head' && opts.fittedHead) {
      const skinObs = Uint8Array.from(obs.label, (l) => (l === REGION.skin ? 1 : 0));
      const side = Uint8Array.from({ length: n }, (_, i) => (i % ATLAS_WIDTH < ATLAS_WIDTH / 2 ? 0 : 1));
      liftGrazingShadow(obs.colour, obs.facing, skinObs, side);
    }
    // Mirror partner of texel (x, y): phi -> 2 a - phi on the head, a the portrait's face midline on
    // that row (texture-midline.ts; 0 without a detected face); psi -> -psi on the torso, or psi -> pi -
    // psi for a profile's body, seen side-on (proxy.ts mirrorColumn).
    const midline =
      part === 'head' && lm && proxy.faceSource === 'landmarks' && opts.fittedHead
        ? textureMidline(lm, pos, obs.weight)
        : null;
    if (part === 'head') {
      proxy.mirrorAxis = midline;
      // The renderer's projective texture, gated by the same mirror.
      const pw = vertexProjectionWeights(pre, proxy, depth);
      proxy.projectionWeight = pw.weight;
      proxy.inputVisibility = pw.visible;
    }
    const axis = part === 'torso' && proxy.faceSource === 'profile' ? Math.PI / 2 : 0;
    const partner = new Int32Array(n);
    for (let y = 0; y < rows; y++)
      for (let x = 0; x < ATLAS_WIDTH; x++)
        partner[y * ATLAS_WIDTH + x] = mirrorColumn(x, ATLAS_WIDTH, midline ? midline[y] : axis);
    const partnerColumn = (x: number, y: number) => partner[y * ATLAS_WIDTH + x];
    const mirror = (i: number) => i - (i % ATLAS_WIDTH) + partner[i];
    // Head kinds: 0 skin-like (skin, eyes, mouth), 1 hair, 2 clothing / other. Torso: skin by colour.
    const kindOf = (l: number) =>
      l === REGION.hair ? 1 : l === REGION.clothing || l === REGION.background ? 2 : 0;
    // A colour borrowed from the mirror side is scaled to this side's light (mirror-shading.ts).
    // Measured on the head's skin; on the torso on everything seen (the garment lit from one side).
    const light = new Float32Array(n * 3);
    const shading = mirrorShadingGain(
      obs.colour,
      obs.weight,
      Uint8Array.from(obs.label, (l) => (part === 'torso' || kindOf(l) === 0 ? 1 : 0)),
      ATLAS_WIDTH,
      rows,
      partnerColumn,
      part === 'head' && proxy.turnedTo !== 0 ? TURNED_MIN_SUPPORT : MIN_SUPPORT,
      light,
    );
    // Which side sees a point better is decided on the facing broadened over a few degrees (observe.ts).
    const facingBroad =
      part === 'head' && proxy.turnedTo !== 0
        ? broadFacing(obs.facing, ATLAS_WIDTH, rows, Math.PI)
        : obs.facing;
    const combinedW = new Float32Array(n);
    const combinedC = new Float32Array(n * 3);
    const combinedKind = new Uint8Array(n);
    const skin = new Uint8Array(n);
    // Texel j's colour as borrowed for texel i (mirror-shading.ts).
    const mirrored = new Float32Array(3);
    for (let i = 0; i < n; i++) {
      const j = mirror(i);
      // On a turned face the head's far side gives way to its better-seen mirror (observe.ts mirrorLead),
      // and lends the near side nothing where the near side sees better: the near eye's corner, hidden
      // by a lid fold, took the far eye's dark inner corner, which the nose half hides.
      const head = part === 'head';
      const wm = head
        ? obs.weight[j] * (1 - mirrorLead(proxy, facingBroad[j], facingBroad[i]))
        : obs.weight[j];
      const wd =
        head && wm > 0
          ? obs.weight[i] * (1 - mirrorLead(proxy, facingBroad[i], facingBroad[j]))
          : obs.weight[i];
      const take = wd >= wm ? i : j;
      combinedW[i] = Math.max(wd, wm);
      // Whatever is borrowed from the mirror side takes this side's light (measured on its skin).
      const borrowed = take !== i;
      // Only where the mirror lends anything (a pow per channel: most texels borrow nothing).
      if (borrowed || wm > 0) borrowedColour(obs.colour, j, shading, light, i, mirrored);
      else mirrored.fill(0);
      const [r, g, b] = borrowed
        ? mirrored
        : [obs.colour[i * 3], obs.colour[i * 3 + 1], obs.colour[i * 3 + 2]];
      let kind = kindOf(obs.label[take]);
      // Coarse labels call the forehead, ears and fringes "hair": keep only confidently hair-coloured
      // hair (either of its tones: the top's, the lengths').
      if (kind === 1 && !isHairColour(hairModel, lengths, r, g, b)) kind = 0;
      combinedKind[i] = kind;
      // Torso only: skin by colour (the head's fill goes by kind).
      if (part === 'torso')
        skin[i] =
          kind === 0 || (skinRef !== null && isSkinLike(r, g, b, skinRef, TORSO_SKIN_TOLERANCE)) ? 1 : 0;
      for (let c = 0; c < 3; c++)
        combinedC[i * 3 + c] =
          (obs.colour[i * 3 + c] * wd + mirrored[c] * wm * (1 - wd)) / Math.max(1e-6, wd + wm * (1 - wd));
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
              sideSkinTones: (sideTones = sideSkinTones(obs.colour, obs.weight, obs.label, obs.facing)),
              earMask: opts.earMask,
            },
          )
        : fillTorso(
            pre,
            proxy,
            { rows, colour: combinedC, weight: combinedW, skin },
            skinRef,
            chinRow,
            opts.seed,
            sideTones,
          );
    if (part === 'torso' && opts.longHairBottomY !== undefined && headDirY) {
      // The head's rows are final: long hair runs on from the foot of its curtain down the back.
      const psiCos = Float32Array.from({ length: n }, (_, i) => Math.cos(atlasAngle(i % ATLAS_WIDTH)));
      const hair = hairOnBack(
        proxy.shape,
        atlas.data,
        headDirY,
        pos,
        psiCos,
        ATLAS_WIDTH,
        opts.longHairBottomY,
        opts.seed,
      );
      for (let i = 0; i < n; i++) {
        const w = hair.weight[i];
        if (w > 0)
          for (let c = 0; c < 3; c++)
            fill[i * 3 + c] = fill[i * 3 + c] * (1 - w) + hair.colour[i * 3 + c] * w;
      }
    }
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
