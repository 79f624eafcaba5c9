/**
 * What the run's views show at a point of the head mesh: each view's depth buffer of the mesh (so a
 * view where the mesh hides the point does not count), and the facing-weighted colour of the views
 * that see it (max(0, n . to-camera)^4: the head-on view dominates, grazing views barely count).
 */
import type { RasterCamera } from '../../shared/camera';
import type { RgbaImage } from '../../shared/image';
import { rasterizeTriangles } from '../../shared/mesh/rasterize';
import type { HeadMesh } from './head-mesh';

/** Minimum view alpha (0..255) for a sample. */
const MIN_ALPHA = 128;

export interface BakeView {
  image: RgbaImage;
  camera: RasterCamera;
}

function sampleView(img: RgbaImage, x: number, y: number, out: Float32Array): boolean {
  const { width: W, height: H, data } = img;
  const fx = Math.min(Math.max(x - 0.5, 0), W - 1);
  const fy = Math.min(Math.max(y - 0.5, 0), H - 1);
  const x0 = Math.floor(fx);
  const y0 = Math.floor(fy);
  const x1 = Math.min(x0 + 1, W - 1);
  const y1 = Math.min(y0 + 1, H - 1);
  const tx = fx - x0;
  const ty = fy - y0;
  const w00 = (1 - tx) * (1 - ty);
  const w10 = tx * (1 - ty);
  const w01 = (1 - tx) * ty;
  const w11 = tx * ty;
  const o00 = (y0 * W + x0) * 4;
  const o10 = (y0 * W + x1) * 4;
  const o01 = (y1 * W + x0) * 4;
  const o11 = (y1 * W + x1) * 4;
  const a = data[o00 + 3] * w00 + data[o10 + 3] * w10 + data[o01 + 3] * w01 + data[o11 + 3] * w11;
  if (a < MIN_ALPHA) return false;
  for (let k = 0; k < 3; k++)
    out[k] = data[o00 + k] * w00 + data[o10 + k] * w10 + data[o01 + k] * w01 + data[o11 + k] * w11;
  return true;
}

export interface Projector {
  cam: RasterCamera;
  depth: Float32Array;
  centre: [number, number, number];
}

export function projectors(mesh: HeadMesh, views: BakeView[]): Projector[] {
  return views.map((v) => {
    const buf = rasterizeTriangles(mesh.posedPositions, mesh.indices, v.camera);
    const m = v.camera.worldToCamera;
    const centre: [number, number, number] = [
      -(m[0] * m[3] + m[4] * m[7] + m[8] * m[11]),
      -(m[1] * m[3] + m[5] * m[7] + m[9] * m[11]),
      -(m[2] * m[3] + m[6] * m[7] + m[10] * m[11]),
    ];
    return { cam: v.camera, depth: buf.depth, centre };
  });
}

/**
 * Colour of a surface point (world) and normal from the views: facing-weighted average over the views
 * that see it, or false when none does. `tol`: depth tolerance (world units) of the self-occlusion test.
 */
export function viewColour(
  views: BakeView[],
  proj: Projector[],
  p: [number, number, number],
  n: [number, number, number],
  tol: number,
  out: Float32Array,
  tmp: Float32Array,
): boolean {
  let r = 0;
  let g = 0;
  let b = 0;
  let ws = 0;
  for (let k = 0; k < views.length; k++) {
    const { cam, depth, centre } = proj[k];
    const dx = centre[0] - p[0];
    const dy = centre[1] - p[1];
    const dz = centre[2] - p[2];
    // (Math.hypot is several times slower than sqrt in V8: this loop runs 16 times per texel.)
    const facing = (n[0] * dx + n[1] * dy + n[2] * dz) / Math.sqrt(dx * dx + dy * dy + dz * dz);
    if (facing <= 0.05) continue;
    const m = cam.worldToCamera;
    const cz = m[8] * p[0] + m[9] * p[1] + m[10] * p[2] + m[11];
    if (cz <= cam.near) continue;
    const x = (cam.fx * (m[0] * p[0] + m[1] * p[1] + m[2] * p[2] + m[3])) / cz + cam.cx;
    const y = (cam.fy * (m[4] * p[0] + m[5] * p[1] + m[6] * p[2] + m[7])) / cz + cam.cy;
    if (x < 0 || y < 0 || x >= cam.width || y >= cam.height) continue;
    const d = depth[Math.floor(y) * cam.width + Math.floor(x)];
    if (cz > d + tol) continue;
    if (!sampleView(views[k].image, x, y, tmp)) continue;
    const f2 = facing * facing;
    const w = f2 * f2; // facing^4
    r += w * tmp[0];
    g += w * tmp[1];
    b += w * tmp[2];
    ws += w;
  }
  if (ws <= 0) return false;
  out[0] = r / ws;
  out[1] = g / ws;
  out[2] = b / ws;
  return true;
}
