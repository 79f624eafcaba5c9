/**
 * Slow, obviously correct reference rasterizer (double precision, per pixel). The native addon must agree
 * with it (tests/raster). Semantics, per pixel centre (x + 0.5, y + 0.5):
 *   candidates = Gaussians whose touched-tile square contains the pixel's 16x16 tile, sorted by depth
 *   (ties by index); for each: power = -0.5 (a dx^2 + c dy^2) - b dx dy (skip if > 0),
 *   alpha = min(0.99, opacity * exp(power)), skip alpha < 1/255, stop before T * (1 - alpha) < 1e-4;
 *   rgb = sum colour_i alpha_i T_i + T_final * background, alpha = 1 - T_final, depth = sum z_i alpha_i T_i.
 */
import type { RasterCamera } from '../camera';
import type { GaussianCloud } from '../gaussians/cloud';
import { projectGaussian, type ProjectedGaussian } from './project';
import { RASTER, type RenderOptions, type RenderResult } from './types';

export function referenceRender(cloud: GaussianCloud, cam: RasterCamera, opts: RenderOptions = {}): RenderResult<Float64Array> {
  const { width: W, height: H } = cam;
  const bg = opts.background ?? [1, 1, 1];
  const degree = opts.shDegree ?? cloud.shDegree;
  const projected: ProjectedGaussian[] = [];
  for (let i = 0; i < cloud.count; i++) {
    const g = projectGaussian(cloud, i, cam, degree);
    if (g) projected.push(g);
  }
  projected.sort((a, b) => a.depth - b.depth || a.index - b.index);

  const rgb = new Float64Array(W * H * 3);
  const alpha = new Float64Array(W * H);
  const depth = new Float64Array(W * H);
  for (let py = 0; py < H; py++) {
    for (let px = 0; px < W; px++) {
      const tx = Math.floor(px / RASTER.tileSize);
      const ty = Math.floor(py / RASTER.tileSize);
      let T = 1;
      const acc = [0, 0, 0];
      let z = 0;
      for (const g of projected) {
        if (tx < g.tiles[0] || tx >= g.tiles[2] || ty < g.tiles[1] || ty >= g.tiles[3]) continue;
        const dx = px + 0.5 - g.mean[0];
        const dy = py + 0.5 - g.mean[1];
        const power = -0.5 * (g.conic[0] * dx * dx + g.conic[2] * dy * dy) - g.conic[1] * dx * dy;
        if (power > 0) continue;
        const a = Math.min(RASTER.maxAlpha, g.opacity * Math.exp(power));
        if (a < RASTER.minAlpha) continue;
        const nextT = T * (1 - a);
        if (nextT < RASTER.minTransmittance) break;
        for (let c = 0; c < 3; c++) acc[c] += g.color[c] * a * T;
        z += g.depth * a * T;
        T = nextT;
      }
      const p = py * W + px;
      for (let c = 0; c < 3; c++) rgb[p * 3 + c] = acc[c] + T * bg[c];
      alpha[p] = 1 - T;
      depth[p] = z;
    }
  }
  return { width: W, height: H, rgb, alpha, ...(opts.withDepth ? { depth } : {}) };
}
