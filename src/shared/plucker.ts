/**
 * Plücker ray embedding of a pinhole camera, the 6 extra input channels of the LGM-style reconstructor.
 *
 * For the ray through the centre of pixel (x, y) (i.e. at (x + 0.5, y + 0.5), top-left origin):
 *   o = camera centre (world), d = unit direction (world), embedding = (o x d, d).
 * Output layout: Float32Array [6, H, W] channel-major (channels m_x m_y m_z d_x d_y d_z), the layout
 * the reconstructor's input takes after the 3 RGB channels.
 * o x d (the ray's moment) is independent of which point on the ray is used as the origin, which is
 * why the embedding identifies the ray itself.
 */
import { cameraCenter, type RasterCamera, type Vec3 } from './camera';

/** World-space unit direction of the ray through pixel coordinates (u, v) (continuous, top-left origin). */
export function rayDirection(cam: RasterCamera, u: number, v: number): Vec3 {
  const m = cam.worldToCamera;
  // Camera space (OpenCV axes: x right, y down, z forward).
  const cx = (u - cam.cx) / cam.fx;
  const cy = (v - cam.cy) / cam.fy;
  const cz = 1;
  // World = R^T * camera (R rows are m[0..2], m[4..6], m[8..10]).
  const dx = m[0] * cx + m[4] * cy + m[8] * cz;
  const dy = m[1] * cx + m[5] * cy + m[9] * cz;
  const dz = m[2] * cx + m[6] * cy + m[10] * cz;
  const n = Math.hypot(dx, dy, dz);
  return [dx / n, dy / n, dz / n];
}

/** Plücker embedding [6, H, W] of every pixel centre of `cam`. */
export function pluckerRays(cam: RasterCamera): Float32Array {
  const { width: W, height: H } = cam;
  const plane = W * H;
  const out = new Float32Array(6 * plane);
  const o = cameraCenter(cam);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const d = rayDirection(cam, x + 0.5, y + 0.5);
      const i = y * W + x;
      out[i] = o[1] * d[2] - o[2] * d[1];
      out[plane + i] = o[2] * d[0] - o[0] * d[2];
      out[2 * plane + i] = o[0] * d[1] - o[1] * d[0];
      out[3 * plane + i] = d[0];
      out[4 * plane + i] = d[1];
      out[5 * plane + i] = d[2];
    }
  }
  return out;
}
