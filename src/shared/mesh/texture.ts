/**
 * Texture lookups for the software renderer.
 */
import type { RgbaImage } from '../image';

/**
 * Bilinear RGBA sample at texture coordinates (u, v) in [0, 1] (u right, v down; texel centres at
 * (i + 0.5) / width). u wraps around when `wrapU` (equirectangular maps), else clamps; v clamps.
 * Writes straight RGBA in [0, 255] into out[0..3].
 */
export function sampleBilinear(tex: RgbaImage, u: number, v: number, wrapU: boolean, out: Float32Array): void {
  const W = tex.width;
  const H = tex.height;
  const x = u * W - 0.5;
  const y = v * H - 0.5;
  let x0 = Math.floor(x);
  const y0f = Math.floor(y);
  const fx = x - x0;
  const fy = y - y0f;
  let x1 = x0 + 1;
  if (wrapU) {
    x0 = ((x0 % W) + W) % W;
    x1 = ((x1 % W) + W) % W;
  } else {
    x0 = Math.min(W - 1, Math.max(0, x0));
    x1 = Math.min(W - 1, Math.max(0, x1));
  }
  const y0 = Math.min(H - 1, Math.max(0, y0f));
  const y1 = Math.min(H - 1, Math.max(0, y0f + 1));
  const d = tex.data;
  const a = (y0 * W + x0) * 4;
  const b = (y0 * W + x1) * 4;
  const c = (y1 * W + x0) * 4;
  const e = (y1 * W + x1) * 4;
  const wa = (1 - fx) * (1 - fy);
  const wb = fx * (1 - fy);
  const wc = (1 - fx) * fy;
  const we = fx * fy;
  for (let k = 0; k < 4; k++) out[k] = d[a + k] * wa + d[b + k] * wb + d[c + k] * wc + d[e + k] * we;
}
