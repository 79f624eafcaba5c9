/**
 * The whole head as a radial function r(theta, phi) around a head centre, in the head frame H
 * (landmarks.ts), pixel units:
 *   direction(theta, phi) = (sin t sin p, cos t, sin t cos p): theta from the crown (+y) down, phi
 *   around +y with 0 = the face (+z) and +pi/2 = the subject's left (+x).
 * Three sources, blended smoothly:
 *   - the face: the landmarks' height field (face-surface.ts), weight fading out at the face outline;
 *   - a cranium prior: an ellipsoid from anthropometric ratios of the face width W
 *     (breadth 1.1 W, length 1.3 x breadth, crown 0.8 x breadth above the eyes);
 *   - the silhouette: outside the face, the prior is scaled per image-plane angle so that its outline
 *     in the portrait matches the head matte (hair volume), see silhouette.ts.
 * Grid layout: radius[(i * (nPhi + 1)) + j], theta_i = pi i / nTheta, phi_j = -pi + 2 pi j / nPhi
 * (column nPhi repeats column 0, so meshes can carry the texture seam).
 */
import type { Vec3 } from '../../../shared/camera';
import { buildFaceSurface, sampleFace, type FaceSurface } from './face-surface';
import { estimateHeadAxes, fromHead, landmarkG, LM, MIDLINE, toHead, type HeadFrame } from './landmarks';

export interface CraniumPrior {
  /** Half breadth (x), crown height above the centre, depth below it, half length front/back. */
  a: number;
  bTop: number;
  bBottom: number;
  cFront: number;
  cBack: number;
}

export interface HeadShape {
  frame: HeadFrame;
  /** Face width (landmarks 234-454) in pixels; the unit of every prior. */
  faceWidth: number;
  prior: CraniumPrior;
  face: FaceSurface | null;
  /** Landmarks 0..477 in H (empty without a face). */
  landmarksH: Vec3[];
  nTheta: number;
  nPhi: number;
  radius: Float32Array;
  /**
   * How much of each radius is skin the outline fit must not scale (0..1; same layout as radius): the
   * face surface, and on a head fitted to a profile its ears too.
   */
  faceWeight: Float32Array;
}

export function direction(theta: number, phi: number): Vec3 {
  const s = Math.sin(theta);
  return [s * Math.sin(phi), Math.cos(theta), s * Math.cos(phi)];
}

export function priorRadius(p: CraniumPrior, d: Vec3): number {
  const b = d[1] >= 0 ? p.bTop : p.bBottom;
  const c = d[2] >= 0 ? p.cFront : p.cBack;
  return 1 / Math.sqrt((d[0] / p.a) ** 2 + (d[1] / b) ** 2 + (d[2] / c) ** 2);
}

/** The cranium's proportions for a face `faceWidth` wide: a head 1.1 face widths broad. */
export function craniumPrior(faceWidth: number): CraniumPrior {
  const breadth = 1.1 * faceWidth;
  return {
    a: breadth / 2,
    bTop: 0.8 * breadth,
    bBottom: 0.72 * breadth,
    cFront: 0.65 * breadth,
    cBack: 0.65 * breadth,
  };
}

/** Head frame centred on the head, prior and face surface, from the 478 landmarks. */
export function fitHeadFromLandmarks(
  lm: Float32Array,
): Omit<HeadShape, 'nTheta' | 'nPhi' | 'radius' | 'faceWeight'> {
  const axes = estimateHeadAxes(lm);
  const count = lm.length / 3;
  const pts0: Vec3[] = [];
  for (let i = 0; i < count; i++) pts0.push(toHead(axes, landmarkG(lm, i)));
  const faceWidth = Math.abs(pts0[LM.leftCheekSide][0] - pts0[LM.rightCheekSide][0]);
  const prior = craniumPrior(faceWidth);
  const midX = MIDLINE.reduce((s, i) => s + pts0[i][0], 0) / MIDLINE.length;
  // Centre: on the midline, a little above the eyes, half a head length behind the glabella.
  const centreH: Vec3 = [midX, 0.05 * faceWidth, pts0[LM.glabella][2] - prior.cFront];
  const frame: HeadFrame = { ...axes, origin: fromHead(axes, centreH) };
  const landmarksH = pts0.map((p) => [p[0] - centreH[0], p[1] - centreH[1], p[2] - centreH[2]] as Vec3);
  const face = buildFaceSurface(landmarksH, 0.1 * faceWidth, Math.max(0.5, faceWidth / 300));
  return { frame, faceWidth, prior, face, landmarksH };
}

/**
 * Radius along d where the ray from the centre meets the face height field, and the face weight there;
 * null when the ray never crosses the face.
 */
export function faceHit(face: FaceSurface, d: Vec3, rMax: number): { r: number; w: number } | null {
  if (d[2] <= 0.05) return null;
  const s = new Float64Array(2);
  const steps = 48;
  let prevT = -1;
  for (let k = 0; k <= steps; k++) {
    const t = (rMax * k) / steps;
    sampleFace(face, t * d[0], t * d[1], s);
    if (Number.isNaN(s[0])) {
      prevT = -1;
      continue;
    }
    const g = t * d[2] - s[0];
    if (g >= 0) {
      if (prevT < 0) return { r: t, w: s[1] };
      // Bisection between prevT (below the surface) and t (above it).
      let lo = prevT;
      let hi = t;
      for (let it = 0; it < 20; it++) {
        const mid = (lo + hi) / 2;
        sampleFace(face, mid * d[0], mid * d[1], s);
        if (Number.isNaN(s[0]) || mid * d[2] - s[0] >= 0) hi = mid;
        else lo = mid;
      }
      sampleFace(face, hi * d[0], hi * d[1], s);
      return { r: hi, w: Number.isNaN(s[0]) ? 0 : s[1] };
    }
    prevT = t;
  }
  return null;
}

/** Fill radius/faceWeight with the face + prior blend (no silhouette scaling yet). */
export function baseRadii(shape: Omit<HeadShape, 'radius' | 'faceWeight'>): {
  radius: Float32Array;
  faceWeight: Float32Array;
} {
  const { nTheta, nPhi, prior, face } = shape;
  const radius = new Float32Array((nTheta + 1) * (nPhi + 1));
  const faceWeight = new Float32Array(radius.length);
  const rMax = 2 * Math.max(prior.a, prior.bTop, prior.cFront);
  for (let i = 0; i <= nTheta; i++) {
    const theta = (Math.PI * i) / nTheta;
    for (let j = 0; j <= nPhi; j++) {
      const phi = -Math.PI + (2 * Math.PI * (j % nPhi)) / nPhi;
      const d = direction(theta, phi);
      const rp = priorRadius(prior, d);
      let r = rp;
      let w = 0;
      const hit = face ? faceHit(face, d, rMax) : null;
      if (hit) {
        w = hit.w;
        r = rp + (hit.r - rp) * w;
      }
      radius[i * (nPhi + 1) + j] = r;
      faceWeight[i * (nPhi + 1) + j] = w;
    }
  }
  return { radius, faceWeight };
}

/** Bilinear radius at (theta, phi) from the grid. */
export function radiusAt(
  shape: Pick<HeadShape, 'nTheta' | 'nPhi' | 'radius'>,
  theta: number,
  phi: number,
): number {
  return gridValueAt(shape, shape.radius, theta, phi);
}

/**
 * Bilinear value at (theta, phi) of a per-vertex array laid out as the radial grid (`radius`'s
 * layout: (nTheta + 1) rows of nPhi + 1 columns, phi = -pi at column 0).
 */
export function gridValueAt(
  shape: Pick<HeadShape, 'nTheta' | 'nPhi'>,
  values: Float32Array,
  theta: number,
  phi: number,
): number {
  const { nTheta, nPhi } = shape;
  const y = Math.min(nTheta, Math.max(0, (theta / Math.PI) * nTheta));
  let x = ((phi + Math.PI) / (2 * Math.PI)) * nPhi;
  x = ((x % nPhi) + nPhi) % nPhi;
  const i = Math.min(nTheta - 1, Math.floor(y));
  const j = Math.floor(x);
  const fy = y - i;
  const fx = x - j;
  const W = nPhi + 1;
  return (
    (values[i * W + j] * (1 - fx) + values[i * W + j + 1] * fx) * (1 - fy) +
    (values[(i + 1) * W + j] * (1 - fx) + values[(i + 1) * W + j + 1] * fx) * fy
  );
}
