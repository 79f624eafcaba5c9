/**
 * Per-pixel region labels of the framed crop (REGION values) for the weight-free multi-view backend:
 * - eyes / mouth: polygons of the face-mesh eye and outer-lip contours;
 * - skin: inside the convex hull of the face mesh; outside it, foreground pixels whose colour is
 *   closer to the face's skin colour than to the hair colour (ears, neck, forehead under thin fringe);
 * - hair: other foreground above the jaw line (and beside the face);
 * - clothing: other foreground below the chin, except hair hanging down from beside the face
 *   (hanging-hair.ts), and the garment beside the face seen from above (garment-beside-face.ts);
 * - background: matte <= 0.5.
 */
import { REGION } from '../../shared/contracts/preprocess';
import type { GrayImageF32, RgbaImage } from '../../shared/image';
import { floodFill4 } from './flood-fill';
import {
  colourFeature,
  featureDistance,
  labelHangingHair,
  type ColourFeature,
  type LabelPassInput,
} from './hanging-hair';
import { labelGarmentBesideFace } from './garment-beside-face';

/** MediaPipe face-mesh contours (index lists in drawing order). */
export const MESH_CONTOURS = {
  eyeImageLeft: [33, 7, 163, 144, 145, 153, 154, 155, 133, 173, 157, 158, 159, 160, 161, 246],
  eyeImageRight: [263, 249, 390, 373, 374, 380, 381, 382, 362, 398, 384, 385, 386, 387, 388, 466],
  lipsOuter: [61, 146, 91, 181, 84, 17, 314, 405, 321, 375, 291, 409, 270, 269, 267, 0, 37, 39, 40, 185],
} as const;
const CHIN = 152;

type Pt = [number, number];

/** Convex hull (Andrew's monotone chain), counter-clockwise in a y-down frame's math sense. */
export function convexHull(points: Pt[]): Pt[] {
  const p = [...points].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  if (p.length < 3) return p;
  const cross = (o: Pt, a: Pt, b: Pt) => (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);
  const lower: Pt[] = [];
  for (const q of p) {
    while (lower.length >= 2 && cross(lower[lower.length - 2], lower[lower.length - 1], q) <= 0) lower.pop();
    lower.push(q);
  }
  const upper: Pt[] = [];
  for (let i = p.length - 1; i >= 0; i--) {
    while (upper.length >= 2 && cross(upper[upper.length - 2], upper[upper.length - 1], p[i]) <= 0) upper.pop();
    upper.push(p[i]);
  }
  return lower.slice(0, -1).concat(upper.slice(0, -1));
}

/** Rasterise a polygon (even-odd rule, pixel centres) into `mask` [W*H] with value `label`. */
export function fillPolygon(mask: Uint8Array, width: number, height: number, poly: Pt[], label: number): void {
  if (poly.length < 3) return;
  let yMin = Infinity, yMax = -Infinity;
  for (const [, y] of poly) {
    yMin = Math.min(yMin, y);
    yMax = Math.max(yMax, y);
  }
  const xs: number[] = [];
  for (let y = Math.max(0, Math.ceil(yMin - 0.5)); y <= Math.min(height - 1, Math.floor(yMax - 0.5)); y++) {
    const yc = y + 0.5;
    xs.length = 0;
    for (let i = 0, j = poly.length - 1; i < poly.length; j = i++) {
      const [xi, yi] = poly[i], [xj, yj] = poly[j];
      if (yi > yc !== yj > yc) xs.push(xi + ((yc - yi) * (xj - xi)) / (yj - yi));
    }
    xs.sort((a, b) => a - b);
    for (let k = 0; k + 1 < xs.length; k += 2) {
      for (let x = Math.max(0, Math.ceil(xs[k] - 0.5)); x <= Math.min(width - 1, Math.floor(xs[k + 1] - 0.5)); x++) mask[y * width + x] = label;
    }
  }
}

function meshPoints(landmarks: Float32Array, idx: readonly number[]): Pt[] {
  return idx.map((i) => [landmarks[i * 3], landmarks[i * 3 + 1]]);
}

/** Labels for a crop with a face (`landmarks` in crop pixels) or without (null: hair above, clothing below the middle). */
export function labelRegions(image: RgbaImage, matte: GrayImageF32, landmarks: Float32Array | null): Uint8Array {
  const { width: W, height: H } = matte;
  const labels = new Uint8Array(W * H);
  if (!landmarks) {
    for (let i = 0; i < W * H; i++) if (matte.data[i] > 0.5) labels[i] = Math.floor(i / W) < H * 0.6 ? REGION.hair : REGION.clothing;
    return labels;
  }
  const all: Pt[] = [];
  for (let i = 0; i < 468; i++) all.push([landmarks[i * 3], landmarks[i * 3 + 1]]);
  const hull = new Uint8Array(W * H);
  fillPolygon(hull, W, H, convexHull(all), 1);
  const features = new Uint8Array(W * H);
  fillPolygon(features, W, H, meshPoints(landmarks, MESH_CONTOURS.eyeImageLeft), REGION.eyes);
  fillPolygon(features, W, H, meshPoints(landmarks, MESH_CONTOURS.eyeImageRight), REGION.eyes);
  fillPolygon(features, W, H, meshPoints(landmarks, MESH_CONTOURS.lipsOuter), REGION.mouth);

  // Colour models: mean skin colour inside the hull (minus features), mean hair colour of foreground
  // pixels above the hull's top.
  let hullTop = Infinity;
  for (const [, y] of all) hullTop = Math.min(hullTop, y);
  const skin = [0, 0, 0], hair = [0, 0, 0];
  let nSkin = 0, nHair = 0;
  for (let i = 0; i < W * H; i++) {
    if (matte.data[i] <= 0.5) continue;
    const y = Math.floor(i / W);
    const target = hull[i] && !features[i] ? skin : !hull[i] && y < hullTop ? hair : null;
    if (!target) continue;
    for (let c = 0; c < 3; c++) target[c] += image.data[i * 4 + c];
    if (target === skin) nSkin++;
    else nHair++;
  }
  for (let c = 0; c < 3; c++) {
    skin[c] /= Math.max(1, nSkin);
    hair[c] /= Math.max(1, nHair);
  }
  const chinY = landmarks[CHIN * 3 + 1];
  // Colour distance in (chromaticity, log brightness): shading changes brightness much more than
  // chromaticity, so a shadowed neck stays skin while grey or dark hair does not.
  const skinF = colourFeature(skin[0], skin[1], skin[2]);
  const hairF = colourFeature(hair[0], hair[1], hair[2]);
  const dist = (i: number, m: ColourFeature) =>
    featureDistance(colourFeature(image.data[i * 4], image.data[i * 4 + 1], image.data[i * 4 + 2]), m);
  const skinTolerance = 0.35;
  // Skin is redder than it is green, in light and in shadow (its red-green chromaticity keeps the
  // face's sign and roughly its size). Near-neutral pale hair beside a pale face is as close to the
  // face's skin in the distance above as to the hair's mean (which dark roots pull down): grey hair
  // lit on one side read as skin there, so the hair no longer framed that side of the face and its
  // long hair was not followed below the chin. A face with no such warmth (a grey drawing) has no
  // such test.
  const warmth = (r: number, g: number, b: number) => (r - g) / (r + g + b + 3);
  const faceWarmth = warmth(skin[0], skin[1], skin[2]);
  const warmEnough = (i: number) =>
    faceWarmth < MIN_FACE_WARMTH ||
    warmth(image.data[i * 4], image.data[i * 4 + 1], image.data[i * 4 + 2]) >= SKIN_WARMTH_SHARE * faceWarmth;
  for (let i = 0; i < W * H; i++) {
    if (features[i]) {
      labels[i] = features[i];
      continue;
    }
    if (matte.data[i] <= 0.5) continue;
    if (hull[i]) {
      labels[i] = REGION.skin;
      continue;
    }
    const y = Math.floor(i / W);
    const dSkin = dist(i, skinF);
    const skinLike = dSkin < skinTolerance && (nHair === 0 || dSkin < dist(i, hairF)) && warmEnough(i);
    if (skinLike) labels[i] = REGION.skin;
    else labels[i] = y <= chinY ? REGION.hair : REGION.clothing;
  }
  const eyeY = (landmarks[EYE_OUTER[0] * 3 + 1] + landmarks[EYE_OUTER[1] * 3 + 1]) / 2;
  const [lx, ly] = [landmarks[CHEEK[0] * 3], landmarks[CHEEK[0] * 3 + 1]];
  const [rx, ry] = [landmarks[CHEEK[1] * 3], landmarks[CHEEK[1] * 3 + 1]];
  const centreU = (lx + rx) / 2;
  const faceWidth = Math.hypot(rx - lx, ry - ly);
  const pass: LabelPassInput = {
    labels,
    image: image.data,
    matte: matte.data,
    width: W,
    height: H,
    chinY,
    eyeY,
    centreU,
    faceWidth,
    hairColour: hairF,
  };
  if (nHair > 0) labelGarmentBesideFace({ ...pass, skinColour: skinF });
  keepHairConnectedAbove(labels, W, H, eyeY);
  if (nHair > 0) labelHangingHair(pass);
  return labels;
}

/**
 * Skin outside the face's hull keeps at least this share of the face's own red-green warmth
 * ((r - g) / (r + g + b)); the test applies only to faces at least MIN_FACE_WARMTH warm (a pale
 * face is about 0.03, a tanned or dark one 0.05 to 0.08).
 */
const SKIN_WARMTH_SHARE = 0.25;
const MIN_FACE_WARMTH = 0.01;

/** Face-mesh points at the cheeks' outline (the face's width). */
const CHEEK = [234, 454] as const;

/** Outer eye corners: the eye line that hair on the head reaches down from. */
const EYE_OUTER = [33, 263] as const;

/**
 * Hair grows from the scalp: hair-labelled pixels below the eye line that no path of hair pixels links
 * to the hair above it are skin in shadow (the neck under the jaw, a shaded cheek edge), whose dark
 * brownish colour the colour test confuses with brown or dark hair. Hair hanging beside the face,
 * sideburns and curls are reached through the hair at the temples and the outline. Without this, a
 * short-haired man's shaded neck read as hair hanging to the jaw and his head grew a bob.
 * `labels` [W*H] is changed in place (4-connected flood fill from the hair above `eyeY`).
 */
export function keepHairConnectedAbove(labels: Uint8Array, W: number, H: number, eyeY: number): void {
  const top = Math.max(0, Math.min(H, Math.floor(eyeY)));
  const seeds: number[] = [];
  for (let i = 0; i < top * W; i++) if (labels[i] === REGION.hair) seeds.push(i);
  const reached = floodFill4(W, H, seeds, (j) => labels[j] === REGION.hair);
  for (let i = top * W; i < W * H; i++) if (labels[i] === REGION.hair && !reached[i]) labels[i] = REGION.skin;
}
