/**
 * Soft 2-D shapes for painted facial features (face-paint.ts): each returns a coverage in 0..1 at a
 * point, ramping linearly across `soft` units either side of the outline (the outline itself is 0.5),
 * so a feature's edge is antialiased and as blurred as a photo's, not a hard step.
 */
import { pointInPolygon } from '../../../shared/polygon';

export type Pt = readonly [number, number];

/** Distance from (px, py) to the segment a-b. */
export function segmentDistance(px: number, py: number, a: Pt, b: Pt): number {
  const dx = b[0] - a[0], dy = b[1] - a[1];
  const len2 = dx * dx + dy * dy;
  const t = len2 > 0 ? Math.max(0, Math.min(1, ((px - a[0]) * dx + (py - a[1]) * dy) / len2)) : 0;
  return Math.hypot(px - (a[0] + t * dx), py - (a[1] + t * dy));
}


/** True when (px, py) is farther than `margin` outside the points' bounding box. */
function outsideBox(px: number, py: number, pts: readonly Pt[], margin: number): boolean {
  let x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
  for (const [x, y] of pts) {
    if (x < x0) x0 = x;
    if (x > x1) x1 = x;
    if (y < y0) y0 = y;
    if (y > y1) y1 = y;
  }
  return px < x0 - margin || px > x1 + margin || py < y0 - margin || py > y1 + margin;
}

const ramp = (signedInside: number, soft: number): number =>
  soft > 0 ? Math.max(0, Math.min(1, 0.5 + signedInside / (2 * soft))) : signedInside >= 0 ? 1 : 0;

/** Coverage of a closed polygon (signed distance to its outline, positive inside). */
export function polygonCoverage(px: number, py: number, poly: readonly Pt[], soft: number): number {
  if (poly.length < 3 || outsideBox(px, py, poly, soft)) return 0;
  let d = Infinity;
  for (let i = 0, j = poly.length - 1; i < poly.length; j = i++) d = Math.min(d, segmentDistance(px, py, poly[j], poly[i]));
  return ramp(pointInPolygon(px, py, poly) ? d : -d, soft);
}

/** Coverage of an open polyline drawn `halfWidth` thick. */
export function polylineCoverage(px: number, py: number, line: readonly Pt[], halfWidth: number, soft: number): number {
  if (line.length < 2 || outsideBox(px, py, line, halfWidth + soft)) return 0;
  let d = Infinity;
  for (let i = 1; i < line.length; i++) d = Math.min(d, segmentDistance(px, py, line[i - 1], line[i]));
  return ramp(halfWidth - d, soft);
}

/** Coverage of a disc of radius r at (cx, cy). */
export function discCoverage(px: number, py: number, cx: number, cy: number, r: number, soft: number): number {
  return ramp(r - Math.hypot(px - cx, py - cy), soft);
}

/** A smooth bump, 1 at (cx, cy) falling to 0 on the ellipse of radii (rx, ry) (a shadow, no edge). */
export function ellipseShade(px: number, py: number, cx: number, cy: number, rx: number, ry: number): number {
  const q = ((px - cx) / rx) ** 2 + ((py - cy) / ry) ** 2;
  if (q >= 1) return 0;
  const t = 1 - q;
  return t * t;
}
