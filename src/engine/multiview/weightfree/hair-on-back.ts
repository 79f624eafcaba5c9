/**
 * Long hair down the back. Hair the portrait shows hanging below the chin hangs behind the head as a
 * curtain (hair-line.ts hangHair) down to its lowest point, but the torso stub's back lies farther
 * back than that curtain: from behind, the shoulders covered it and a long cut read as a bob ending
 * on a sweater. Here the torso's texels behind the head, within the hair's breadth and above the
 * hair's lower end, take the hair's colour: each one the colour the head's atlas has at the foot of
 * the curtain on the same meridian, so the strands above run on down the back.
 *
 * Frames: torso texel positions in G (pixel units, proxy.ts), converted to the head frame H
 * (landmarks.ts toHead) where the hair's end `bottomY` and the meridians (head-model.ts direction:
 * phi = atan2(x, z), 0 = the face) are defined.
 * Buffers: headAtlas [HEAD_ROWS * ATLAS_WIDTH * 4] RGBA 0..255 (the filled head rows of the atlas),
 * headDirY [HEAD_ROWS * ATLAS_WIDTH] head-frame height of each head texel, torsoPos
 * [n * 3] G positions of the torso texels; out colour [n * 3] RGB 0..255, weight [n] 0..1.
 */
import { direction, type HeadShape } from './head-model';
import { toHead } from './landmarks';
import { atlasAngle, atlasColumn } from './proxy';
import { valueNoise2 } from './random';
import { smoothstep } from '../../../shared/smoothstep';

/** The band of the head (face widths above its lowest texel on a meridian) whose colour runs on down the back. */
const SAMPLE_FROM = 0.05;
const SAMPLE_TO = 0.25;
/** Feathers (face widths) of the hair's lower end and of its sides. */
const END_FEATHER = 0.05;
const SIDE_FEATHER = 0.06;
/** How ragged the ends are (face widths, peak): strands are not cut in a line. */
const RAGGED = 0.07;
/** cos(psi) of the torso (0 = its side) from which, going round to the back, the hair lies on it. */
const BACK_FROM = -0.05;
const BACK_TO = -0.4;
/** Breadth of the hair down the back, as a share of the skull's reach with the hair on it. */
const BREADTH_SHARE = 0.9;
/** Strands wander sideways (atlas columns, peak) and vary in brightness (share, peak) along their length. */
const WANDER = 2;
const SHEEN = 0.06;

export interface HairOnBack {
  colour: Float32Array;
  weight: Float32Array;
}

/** The skull's widest horizontal reach (H pixels) at or above the ears: how broad hanging hair is. */
export function hairBreadth(shape: HeadShape): number {
  const { nTheta, nPhi, radius } = shape;
  const W = nPhi + 1;
  let reach = 0;
  for (let i = 0; i <= nTheta; i++) {
    const theta = (Math.PI * i) / nTheta;
    for (let j = 0; j < nPhi; j++) {
      const d = direction(theta, -Math.PI + (2 * Math.PI * j) / nPhi);
      if (d[1] < -0.2) continue;
      reach = Math.max(reach, radius[i * W + j] * Math.abs(d[0]));
    }
  }
  return reach;
}

/** cos(phi) of the head's meridians whose foot is the back of the hair (the sides' foot is the jaw and neck). */
const BACK_MERIDIAN_COS = -0.3;
const BACK_MERIDIAN_PHI = Math.acos(BACK_MERIDIAN_COS);

/** Head atlas column of meridian phi, held to the back meridians (|phi| >= BACK_MERIDIAN_PHI). */
function backColumn(phi: number, W: number): number {
  return atlasColumn(Math.abs(phi) < BACK_MERIDIAN_PHI ? Math.sign(phi || 1) * BACK_MERIDIAN_PHI : phi, W);
}

/**
 * Per head atlas column [W * 3]: the mean head colour just above the lowest texel of that meridian
 * (the foot of the hair's curtain, from SAMPLE_FROM to SAMPLE_TO face widths above it), on the back
 * meridians; NaN elsewhere.
 */
function curtainFootColours(
  headAtlas: Uint8ClampedArray | Uint8Array,
  headDirY: Float32Array,
  W: number,
  faceWidth: number,
): Float32Array {
  const rows = headDirY.length / W;
  const out = new Float32Array(W * 3).fill(Number.NaN);
  for (let x = 0; x < W; x++) {
    if (Math.cos(atlasAngle(x, W)) > BACK_MERIDIAN_COS) continue;
    let foot = Infinity;
    for (let y = 0; y < rows; y++) foot = Math.min(foot, headDirY[y * W + x]);
    const lo = foot + SAMPLE_FROM * faceWidth;
    const hi = foot + SAMPLE_TO * faceWidth;
    let s0 = 0,
      s1 = 0,
      s2 = 0,
      c = 0;
    for (let y = 0; y < rows; y++) {
      const i = y * W + x;
      if (headDirY[i] < lo || headDirY[i] > hi) continue;
      s0 += headAtlas[i * 4];
      s1 += headAtlas[i * 4 + 1];
      s2 += headAtlas[i * 4 + 2];
      c++;
    }
    if (c) {
      out[x * 3] = s0 / c;
      out[x * 3 + 1] = s1 / c;
      out[x * 3 + 2] = s2 / c;
    }
  }
  return out;
}

/**
 * Hair on the torso's back: colour and weight per torso texel. `torsoPsiCos` [n]: cos of each texel's
 * angle round its section (1 = the front, -1 = the back).
 */
export function hairOnBack(
  shape: HeadShape,
  headAtlas: Uint8ClampedArray | Uint8Array,
  headDirY: Float32Array,
  torsoPos: Float32Array,
  torsoPsiCos: Float32Array,
  W: number,
  bottomY: number,
  seed: number,
): HairOnBack {
  const n = torsoPsiCos.length;
  const fw = shape.faceWidth;
  const foot = curtainFootColours(headAtlas, headDirY, W, fw);
  const breadth = BREADTH_SHARE * hairBreadth(shape);
  const colour = new Float32Array(n * 3);
  const weight = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const behind = smoothstep(BACK_FROM, BACK_TO, torsoPsiCos[i]);
    if (behind <= 0) continue;
    const h = toHead(shape.frame, [torsoPos[i * 3], torsoPos[i * 3 + 1], torsoPos[i * 3 + 2]]);
    const phi = Math.atan2(h[0], h[2]);
    // Down the back a strand drifts sideways a little (smooth noise along its length, in head pixels).
    const along = h[1] / fw;
    const x0 = backColumn(phi, W);
    const x = (x0 + Math.round(WANDER * (2 * valueNoise2(seed + 22, (x0 / W) * 24, along * 2.5, 24) - 1)) + W) % W;
    if (Number.isNaN(foot[x * 3])) continue;
    // Strand ends vary along the hair's breadth (a smooth noise per meridian, not per texel).
    const end = bottomY + RAGGED * fw * (2 * valueNoise2(seed + 21, (x / W) * 40, 0.5, 40) - 1);
    const above = smoothstep(end - END_FEATHER * fw, end + END_FEATHER * fw, h[1]);
    const inside = smoothstep(breadth + SIDE_FEATHER * fw, breadth - SIDE_FEATHER * fw, Math.abs(h[0]));
    weight[i] = behind * above * inside;
    const sheen = 1 + SHEEN * (2 * valueNoise2(seed + 23, (x / W) * 160, along * 3, 160) - 1);
    for (let c = 0; c < 3; c++) colour[i * 3 + c] = foot[x * 3 + c] * sheen;
  }
  return { colour, weight };
}
