/**
 * Where the hair ends on the head, measured in the portrait and carried round the parts it never
 * shows.
 *
 * All heights are head-frame y in pixels (up along the face, landmarks.ts frame H); a frame maps crop
 * pixel (u, v) to G = (u - 256, 256 - v) and H = (G - origin) . axes.
 *
 * - lowestHairY: how long the hair is (the lowest hair the portrait shows): the back of the head
 *   follows it, and hair below the chin hangs.
 * - sideHairY: how low the hair comes beside the face on each side. A short cut ends above the ear
 *   at the temple; hair over the ears or hanging beside the face comes lower. The portrait shows the
 *   hair at the sides of the head edge-on, so this is the one measure of a short cut at the sides.
 * - hairlineAt: the hair's lower edge at a given azimuth round the head: the side's measure at the
 *   ears, going down behind the ears to the nape prior at the back (a short cut leaves skin behind
 *   and below the ear; it was hair down to the nape all round from 90 degrees on).
 * - profileSideHairY: sideHairY for a profile, whose near side the portrait shows face-on.
 * - hangHair: the head's shape for long hair, a curtain down to the lowest hair at the back.
 * - endVolumeAtHairline: the hair's volume round the skull ends where the hair does.
 */
import { REGION } from '../../../shared/contracts/preprocess';
import { direction, type HeadShape } from './head-model';
import { CROP, type HeadFrame } from './landmarks';
import { smoothstep } from '../../../shared/smoothstep';

/**
 * Least hair below the chin (face widths squared) that is hair hanging there: two strands 0.1 face
 * widths wide a quarter of a face width long. Long hair on the fixture portraits shows 0.38; the neck's
 * shadow beside the jaw, labelled hair, under 0.01.
 */
const HANGING_HAIR_MIN_AREA = 0.05;
/** Hair pixels farther than this from the face's centre line (face widths) are beside the face. */
const BESIDE_FACE = 0.55;
/** How far forward of the ear a profile's hair still counts as beside the face (face widths): the temple. */
const SIDE_BAND_FORWARD = 0.15;
/** Fewest hair pixels beside the face on a side for its measure to count. */
const MIN_SIDE_PIXELS = 40;
/** Percentile of the side hair's heights taken as its lowest (stray labels do not count). */
const SIDE_PERCENTILE = 0.02;
/**
 * cos of the azimuths over which the hairline goes down from the ears' height to the nape: from the
 * back of the ear (about 95 degrees from the face) to 130 degrees (a short cut's hairline curves
 * round the ear and drops to the nape's height behind it).
 */
const EAR_BACK = -0.09;
const NAPE_FROM = -0.64;
/** cos of 165 degrees: from here round the back the hair continues below the nape prior. */
const BACK_FROM = -0.97;

/**
 * Head-frame (x, y, z) of crop pixel (u, v) as far as the image plane shows them: each axis's
 * in-image component (a frontal face shows x and y, a profile y and z; the depth the image lacks is 0).
 */
function toHeadXYZ(frame: HeadFrame, u: number, v: number): [number, number, number] {
  const gx = u - CROP / 2 - frame.origin[0];
  const gy = CROP / 2 - v - frame.origin[1];
  return [
    gx * frame.xAxis[0] + gy * frame.xAxis[1],
    gx * frame.yAxis[0] + gy * frame.yAxis[1],
    gx * frame.zAxis[0] + gy * frame.zAxis[1],
  ];
}

/** Calls `visit` with the head-frame (x, y, z) of every confident hair pixel (in the matte) of the crop. */
function forEachHairPixel(
  matte: Float32Array,
  regions: Uint8Array,
  frame: HeadFrame,
  visit: (x: number, y: number, z: number) => void,
): void {
  for (let v = 0; v < CROP; v++) {
    for (let u = 0; u < CROP; u++) {
      const i = v * CROP + u;
      if (regions[i] !== REGION.hair || matte[i] < 0.5) continue;
      const [x, y, z] = toHeadXYZ(frame, u, v);
      visit(x, y, z);
    }
  }
}

/** The `share` lower percentile of `values` (sorted in place), or undefined under `min` values. */
function lowPercentile(values: number[], share: number, min: number): number | undefined {
  if (values.length < min) return undefined;
  values.sort((a, b) => a - b);
  return values[Math.floor(share * values.length)];
}

/**
 * Head-frame height (pixels) of the lowest hair in the portrait (the 1st percentile of the hair
 * pixels' heights, so a few stray labels do not count), measured along the head's up axis: how long
 * the hair is, which the back of the head then follows. Undefined under 50 hair pixels.
 * Hair below the chin counts only when there is a curtain of it (HANGING_HAIR_MIN_AREA): a sliver of
 * "hair" there is the neck's shadow beside the jaw, which a camera above the head shows below the
 * chin's line (a short cut seen from 20 degrees above was read as hair hanging to the collar).
 */
export function lowestHairY(
  matte: Float32Array,
  regions: Uint8Array,
  frame: HeadFrame,
  chinY: number,
  faceWidth: number,
): number | undefined {
  const ys: number[] = [];
  let below = 0;
  forEachHairPixel(matte, regions, frame, (x, y, z) => {
    // Below the chin hair hangs beside and behind the neck; "hair" under the chin (near the midline
    // and in front of the nape) is the neck's shadow or a beard, which says nothing about the length
    // at the back.
    if (y < chinY && Math.abs(x) < 0.4 * faceWidth && z > -0.3 * faceWidth) return;
    if (y < chinY) below++;
    ys.push(y);
  });
  if (below < HANGING_HAIR_MIN_AREA * faceWidth * faceWidth)
    return lowPercentile(
      ys.filter((y) => y >= chinY),
      0.01,
      50,
    );
  return lowPercentile(ys, 0.01, 50);
}

/**
 * Per side of the head [subject's right (image left for a frontal face), subject's left]: the
 * head-frame height of the lowest hair beside the face (|x| > BESIDE_FACE face widths) above the
 * chin; undefined where a side shows too little hair to say (a profile's far side, a bald head).
 */
export function sideHairY(
  matte: Float32Array,
  regions: Uint8Array,
  frame: HeadFrame,
  chinY: number,
  faceWidth: number,
): [number | undefined, number | undefined] {
  const ys: [number[], number[]] = [[], []];
  forEachHairPixel(matte, regions, frame, (x, y) => {
    if (y >= chinY && Math.abs(x) >= BESIDE_FACE * faceWidth) ys[x < 0 ? 0 : 1].push(y);
  });
  return [
    lowPercentile(ys[0], SIDE_PERCENTILE, MIN_SIDE_PIXELS),
    lowPercentile(ys[1], SIDE_PERCENTILE, MIN_SIDE_PIXELS),
  ];
}

/**
 * sideHairY for a profile (the head's forward axis in the image plane): the portrait shows the near
 * side of the head face-on, so the hair beside the face is the hair over the ear's front-back band
 * (`earZ`, head-frame z, widened forward to the temple by SIDE_BAND_FORWARD face widths). Its lowest
 * point stands for both sides (the far side is hidden: the head's left-right symmetry).
 */
export function profileSideHairY(
  matte: Float32Array,
  regions: Uint8Array,
  frame: HeadFrame,
  chinY: number,
  faceWidth: number,
  earZ: readonly [number, number],
): [number | undefined, number | undefined] {
  const ys: number[] = [];
  const z0 = earZ[0];
  const z1 = earZ[1] + SIDE_BAND_FORWARD * faceWidth;
  forEachHairPixel(matte, regions, frame, (_x, y, z) => {
    if (y >= chinY && z >= z0 && z <= z1) ys.push(y);
  });
  const low = lowPercentile(ys, SIDE_PERCENTILE, MIN_SIDE_PIXELS);
  return [low, low];
}

/**
 * Face widths below and above the hairline over which the hair's volume tapers to the skin: a cut's
 * edge is thin, and the outline's volume is measured above it.
 */
const VOLUME_TAPER: [number, number] = [0.05, 0.12];

/**
 * The hair's volume ends at the hairline (hairlineAt, the one the texture paints; at the back the
 * lower of it and the lowest hair the portrait shows, `lowestY`): below it the head is the fitted
 * skin (`skin`, the radii before the outline fit), tapering in about it (VOLUME_TAPER). Without this
 * the outline's hair volume went on down the nape and neck (a profile's back-of-head volume became a
 * bag round the nape in the back view) and hid ears a short cut shows.
 */
export function endVolumeAtHairline(
  shape: HeadShape,
  skin: Float32Array,
  line: Hairline,
  lowestY: number | undefined,
  faceWidth: number,
): void {
  const { nTheta, nPhi, radius } = shape;
  const W = nPhi + 1;
  for (let j = 0; j <= nPhi; j++) {
    const phi = -Math.PI + (2 * Math.PI * (j % nPhi)) / nPhi;
    const line0 = hairlineAt(line, phi);
    const edge = lowestY === undefined ? line0 : line0 + (Math.min(line0, lowestY) - line0) * backOfHead(phi);
    for (let i = 0; i <= nTheta; i++) {
      const k = i * W + j;
      const y = skin[k] * direction((Math.PI * i) / nTheta, phi)[1];
      const w = smoothstep(edge - VOLUME_TAPER[0] * faceWidth, edge + VOLUME_TAPER[1] * faceWidth, y);
      radius[k] = skin[k] + (radius[k] - skin[k]) * w;
    }
  }
}

export interface Hairline {
  /** The hair's lower edge at the back of the head: the nape prior, or long hair's lowest hair. */
  napeY: number;
  /** sideHairY's measures [subject's right, subject's left]. */
  sideY: readonly [number | undefined, number | undefined];
}

/**
 * The hair's lower edge (head-frame y) at azimuth phi (0 = the face, +pi/2 = the subject's left,
 * head-model.ts direction()): at and in front of the ears the side's measure (never below the nape
 * prior, so long hair keeps it), from the ears to the back blending down to the nape prior.
 */
export function hairlineAt(line: Hairline, phi: number): number {
  const side = line.sideY[Math.sin(phi) < 0 ? 0 : 1];
  const sideLine = side === undefined ? line.napeY : Math.max(line.napeY, side);
  const towardsBack = behindEars(phi);
  return sideLine * (1 - towardsBack) + line.napeY * towardsBack;
}

/** 0 at and in front of the ears, 1 from 130 degrees round the back (phi as in hairlineAt). */
export function behindEars(phi: number): number {
  return smoothstep(EAR_BACK, NAPE_FROM, Math.cos(phi));
}

/**
 * 0 up to 130 degrees from the face, 1 from 165 degrees: the back of the head proper, where hair the
 * sides show below the nape prior is continued (phi as in hairlineAt).
 */
export function backOfHead(phi: number): number {
  return smoothstep(NAPE_FROM, BACK_FROM, Math.cos(phi));
}

/**
 * Long hair hangs: where the portrait shows hair below the chin (`bottomY`, head-frame y, pixels),
 * the back and the sides (from ~63 degrees from the face, whole from 90) continue straight down from
 * the skull's widest horizontal extent as a curtain to that length, instead of ending with the skull
 * at the nape. Whole only from 100 degrees, the curtain beside the ears was two-thirds of itself and
 * ended near the jaw: from the front the hair the portrait shows beside the neck had nothing under
 * it. Modifies `shape.radius` in place; the front (face, neck, chest) keeps its radii.
 */
export function hangHair(shape: HeadShape, bottomY: number): void {
  const { nTheta, nPhi, radius } = shape;
  const W = nPhi + 1;
  for (let j = 0; j <= nPhi; j++) {
    const phi = -Math.PI + (2 * Math.PI * (j % nPhi)) / nPhi;
    const back = smoothstep(0.45, 0, Math.cos(phi));
    if (back <= 0) continue;
    // The skull's widest horizontal reach on this meridian at or above the ears, and its height.
    let reach = 0;
    let reachY = 0;
    for (let i = 0; i <= nTheta; i++) {
      const d = direction((Math.PI * i) / nTheta, phi);
      if (d[1] < -0.2) break;
      const r = radius[i * W + j] * Math.hypot(d[0], d[2]);
      if (r > reach) {
        reach = r;
        reachY = radius[i * W + j] * d[1];
      }
    }
    for (let i = 0; i <= nTheta; i++) {
      const d = direction((Math.PI * i) / nTheta, phi);
      if (d[1] >= 0) continue;
      const horiz = Math.hypot(d[0], d[2]);
      const curtain = Math.min(horiz > 1e-6 ? reach / horiz : Infinity, bottomY / d[1]);
      // The curtain falls from the widest point: above its height the hair is the head's own (hair
      // that flares below the equator put the curtain's top edge at the equator, a step out of the
      // head's outline under the temples).
      if (curtain * d[1] > reachY) continue;
      const k = i * W + j;
      if (curtain > radius[k]) radius[k] += (curtain - radius[k]) * back;
    }
  }
}
