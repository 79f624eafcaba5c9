/**
 * Facial features painted on the front of a profile head (profile.ts), where the portrait shows
 * nothing: eyes (sclera, iris), brows and lips at the canonical face's landmark positions, so the
 * head's front reads as a face. Only texels that neither the portrait nor its mirror covers are
 * painted (the seen eye and its mirror stay the portrait's own).
 *
 * Works on the head part of the atlas (proxy.ts layout): texel (x, y) -> direction (theta, phi) ->
 * head-frame point at the proxy radius; a feature covers the texel when the point's (x, y) falls in
 * the feature's polygon of head-frame landmark positions (the face is a height field seen from +z).
 */
import { MESH_CONTOURS } from '../../preprocess/regions';
import { direction, radiusAt } from './head-model';
import { ATLAS_WIDTH, HEAD_ROWS, atlasAngle, type HeadProxy } from './proxy';
import type { ProfileFace } from './profile';

type Pt = [number, number];
type Rgb = [number, number, number];

/** Brow outlines (upper edge then lower edge reversed), subject's right and left. */
const BROWS: readonly (readonly number[])[] = [
  [70, 63, 105, 66, 107, 55, 65, 52, 53, 46],
  [300, 293, 334, 296, 336, 285, 295, 282, 283, 276],
];
/** Inner lip contour (the mouth's opening line). */
const LIPS_INNER = [78, 95, 88, 178, 87, 14, 317, 402, 318, 324, 308, 415, 310, 311, 312, 13, 82, 81, 80, 191];

function inside(px: number, py: number, poly: readonly Pt[]): boolean {
  let c = false;
  for (let i = 0, j = poly.length - 1; i < poly.length; j = i++) {
    const [xi, yi] = poly[i];
    const [xj, yj] = poly[j];
    if (yi > py !== yj > py && px < ((xj - xi) * (py - yi)) / (yj - yi) + xi) c = !c;
  }
  return c;
}

/** Per-vertex weight of the head grid, bilinear at (theta, phi). */
function gridWeight(proxy: HeadProxy, values: Float32Array, theta: number, phi: number): number {
  const { nTheta, nPhi } = proxy.shape;
  const y = Math.min(nTheta, Math.max(0, (theta / Math.PI) * nTheta));
  const x = (((((phi + Math.PI) / (2 * Math.PI)) * nPhi) % nPhi) + nPhi) % nPhi;
  const i = Math.min(nTheta - 1, Math.floor(y));
  const j = Math.min(nPhi - 1, Math.floor(x));
  const fy = y - i, fx = x - j;
  const W = nPhi + 1;
  return (
    (values[i * W + j] * (1 - fx) + values[i * W + j + 1] * fx) * (1 - fy) +
    (values[(i + 1) * W + j] * (1 - fx) + values[(i + 1) * W + j + 1] * fx) * fy
  );
}

export function paintCanonicalFeatures(proxy: HeadProxy, profile: ProfileFace): void {
  const lmH = proxy.shape.landmarksH;
  if (lmH.length < 468) return;
  const poly = (idx: readonly number[]): Pt[] => idx.map((i) => [lmH[i][0], lmH[i][1]]);
  const eyes = [poly(MESH_CONTOURS.eyeImageLeft), poly(MESH_CONTOURS.eyeImageRight)];
  const brows = BROWS.map(poly);
  const lipsOuter = poly(MESH_CONTOURS.lipsOuter);
  const lipsInner = poly(LIPS_INNER);
  // Iris: a disc at the eye centre, as tall as the eye opening.
  const irises = [[33, 133, 159, 145], [362, 263, 386, 374]].map(([a, b, up, down]) => ({
    cx: (lmH[a][0] + lmH[b][0]) / 2,
    cy: (lmH[up][1] + lmH[down][1]) / 2,
    r: Math.max(1, 0.5 * Math.abs(lmH[up][1] - lmH[down][1]) + 0.01 * profile.faceWidth),
  }));
  const tex = proxy.texture.data;
  // Skin reference: the atlas at the cheeks' texels is what the fill put there; lips and brows are
  // shades of it (a face reads as a face by its dark features on skin).
  const skin = meanAround(proxy, lmH[205][0], lmH[205][1]);
  const lip: Rgb = [skin[0] * 0.82, skin[1] * 0.58, skin[2] * 0.6];
  const brow: Rgb = [skin[0] * 0.3, skin[1] * 0.27, skin[2] * 0.25];
  const sclera: Rgb = [225, 220, 212];
  const iris: Rgb = [48, 36, 30];
  const mouthLine: Rgb = [skin[0] * 0.35, skin[1] * 0.2, skin[2] * 0.2];
  for (let y = 0; y < HEAD_ROWS; y++) {
    const theta = (Math.PI * (y + 0.5)) / HEAD_ROWS;
    for (let x = 0; x < ATLAS_WIDTH; x++) {
      const phi = atlasAngle(x);
      if (Math.abs(phi) > Math.PI / 2) continue;
      const d = direction(theta, phi);
      const r = radiusAt(proxy.shape, theta, phi);
      const hx = d[0] * r, hy = d[1] * r;
      let colour: Rgb | null = null;
      if (eyes.some((e) => inside(hx, hy, e))) {
        colour = irises.some((c) => Math.hypot(hx - c.cx, hy - c.cy) < c.r) ? iris : sclera;
      } else if (brows.some((b) => inside(hx, hy, b))) colour = brow;
      else if (inside(hx, hy, lipsInner)) colour = mouthLine;
      else if (inside(hx, hy, lipsOuter)) colour = lip;
      if (!colour) continue;
      // Painted only where neither the texel nor its mirror came from the portrait.
      const seen = Math.max(gridWeight(proxy, proxy.projectionWeight, theta, phi), gridWeight(proxy, proxy.projectionWeight, theta, -phi));
      const a = Math.max(0, 1 - 2 * seen);
      if (a <= 0) continue;
      const k = (y * ATLAS_WIDTH + x) * 4;
      for (let c = 0; c < 3; c++) tex[k + c] = Math.round(tex[k + c] * (1 - a) + colour[c] * a);
    }
  }
}

/** Mean atlas colour over the texels whose head-frame (x, y) lies within 6 px of (hx, hy) on the front. */
function meanAround(proxy: HeadProxy, hx: number, hy: number): Rgb {
  const tex = proxy.texture.data;
  const acc = [0, 0, 0];
  let n = 0;
  for (let y = 0; y < HEAD_ROWS; y++) {
    const theta = (Math.PI * (y + 0.5)) / HEAD_ROWS;
    for (let x = ATLAS_WIDTH / 4; x < (3 * ATLAS_WIDTH) / 4; x++) {
      const phi = atlasAngle(x);
      const d = direction(theta, phi);
      const r = radiusAt(proxy.shape, theta, phi);
      if (Math.hypot(d[0] * r - hx, d[1] * r - hy) > 6 || d[2] <= 0) continue;
      const k = (y * ATLAS_WIDTH + x) * 4;
      for (let c = 0; c < 3; c++) acc[c] += tex[k + c];
      n++;
    }
  }
  return n ? [acc[0] / n, acc[1] / n, acc[2] / n] : [190, 150, 130];
}
