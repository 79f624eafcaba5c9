/**
 * The face as a height field in the head frame: Z(x, y) over the landmarks' frontal footprint,
 * piecewise linear over their Delaunay triangulation, plus a 0..1 weight that fades to 0 over a band
 * inside the face outline (where the face hands over to the cranium prior).
 *
 * Grid layout: row-major [rows * cols], cell (c, r) centred at x = x0 + c * step, y = y0 - r * step
 * (rows go down), head-frame pixel units. Cells outside the face hold NaN height and weight 0.
 */
import type { Vec3 } from '../../../shared/camera';
import { delaunay } from './delaunay';

export interface FaceSurface {
  x0: number;
  y0: number;
  step: number;
  cols: number;
  rows: number;
  height: Float32Array;
  weight: Float32Array;
}

/** Landmarks 0..467 (the iris points sit on the eyeball and are left out). */
export const MESH_POINT_COUNT = 468;

export function buildFaceSurface(pointsH: readonly Vec3[], featherPx: number, step = 1): FaceSurface {
  const n = Math.min(MESH_POINT_COUNT, pointsH.length);
  const xs = new Float64Array(n);
  const ys = new Float64Array(n);
  let minX = Infinity, maxX = -Infinity, minY = Infinity, maxY = -Infinity;
  for (let i = 0; i < n; i++) {
    xs[i] = pointsH[i][0];
    ys[i] = pointsH[i][1];
    minX = Math.min(minX, xs[i]);
    maxX = Math.max(maxX, xs[i]);
    minY = Math.min(minY, ys[i]);
    maxY = Math.max(maxY, ys[i]);
  }
  const tris = delaunay(xs, ys);
  const x0 = Math.floor(minX) - 2;
  const y0 = Math.ceil(maxY) + 2;
  const cols = Math.ceil((maxX - x0) / step) + 3;
  const rows = Math.ceil((y0 - minY) / step) + 3;
  const height = new Float32Array(cols * rows).fill(NaN);
  for (let t = 0; t < tris.length; t += 3) {
    const [a, b, c] = [tris[t], tris[t + 1], tris[t + 2]];
    // Triangle in grid coordinates.
    const gx = [a, b, c].map((i) => (xs[i] - x0) / step);
    const gy = [a, b, c].map((i) => (y0 - ys[i]) / step);
    const gz = [a, b, c].map((i) => pointsH[i][2]);
    const area = (gx[1] - gx[0]) * (gy[2] - gy[0]) - (gx[2] - gx[0]) * (gy[1] - gy[0]);
    if (Math.abs(area) < 1e-9) continue;
    const c0 = Math.max(0, Math.floor(Math.min(...gx)));
    const c1 = Math.min(cols - 1, Math.ceil(Math.max(...gx)));
    const r0 = Math.max(0, Math.floor(Math.min(...gy)));
    const r1 = Math.min(rows - 1, Math.ceil(Math.max(...gy)));
    for (let r = r0; r <= r1; r++) {
      for (let cc = c0; cc <= c1; cc++) {
        const l1 = ((cc - gx[0]) * (gy[2] - gy[0]) - (gx[2] - gx[0]) * (r - gy[0])) / area;
        const l2 = ((gx[1] - gx[0]) * (r - gy[0]) - (cc - gx[0]) * (gy[1] - gy[0])) / area;
        const l0 = 1 - l1 - l2;
        if (l0 < -1e-6 || l1 < -1e-6 || l2 < -1e-6) continue;
        height[r * cols + cc] = l0 * gz[0] + l1 * gz[1] + l2 * gz[2];
      }
    }
  }
  // Weight: chamfer distance (in cells) to the outside, mapped through a smoothstep over the band.
  const dist = new Float32Array(cols * rows);
  for (let i = 0; i < dist.length; i++) dist[i] = Number.isNaN(height[i]) ? 0 : 1e6;
  const D = Math.SQRT2;
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const i = r * cols + c;
      if (dist[i] === 0) continue;
      let d = dist[i];
      d = Math.min(d, c > 0 ? dist[i - 1] + 1 : 1, r > 0 ? dist[i - cols] + 1 : 1);
      d = Math.min(d, r > 0 && c > 0 ? dist[i - cols - 1] + D : D, r > 0 && c < cols - 1 ? dist[i - cols + 1] + D : D);
      dist[i] = d;
    }
  }
  for (let r = rows - 1; r >= 0; r--) {
    for (let c = cols - 1; c >= 0; c--) {
      const i = r * cols + c;
      if (dist[i] === 0) continue;
      let d = dist[i];
      d = Math.min(d, c < cols - 1 ? dist[i + 1] + 1 : 1, r < rows - 1 ? dist[i + cols] + 1 : 1);
      d = Math.min(d, r < rows - 1 && c < cols - 1 ? dist[i + cols + 1] + D : D, r < rows - 1 && c > 0 ? dist[i + cols - 1] + D : D);
      dist[i] = d;
    }
  }
  const weight = new Float32Array(cols * rows);
  const band = Math.max(1, featherPx / step);
  for (let i = 0; i < weight.length; i++) {
    const t = Math.min(1, dist[i] / band);
    weight[i] = t * t * (3 - 2 * t);
  }
  return { x0, y0, step, cols, rows, height, weight };
}

/** Bilinear lookup: [height, weight] at head-frame (x, y); weight 0 and NaN height outside. */
export function sampleFace(f: FaceSurface, x: number, y: number, out: Float64Array): void {
  const gx = (x - f.x0) / f.step;
  const gy = (f.y0 - y) / f.step;
  const c = Math.floor(gx);
  const r = Math.floor(gy);
  if (c < 0 || r < 0 || c >= f.cols - 1 || r >= f.rows - 1) {
    out[0] = NaN;
    out[1] = 0;
    return;
  }
  const fx = gx - c;
  const fy = gy - r;
  const i = r * f.cols + c;
  let h = 0;
  let hw = 0;
  let w = 0;
  for (let k = 0; k < 4; k++) {
    const idx = i + (k & 1) + (k >> 1) * f.cols;
    const wk = (k & 1 ? fx : 1 - fx) * (k >> 1 ? fy : 1 - fy);
    w += wk * f.weight[idx];
    const hv = f.height[idx];
    if (!Number.isNaN(hv)) {
      h += wk * hv;
      hw += wk;
    }
  }
  out[0] = hw > 0.5 ? h / hw : NaN;
  out[1] = hw > 0.5 ? w : 0;
}
