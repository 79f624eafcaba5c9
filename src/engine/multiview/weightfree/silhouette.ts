/**
 * Fitting the head's outline to the portrait's matte.
 *
 * The head mask is the matte above the jaw line plus hair-labelled pixels below it (long hair), so
 * that the neck and shoulders (a separate stub, torso.ts) never inflate the head. Its outline is
 * measured as a radius per image-plane angle around the projected head centre (NA bins, angle 0 =
 * image right, increasing towards image down). Outside the face, each head direction's radius is
 * multiplied by a gain for its image-plane angle; the gains are iterated until the projected proxy
 * outline meets the matte's.
 */
import { REGION } from '../../../shared/contracts/preprocess';
import type { Vec3 } from '../../../shared/camera';
import { direction, radiusAt, type HeadShape } from './head-model';
import { CROP, fromHead } from './landmarks';
import { smoothstep } from '../../../shared/smoothstep';

export const ANGLE_BINS = 128;

/**
 * Uint8Array [512*512]: 1 where the pixel belongs to the head (and its hair). Hair below
 * `hairBottomRow` (long hair hanging past the chin) is left out: the head's outline there would
 * blow the skull up into a bell; hanging hair is a curtain of its own (fitted-shape.ts hangHair).
 */
export function headMask(
  matte: Float32Array,
  regions: Uint8Array | null,
  jawRow: Float32Array,
  hairBottomRow = CROP,
): Uint8Array {
  const mask = new Uint8Array(CROP * CROP);
  for (let v = 0; v < CROP; v++) {
    for (let u = 0; u < CROP; u++) {
      const i = v * CROP + u;
      if (matte[i] < 0.5) continue;
      if (v <= jawRow[u] || (v <= hairBottomRow && regions !== null && regions[i] === REGION.hair))
        mask[i] = 1;
    }
  }
  return mask;
}

/**
 * Outline radius per angle bin: the farthest head pixel along the ray from (u0, v0) reached through
 * the mask with gaps of at most `maxGap` pixels (so stray blobs are ignored). 0 where the centre
 * itself is outside the mask's reach.
 */
export function outlineRadii(mask: Uint8Array, u0: number, v0: number, maxGap = 6): Float32Array {
  const out = new Float32Array(ANGLE_BINS);
  for (let b = 0; b < ANGLE_BINS; b++) {
    const a = (2 * Math.PI * (b + 0.5)) / ANGLE_BINS;
    const dx = Math.cos(a);
    const dy = Math.sin(a);
    let last = 0;
    let gap = 0;
    for (let t = 0; t < CROP * 1.5; t += 1) {
      const u = Math.round(u0 + dx * t);
      const v = Math.round(v0 + dy * t);
      if (u < 0 || v < 0 || u >= CROP || v >= CROP) break;
      if (mask[v * CROP + u]) {
        last = t;
        gap = 0;
      } else if (++gap > maxGap) break;
    }
    out[b] = last;
  }
  return out;
}

export function angleBin(du: number, dv: number): number {
  const a = Math.atan2(dv, du);
  const b = Math.floor(((a < 0 ? a + 2 * Math.PI : a) / (2 * Math.PI)) * ANGLE_BINS);
  return Math.min(ANGLE_BINS - 1, b);
}

/** Circular box smoothing of per-bin values. */
function smoothBins(v: Float32Array, half: number): Float32Array {
  const out = new Float32Array(v.length);
  for (let b = 0; b < v.length; b++) {
    let s = 0;
    for (let k = -half; k <= half; k++) s += v[(b + k + v.length) % v.length];
    out[b] = s / (2 * half + 1);
  }
  return out;
}

/** Pixel (u, v) of a head-frame point (the image frame maps G to pixels orthographically in u, v). */
export function headToPixel(shape: Pick<HeadShape, 'frame'>, h: Vec3): [number, number] {
  const g = fromHead(shape.frame, h);
  return [g[0] + CROP / 2, CROP / 2 - g[1]];
}

/** Heights (head-frame vertical direction components, -1 = up .. 1 = down) sampled by gainByHeight. */
const HEIGHT_SAMPLES = 33;
/** Bins within this much of a height (on the same -1..1 scale) count for it. */
const HEIGHT_BAND = 0.3;

/**
 * Gain for directions along the view axis (the back of the head, the face's side of it), per height
 * [HEIGHT_SAMPLES]: the mean of the valid bins' gains at about that height on the head. The outline
 * beside the head at a height says how far hair stands off the skull there, so the back of the head
 * gets the crown's volume at the crown and the nape's at the nape; one mean over all bins put a spiky
 * top's volume round the nape and made a short cut a bob. `fallback` where no valid bin is near.
 * `binHeight` [ANGLE_BINS]: each bin's outline direction's height on the head (-1 up .. 1 down);
 * default the image's (sin of the bin's angle), which is the same for an upright head in a level
 * camera. Seen from above (or with the head bowed or rolled) they differ: the directions along the
 * view are then the nape and the forehead, not the back of the head at mid-height, and measured in the
 * image the nape took the gain of the outline beside the temples.
 */
export function gainByHeight(
  gain: Float32Array,
  valid: Uint8Array,
  fallback: number,
  binHeight: Float32Array = imageBinHeights(),
): Float32Array {
  const out = new Float32Array(HEIGHT_SAMPLES);
  for (let s = 0; s < HEIGHT_SAMPLES; s++) {
    const h = -1 + (2 * s) / (HEIGHT_SAMPLES - 1);
    let sw = 0;
    let sg = 0;
    for (let b = 0; b < ANGLE_BINS; b++) {
      if (!valid[b]) continue;
      const w = Math.max(0, 1 - Math.abs(binHeight[b] - h) / HEIGHT_BAND);
      sw += w;
      sg += w * gain[b];
    }
    out[s] = sw > 0.5 ? sg / sw : fallback;
  }
  return out;
}

/** Each bin's image height (-1 up .. 1 down): sin of its angle. */
function imageBinHeights(): Float32Array {
  return Float32Array.from({ length: ANGLE_BINS }, (_, b) =>
    Math.sin((2 * Math.PI * (b + 0.5)) / ANGLE_BINS),
  );
}

/**
 * Each bin's outline direction's height on the head (-1 up .. 1 down): the image-plane direction of
 * bin b, G = (cos a, -sin a, 0), on the head's up axis (frame axes in G).
 */
export function headBinHeights(frame: HeadShape['frame']): Float32Array {
  return Float32Array.from({ length: ANGLE_BINS }, (_, b) => {
    const a = (2 * Math.PI * (b + 0.5)) / ANGLE_BINS;
    return -(frame.yAxis[0] * Math.cos(a) - frame.yAxis[1] * Math.sin(a));
  });
}

/**
 * The most a skin outline bin (fitToSilhouette `rim`) grows the fitted model, and the farthest its outline may lie past the model's: an ear's lobe or a jaw a
 * few pixels wider than the model's, not a collar or a hand beside the face.
 */
const RIM_GAIN_MAX = 1.25;
/**
 * How perpendicular to the view axis (|direction in the image plane|^2) a direction must be for a rim
 * gain to move it: from none at RIM_PERP[0] to all of it at RIM_PERP[1] (the outline itself).
 */
const RIM_PERP: [number, number] = [0.8, 0.97];
/** How far behind the outline (view-axis component of the direction) a rim gain fades out. */
const RIM_BEHIND = 0.3;

/** Half-angle (degrees) round the head's up axis in the image of the bins that measure the crown's hair. */
const CROWN_HALF_ANGLE_DEG = 25;

/**
 * Scale `shape.radius` in place (outside the face) so the projected outline matches `target`
 * (outlineRadii of the head mask). `valid[b]` = 0 marks bins the matte cannot constrain (the ray
 * leaves the head through the face or chin). Gains are clamped to [gainMin, gainMax].
 * Directions along the view axis take the gain the outline has at their height (gainByHeight), at
 * most the crown's. The outline beside the head at a height may be buns, hair swept out at the sides
 * or a bob's flare (from the front), a ponytail or long hair's fall (from the side): none of it says
 * how thick the hair lies on the skull behind (or beside) it, which the crown shows. Taken whole, two
 * buns on top made the back of the head a mushroom as wide as the buns. `sidesAtMostCrown`: the view
 * axis runs through the head's sides (a profile), and both ends of it take the crown's gain.
 *
 * `rimBins[b]` = 1 marks bins whose outline is skin past a fitted model's (an ear, the back of the jaw:
 * the landmarks the model is fitted to say nothing of either). They are fitted too, but their gain
 * (at most RIM_GAIN_MAX) moves only the surface near the outline (RIM_PERP), whatever its face weight,
 * and is never carried round the head by height: skin at the ear's height is not hair's volume on the
 * back of the head.
 */
export function fitToSilhouette(
  shape: HeadShape,
  base: Float32Array,
  target: Float32Array,
  valid: Uint8Array,
  iterations = 4,
  gainMax = 2.2,
  gainMin = 0.7,
  sidesAtMostCrown = false,
  rimBins: Uint8Array = new Uint8Array(ANGLE_BINS),
): Float32Array {
  // Rim bins whose outline lies more than RIM_GAIN_MAX past the bare model are not the head's skin
  // (hair labelled skin, a hand, a collar): dropped after the first measurement. Grown to the cap they
  // stood off long hair's curtain as spikes.
  const rim = Uint8Array.from(rimBins);
  const { nTheta, nPhi, frame } = shape;
  // The crown's bins: within CROWN_HALF_ANGLE of the head's up axis in the image.
  const upBin = angleBin(frame.yAxis[0], -frame.yAxis[1]);
  const crownHalf = Math.round((CROWN_HALF_ANGLE_DEG / 360) * ANGLE_BINS);
  const W = nPhi + 1;
  const [u0, v0] = headToPixel(shape, [0, 0, 0]);
  let gain: Float32Array = new Float32Array(ANGLE_BINS).fill(1);
  const binHeight = headBinHeights(frame);
  // Per grid vertex: its image-plane bin and how perpendicular it is to the view axis.
  const bins = new Int32Array(base.length);
  const perp = new Float32Array(base.length);
  const viewZ = new Float32Array(base.length);
  const height = new Float32Array(base.length);
  for (let i = 0; i <= nTheta; i++) {
    for (let j = 0; j <= nPhi; j++) {
      const d = direction((Math.PI * i) / nTheta, -Math.PI + (2 * Math.PI * j) / nPhi);
      const gx = frame.xAxis[0] * d[0] + frame.yAxis[0] * d[1] + frame.zAxis[0] * d[2];
      const gy = frame.xAxis[1] * d[0] + frame.yAxis[1] * d[1] + frame.zAxis[1] * d[2];
      const gz = frame.xAxis[2] * d[0] + frame.yAxis[2] * d[1] + frame.zAxis[2] * d[2];
      const k = i * W + j;
      bins[k] = angleBin(gx, -gy);
      perp[k] = gx * gx + gy * gy;
      // View-axis component of the direction (towards the camera: the front half).
      viewZ[k] = gz;
      // Height on the head (-1 up), as the bins' (headBinHeights).
      height[k] = -d[1];
    }
  }
  const apply = () => {
    let mean = 0;
    let n = 0;
    for (let b = 0; b < ANGLE_BINS; b++) {
      if (valid[b]) {
        mean += gain[b];
        n++;
      }
    }
    mean = n ? mean / n : 1;
    const atHeight = gainByHeight(gain, valid, mean, binHeight);
    let crown = 0;
    for (let k = -crownHalf; k <= crownHalf; k++) {
      const b = (upBin + k + ANGLE_BINS) % ANGLE_BINS;
      if (valid[b]) crown = Math.max(crown, gain[b]);
    }
    // Behind the head only (the face's side of the view axis is the forehead and temples, which the
    // outline's damped gain shapes round the face), and never below 1: the cap holds hair's volume
    // to the crown's, it does not shrink the head (the landmark proxy's ellipsoid takes gains under
    // 1 to meet a narrow outline). A profile's view axis runs through its sides: both take the
    // crown's gain as it is.
    const cap = (g: number) => (crown > 0 ? Math.min(g, sidesAtMostCrown ? crown : Math.max(1, crown)) : g);
    const behind = atHeight.map(cap);
    const facing = sidesAtMostCrown ? behind : atHeight;
    for (let k = 0; k < base.length; k++) {
      const b = bins[k];
      if (rim[b]) {
        // Skin past the model's outline: the surface seen edge-on there, no further.
        const w = smoothstep(RIM_PERP[0], RIM_PERP[1], perp[k]) * smoothstep(-RIM_BEHIND, 0, viewZ[k]);
        shape.radius[k] = base[k] * (1 + (Math.min(RIM_GAIN_MAX, gain[b]) - 1) * w);
        continue;
      }
      const h = Math.round(((height[k] + 1) / 2) * (HEIGHT_SAMPLES - 1));
      const g = perp[k] * gain[b] + (1 - perp[k]) * (viewZ[k] > 0 ? facing[h] : behind[h]);
      // Towards the camera the matte says little about depth: damp the gain on the front half.
      const fr = Math.max(0, viewZ[k]);
      const eff = 1 + (g - 1) * (1 - 0.6 * fr * fr) * (1 - shape.faceWeight[k]);
      shape.radius[k] = base[k] * eff;
    }
  };
  for (let it = 0; it < iterations; it++) {
    apply();
    const reach = new Float32Array(ANGLE_BINS);
    for (let i = 0; i <= nTheta; i++) {
      for (let j = 0; j < nPhi; j++) {
        const theta = (Math.PI * i) / nTheta;
        const phi = -Math.PI + (2 * Math.PI * j) / nPhi;
        const r = radiusAt(shape, theta, phi);
        const d = direction(theta, phi);
        const [u, v] = headToPixel(shape, [d[0] * r, d[1] * r, d[2] * r]);
        const b = angleBin(u - u0, v - v0);
        reach[b] = Math.max(reach[b], Math.hypot(u - u0, v - v0));
      }
    }
    const next = new Float32Array(ANGLE_BINS);
    for (let b = 0; b < ANGLE_BINS; b++) {
      if (it === 0 && rim[b] && !(reach[b] > 0 && target[b] <= RIM_GAIN_MAX * reach[b])) rim[b] = 0;
      const ratio = (valid[b] || rim[b]) && reach[b] > 0 && target[b] > 0 ? target[b] / reach[b] : 1;
      next[b] = Math.min(gainMax, Math.max(gainMin, gain[b] * ratio));
    }
    gain = smoothBins(next, 2);
  }
  apply();
  return gain;
}
