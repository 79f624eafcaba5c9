/**
 * Software z-buffer rasterizer producing a visibility buffer: per pixel the nearest triangle, its
 * camera depth and its perspective-correct barycentric coordinates. Shading (texture lookups, any
 * per-vertex attribute) is a separate pass over this buffer, so one rasterization serves colour,
 * depth and alpha alike.
 *
 * Conventions: RasterCamera from src/shared/camera.ts (OpenCV axes, pixel centres at integer + 0.5).
 * A pixel is covered when its centre lies inside the projected triangle (edges inclusive).
 * Triangles with any vertex closer than camera.near are skipped (no near-plane clipping: the callers
 * render closed objects from orbit cameras that never get that close).
 */
import type { RasterCamera } from '../camera';

/**
 * All arrays are [height * width], row-major from the top-left pixel.
 *   depth    camera-space z of the nearest surface, +Infinity where nothing was drawn
 *   triangle index of that triangle (into indices / 3), -1 where nothing was drawn
 *   bary1/2  perspective-correct barycentric weights of the triangle's 2nd and 3rd vertex
 *            (the 1st vertex's weight is 1 - bary1 - bary2)
 */
export interface VisibilityBuffer {
  width: number;
  height: number;
  depth: Float32Array;
  triangle: Int32Array;
  bary1: Float32Array;
  bary2: Float32Array;
}

export function createVisibilityBuffer(width: number, height: number): VisibilityBuffer {
  const n = width * height;
  const buf: VisibilityBuffer = {
    width,
    height,
    depth: new Float32Array(n),
    triangle: new Int32Array(n),
    bary1: new Float32Array(n),
    bary2: new Float32Array(n),
  };
  clearVisibilityBuffer(buf);
  return buf;
}

export function clearVisibilityBuffer(buf: VisibilityBuffer): void {
  buf.depth.fill(Infinity);
  buf.triangle.fill(-1);
  buf.bary1.fill(0);
  buf.bary2.fill(0);
}

/**
 * Rasterize `indices` triangles of `positions` (Float32Array [V*3], world) into `buf` (cleared first
 * unless `accumulate`). Returns the buffer.
 */
export function rasterizeTriangles(
  positions: Float32Array,
  indices: Uint32Array,
  camera: RasterCamera,
  buf: VisibilityBuffer = createVisibilityBuffer(camera.width, camera.height),
  accumulate = false,
): VisibilityBuffer {
  if (buf.width !== camera.width || buf.height !== camera.height) {
    throw new RangeError(`buffer ${buf.width}x${buf.height} does not match camera ${camera.width}x${camera.height}`);
  }
  if (!accumulate) clearVisibilityBuffer(buf);
  const nv = positions.length / 3;
  // Per vertex: pixel x, pixel y, camera z.
  const sx = new Float64Array(nv);
  const sy = new Float64Array(nv);
  const sz = new Float64Array(nv);
  const m = camera.worldToCamera;
  for (let i = 0; i < nv; i++) {
    const x = positions[i * 3];
    const y = positions[i * 3 + 1];
    const z = positions[i * 3 + 2];
    const cx = m[0] * x + m[1] * y + m[2] * z + m[3];
    const cy = m[4] * x + m[5] * y + m[6] * z + m[7];
    const cz = m[8] * x + m[9] * y + m[10] * z + m[11];
    sz[i] = cz;
    sx[i] = camera.fx * (cx / cz) + camera.cx;
    sy[i] = camera.fy * (cy / cz) + camera.cy;
  }
  const W = buf.width;
  const H = buf.height;
  const depth = buf.depth;
  const tri = buf.triangle;
  const b1 = buf.bary1;
  const b2 = buf.bary2;
  const near = camera.near;
  const nt = indices.length / 3;
  for (let t = 0; t < nt; t++) {
    const i0 = indices[t * 3];
    const i1 = indices[t * 3 + 1];
    const i2 = indices[t * 3 + 2];
    const z0 = sz[i0];
    const z1 = sz[i1];
    const z2 = sz[i2];
    if (z0 < near || z1 < near || z2 < near) continue;
    const x0 = sx[i0];
    const y0 = sy[i0];
    const x1 = sx[i1];
    const y1 = sy[i1];
    const x2 = sx[i2];
    const y2 = sy[i2];
    const area = (x1 - x0) * (y2 - y0) - (x2 - x0) * (y1 - y0);
    if (area === 0 || !Number.isFinite(area)) continue;
    const minX = Math.max(0, Math.ceil(Math.min(x0, x1, x2) - 0.5));
    const maxX = Math.min(W - 1, Math.floor(Math.max(x0, x1, x2) - 0.5));
    const minY = Math.max(0, Math.ceil(Math.min(y0, y1, y2) - 0.5));
    const maxY = Math.min(H - 1, Math.floor(Math.max(y0, y1, y2) - 0.5));
    if (minX > maxX || minY > maxY) continue;
    const invArea = 1 / area;
    const iz0 = 1 / z0;
    const iz1 = 1 / z1;
    const iz2 = 1 / z2;
    for (let py = minY; py <= maxY; py++) {
      const cy = py + 0.5;
      for (let px = minX; px <= maxX; px++) {
        const cx = px + 0.5;
        // Screen-space barycentrics via edge functions (sign-normalised by the area).
        const l1 = ((cx - x0) * (y2 - y0) - (x2 - x0) * (cy - y0)) * invArea;
        const l2 = ((x1 - x0) * (cy - y0) - (cx - x0) * (y1 - y0)) * invArea;
        const l0 = 1 - l1 - l2;
        if (l0 < 0 || l1 < 0 || l2 < 0) continue;
        // Perspective correction: attributes are linear in 1/z-weighted screen barycentrics.
        const w0 = l0 * iz0;
        const w1 = l1 * iz1;
        const w2 = l2 * iz2;
        const zinv = w0 + w1 + w2;
        const z = 1 / zinv;
        const p = py * W + px;
        if (z >= depth[p]) continue;
        depth[p] = z;
        tri[p] = t;
        b1[p] = w1 * z;
        b2[p] = w2 * z;
      }
    }
  }
  return buf;
}
