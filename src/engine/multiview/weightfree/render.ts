/**
 * Rendering the textured proxy into any camera: z-buffer visibility (src/shared/mesh/rasterize.ts),
 * then a texture lookup per covered pixel. With `supersample` = s the view is rasterized at s x the size
 * and box-filtered down, which anti-aliases the outline into a soft alpha.
 * Output: straight RGBA, RGB white where alpha is 0 (the MultiViewResult convention).
 */
import type { RasterCamera } from '../../../shared/camera';
import { createRgba, type RgbaImage } from '../../../shared/image';
import { rasterizeTriangles, type VisibilityBuffer } from '../../../shared/mesh/rasterize';
import { sampleBilinear } from '../../../shared/mesh/texture';
import type { TriMesh } from '../../../shared/mesh/types';
import type { HeadProxy } from './proxy';

/** Texture-mapped colour of each covered pixel: Float32Array [w*h*4] straight RGBA 0..255. */
export function shadeVisibility(vis: VisibilityBuffer, mesh: TriMesh, texture: RgbaImage): Float32Array {
  const out = new Float32Array(vis.width * vis.height * 4);
  const s = new Float32Array(4);
  const { uvs, indices } = mesh;
  for (let p = 0; p < vis.triangle.length; p++) {
    const t = vis.triangle[p];
    if (t < 0) continue;
    const b1 = vis.bary1[p];
    const b2 = vis.bary2[p];
    const b0 = 1 - b1 - b2;
    const i0 = indices[t * 3] * 2;
    const i1 = indices[t * 3 + 1] * 2;
    const i2 = indices[t * 3 + 2] * 2;
    const u = b0 * uvs[i0] + b1 * uvs[i1] + b2 * uvs[i2];
    const v = b0 * uvs[i0 + 1] + b1 * uvs[i1 + 1] + b2 * uvs[i2 + 1];
    sampleBilinear(texture, u, v, true, s);
    out[p * 4] = s[0];
    out[p * 4 + 1] = s[1];
    out[p * 4 + 2] = s[2];
    out[p * 4 + 3] = 255;
  }
  return out;
}

function scaledCamera(c: RasterCamera, s: number): RasterCamera {
  return { ...c, width: c.width * s, height: c.height * s, fx: c.fx * s, fy: c.fy * s, cx: c.cx * s, cy: c.cy * s };
}

export function renderMeshView(mesh: TriMesh, texture: RgbaImage, camera: RasterCamera, supersample = 2): RgbaImage {
  const s = Math.max(1, Math.round(supersample));
  const cam = s === 1 ? camera : scaledCamera(camera, s);
  const vis = rasterizeTriangles(mesh.positions, mesh.indices, cam);
  const hi = shadeVisibility(vis, mesh, texture);
  const img = createRgba(camera.width, camera.height);
  const W = cam.width;
  const n = s * s;
  for (let y = 0; y < camera.height; y++) {
    for (let x = 0; x < camera.width; x++) {
      // Box filter with premultiplied alpha, then back to straight alpha over white.
      let r = 0, g = 0, b = 0, a = 0;
      for (let dy = 0; dy < s; dy++) {
        for (let dx = 0; dx < s; dx++) {
          const q = ((y * s + dy) * W + x * s + dx) * 4;
          const al = hi[q + 3] / 255;
          r += hi[q] * al;
          g += hi[q + 1] * al;
          b += hi[q + 2] * al;
          a += al;
        }
      }
      const o = (y * camera.width + x) * 4;
      const alpha = a / n;
      if (a > 0) {
        // Straight colour, then composite on white for the RGB channels (MultiViewResult convention).
        const sr = r / a, sg = g / a, sb = b / a;
        img.data[o] = sr * alpha + 255 * (1 - alpha);
        img.data[o + 1] = sg * alpha + 255 * (1 - alpha);
        img.data[o + 2] = sb * alpha + 255 * (1 - alpha);
      } else {
        img.data[o] = img.data[o + 1] = img.data[o + 2] = 255;
      }
      img.data[o + 3] = Math.round(alpha * 255);
    }
  }
  return img;
}

/** Render the proxy from any camera (extra views, frontal-view prediction, evaluation). */
export function renderProxyView(proxy: HeadProxy, camera: RasterCamera, supersample = 2): RgbaImage {
  return renderMeshView(proxy.mesh, proxy.texture, camera, supersample);
}
