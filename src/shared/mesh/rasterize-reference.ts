/**
 * Slow, obviously correct reference for rasterizeTriangles: for every pixel, cast the ray through the
 * pixel centre and intersect it with every triangle (Moller-Trumbore in camera space), keeping the
 * nearest hit. The ray's barycentrics are the perspective-correct ones by construction. O(pixels x
 * triangles): only for tests on tiny images.
 */
import type { RasterCamera } from '../camera';
import { createVisibilityBuffer, type VisibilityBuffer } from './rasterize';

export function rasterizeTrianglesReference(
  positions: Float32Array,
  indices: Uint32Array,
  camera: RasterCamera,
): VisibilityBuffer {
  const buf = createVisibilityBuffer(camera.width, camera.height);
  const m = camera.worldToCamera;
  const nv = positions.length / 3;
  const cam = new Float64Array(nv * 3);
  for (let i = 0; i < nv; i++) {
    const p = [positions[i * 3], positions[i * 3 + 1], positions[i * 3 + 2]];
    for (let r = 0; r < 3; r++) cam[i * 3 + r] = m[r * 4] * p[0] + m[r * 4 + 1] * p[1] + m[r * 4 + 2] * p[2] + m[r * 4 + 3];
  }
  const nt = indices.length / 3;
  for (let py = 0; py < camera.height; py++) {
    for (let px = 0; px < camera.width; px++) {
      // Ray from the camera centre with direction z = 1, so the hit parameter t is the camera depth.
      const d = [(px + 0.5 - camera.cx) / camera.fx, (py + 0.5 - camera.cy) / camera.fy, 1];
      for (let t = 0; t < nt; t++) {
        const a = indices[t * 3] * 3;
        const b = indices[t * 3 + 1] * 3;
        const c = indices[t * 3 + 2] * 3;
        if (cam[a + 2] < camera.near || cam[b + 2] < camera.near || cam[c + 2] < camera.near) continue;
        const e1 = [cam[b] - cam[a], cam[b + 1] - cam[a + 1], cam[b + 2] - cam[a + 2]];
        const e2 = [cam[c] - cam[a], cam[c + 1] - cam[a + 1], cam[c + 2] - cam[a + 2]];
        const pv = [d[1] * e2[2] - d[2] * e2[1], d[2] * e2[0] - d[0] * e2[2], d[0] * e2[1] - d[1] * e2[0]];
        const det = e1[0] * pv[0] + e1[1] * pv[1] + e1[2] * pv[2];
        if (Math.abs(det) < 1e-15) continue;
        const tv = [-cam[a], -cam[a + 1], -cam[a + 2]];
        const u = (tv[0] * pv[0] + tv[1] * pv[1] + tv[2] * pv[2]) / det;
        if (u < 0 || u > 1) continue;
        const qv = [tv[1] * e1[2] - tv[2] * e1[1], tv[2] * e1[0] - tv[0] * e1[2], tv[0] * e1[1] - tv[1] * e1[0]];
        const v = (d[0] * qv[0] + d[1] * qv[1] + d[2] * qv[2]) / det;
        if (v < 0 || u + v > 1) continue;
        const z = (e2[0] * qv[0] + e2[1] * qv[1] + e2[2] * qv[2]) / det;
        const p = py * camera.width + px;
        if (z <= 0 || z >= buf.depth[p]) continue;
        buf.depth[p] = z;
        buf.triangle[p] = t;
        buf.bary1[p] = u;
        buf.bary2[p] = v;
      }
    }
  }
  return buf;
}
