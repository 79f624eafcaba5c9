/**
 * Facial features painted on the front of a profile head (profile.ts), where the portrait shows
 * nothing: eye sockets, eyes (sclera, iris, pupil, lash line), brows, nostrils and lips at the head's
 * landmark positions (the fitted head model's when there is one), so the head's front reads as a face.
 * Only texels that neither the portrait nor its mirror covers are painted (the seen eye and its
 * mirror stay the portrait's own).
 *
 * Every feature is a soft shape (feature-shapes.ts: coverage from the signed distance to its outline,
 * about a pixel of the portrait wide), in shades of the head's own skin: hard-edged black and white
 * eyes on a skin mask read as a doll's face from the front. Colours are the skin's, darkened or
 * tinted by fixed factors (a profile shows no iris or brow colour one could trust).
 *
 * Works on the head part of the atlas (proxy.ts layout): texel (x, y) -> direction (theta, phi) ->
 * head-frame point at the proxy radius; a feature covers the texel by the point's (x, y) (the face
 * is a height field seen from +z).
 */
import { MESH_CONTOURS } from '../../preprocess/regions';
import { direction, gridValueAt, radiusAt } from './head-model';
import { ATLAS_WIDTH, HEAD_ROWS, atlasAngle, type HeadProxy } from './proxy';
import type { ProfileFace } from './profile';
import { discCoverage, ellipseShade, polygonCoverage, polylineCoverage, type Pt } from './feature-shapes';

type Rgb = [number, number, number];

/** Brow outlines (upper edge then lower edge reversed), subject's right and left. */
const BROWS: readonly (readonly number[])[] = [
  [70, 63, 105, 66, 107, 55, 65, 52, 53, 46],
  [300, 293, 334, 296, 336, 285, 295, 282, 283, 276],
];
/** Upper lid from the outer to the inner corner (the lash line), subject's right and left. */
const UPPER_LIDS: readonly (readonly number[])[] = [
  [33, 246, 161, 160, 159, 158, 157, 173, 133],
  [263, 466, 388, 387, 386, 385, 384, 398, 362],
];
/** Eye corners and lid midpoints: [outer, inner, upper, lower], subject's right and left. */
const EYE_POINTS: readonly (readonly [number, number, number, number])[] = [
  [33, 133, 159, 145],
  [263, 362, 386, 374],
];
/**
 * The mouth's line from corner to corner: pairs of outer-contour points (upper lip, lower lip) it runs
 * between, MOUTH_SPLIT of the way down (an upper lip is thinner than the lower). The inner contour is
 * not used: on a fitted head model its landmarks lie on the closed mouth's seam only approximately.
 */
const MOUTH_PAIRS: readonly (readonly [number, number])[] = [
  [185, 146], [40, 91], [39, 181], [37, 84], [0, 17], [267, 314], [269, 405], [270, 321], [409, 375],
];
const MOUTH_CORNERS = [61, 291];
const MOUTH_SPLIT = 0.42;
/** Nostril landmarks (the alae's lower inner points), subject's right and left. */
const NOSTRILS = [79, 309];

/** Landmarks whose depth (head-frame z) scales the gnomonic coordinates: cheeks, eye corners, chin. */
const FACE_DEPTH_POINTS = [205, 425, 33, 263, 133, 362, 152, 10];

/** Edge softness of the features (head-frame pixels, those of the 512 crop). */
const SOFT = 0.9;

/** Shades of the skin (per channel factors). */
const SOCKET_SHADE = 0.86;
const SCLERA_TINT: Rgb = [206, 196, 190];
const SCLERA_MIX = 0.55;
const IRIS: Rgb = [0.36, 0.3, 0.28];
const IRIS_RIM: Rgb = [0.2, 0.16, 0.15];
const PUPIL: Rgb = [0.09, 0.07, 0.07];
const LASH: Rgb = [0.22, 0.17, 0.16];
const BROW: Rgb = [0.45, 0.38, 0.35];
const LIP: Rgb = [0.86, 0.62, 0.6];
const MOUTH: Rgb = [0.42, 0.28, 0.27];
const NOSTRIL: Rgb = [0.55, 0.42, 0.4];

const scale = (c: Rgb, k: readonly number[]): Rgb => [c[0] * k[0], c[1] * k[1], c[2] * k[2]];
const mixRgb = (a: Rgb, b: Rgb, t: number): Rgb => [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t];

interface EyeShape {
  outline: Pt[];
  lid: Pt[];
  cx: number;
  cy: number;
  width: number;
  height: number;
}

export function paintCanonicalFeatures(proxy: HeadProxy, profile: ProfileFace): void {
  const lmH = proxy.shape.landmarksH;
  if (lmH.length < 468) return;
  // Features are placed by direction from the head's centre (gnomonic coordinates scaled to the
  // face's depth, about head-frame pixels on the face): the fitted head's surface folds into the
  // parted lips and the eye sockets, where a texel's (x, y) on the surface runs back over rows
  // already passed and the mouth's line fell into the fold, unpainted, as a pale gap.
  const faceDepth = median(FACE_DEPTH_POINTS.map((i) => lmH[i][2]));
  if (!(faceDepth > 0)) return;
  const gnomonic = (x: number, y: number, z: number): Pt => [(x / z) * faceDepth, (y / z) * faceDepth];
  const pt = (i: number): Pt => gnomonic(lmH[i][0], lmH[i][1], Math.max(1e-3, lmH[i][2]));
  const poly = (idx: readonly number[]): Pt[] => idx.map(pt);
  const eyes: EyeShape[] = [MESH_CONTOURS.eyeImageLeft, MESH_CONTOURS.eyeImageRight].map((contour, k) => {
    const [outer, inner, up, down] = EYE_POINTS[k];
    return {
      outline: poly(contour),
      lid: poly(UPPER_LIDS[k]),
      cx: (pt(outer)[0] + pt(inner)[0]) / 2,
      cy: (pt(up)[1] + pt(down)[1]) / 2,
      width: Math.abs(pt(outer)[0] - pt(inner)[0]),
      height: Math.max(1, Math.abs(pt(up)[1] - pt(down)[1])),
    };
  });
  const brows = BROWS.map(poly);
  const lipsOuter = poly(MESH_CONTOURS.lipsOuter);
  const mouthLine: Pt[] = [
    pt(MOUTH_CORNERS[0]),
    ...MOUTH_PAIRS.map(([u, l]): Pt => [
      pt(u)[0] + MOUTH_SPLIT * (pt(l)[0] - pt(u)[0]),
      pt(u)[1] + MOUTH_SPLIT * (pt(l)[1] - pt(u)[1]),
    ]),
    pt(MOUTH_CORNERS[1]),
  ];
  const nostrils = NOSTRILS.map(pt);

  const px = profile.faceWidth / 180; // one portrait pixel of a 180 px face, for feature sizes
  const tex = proxy.texture.data;
  const skin = meanAround(proxy, lmH[205][0], lmH[205][1]);
  const sclera = mixRgb(skin, SCLERA_TINT, SCLERA_MIX);
  for (let y = 0; y < HEAD_ROWS; y++) {
    const theta = (Math.PI * (y + 0.5)) / HEAD_ROWS;
    for (let x = 0; x < ATLAS_WIDTH; x++) {
      const phi = atlasAngle(x);
      if (Math.abs(phi) > Math.PI / 2) continue;
      const d = direction(theta, phi);
      if (d[2] <= 0.2) continue;
      const [hx, hy] = gnomonic(d[0], d[1], d[2]);
      // Painted only where neither the texel nor its mirror came from the portrait.
      const seen = Math.max(gridValueAt(proxy.shape, proxy.projectionWeight, theta, phi), gridValueAt(proxy.shape, proxy.projectionWeight, theta, -phi));
      const paint = Math.max(0, 1 - 2 * seen);

      if (paint <= 0) continue;
      const k = (y * ATLAS_WIDTH + x) * 4;
      let c: Rgb = [tex[k], tex[k + 1], tex[k + 2]];
      const over = (colour: Rgb, a: number) => {
        if (a > 0) c = mixRgb(c, colour, a);
      };
      for (const e of eyes) {
        // The socket: a soft shadow from the lid to the brow.
        const shade = ellipseShade(hx, hy, e.cx, e.cy + 0.45 * e.height, 0.75 * e.width, 1.6 * e.height);
        if (shade > 0) c = mixRgb(c, scale(c, [SOCKET_SHADE, SOCKET_SHADE, SOCKET_SHADE]), shade);
        const inEye = polygonCoverage(hx, hy, e.outline, SOFT * px);
        if (inEye > 0) {
          over(sclera, inEye);
          const irisR = 0.22 * e.width;
          over(scale(skin, IRIS_RIM), inEye * discCoverage(hx, hy, e.cx, e.cy, irisR, SOFT * px));
          over(scale(skin, IRIS), inEye * discCoverage(hx, hy, e.cx, e.cy, 0.78 * irisR, SOFT * px));
          over(scale(skin, PUPIL), inEye * discCoverage(hx, hy, e.cx, e.cy, 0.38 * irisR, SOFT * px));
        }
        over(scale(skin, LASH), polylineCoverage(hx, hy, e.lid, 0.9 * px, SOFT * px));
      }
      for (const b of brows) over(scale(skin, BROW), 0.85 * polygonCoverage(hx, hy, b, 1.5 * SOFT * px));
      for (const [nx, ny] of nostrils) over(scale(skin, NOSTRIL), 0.7 * discCoverage(hx, hy, nx, ny, 2.2 * px, 1.5 * SOFT * px));
      over(scale(skin, LIP), 0.65 * polygonCoverage(hx, hy, lipsOuter, 1.5 * SOFT * px));
      over(scale(skin, MOUTH), 0.8 * polylineCoverage(hx, hy, mouthLine, 0.8 * px, SOFT * px));
      for (let ch = 0; ch < 3; ch++) tex[k + ch] = Math.round(tex[k + ch] * (1 - paint) + c[ch] * paint);
    }
  }
}

function median(v: number[]): number {
  const s = [...v].sort((a, b) => a - b);
  return s[s.length >> 1];
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
