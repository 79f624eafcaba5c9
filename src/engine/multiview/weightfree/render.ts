/**
 * Rendering the textured proxy into any camera: z-buffer visibility (src/shared/mesh/rasterize.ts),
 * then a texture lookup per covered pixel. With `supersample` = s the view is rasterized at s x the size
 * and box-filtered down, which anti-aliases the outline into a soft alpha.
 * Output: straight RGBA, RGB white where alpha is 0 (the MultiViewResult convention).
 */
import { scaleCamera, type RasterCamera } from '../../../shared/camera';
import { createRgba, type RgbaImage } from '../../../shared/image';
import { rasterizeTriangles, type VisibilityBuffer } from '../../../shared/mesh/rasterize';
import { sampleBilinear } from '../../../shared/mesh/texture';
import type { TriMesh } from '../../../shared/mesh/types';
import type { HeadProxy } from './proxy';

/** Optional projective texture: `image` seen by `camera`, blended in with per-vertex `weight` [V]. */
export interface ProjectiveTexture {
  image: RgbaImage;
  camera: RasterCamera;
  weight: Float32Array;
  /** Optional per-vertex [V] weight used instead of `weight` as the view approaches the input camera. */
  nearWeight?: Float32Array;
}

/** Angle (deg) between viewing directions within which `nearWeight` fades in fully / not at all. */
const NEAR_FULL_DEG = 5;
const NEAR_NONE_DEG = 25;

/** 0..1: how close `camera`'s viewing direction is to `input`'s (1 within NEAR_FULL_DEG). */
function viewCloseness(camera: RasterCamera, input: RasterCamera): number {
  const a = camera.worldToCamera;
  const b = input.worldToCamera;
  const cos = a[8] * b[8] + a[9] * b[9] + a[10] * b[10];
  const deg = (Math.acos(Math.min(1, Math.max(-1, cos))) * 180) / Math.PI;
  const t = Math.min(1, Math.max(0, (NEAR_NONE_DEG - deg) / (NEAR_NONE_DEG - NEAR_FULL_DEG)));
  return t * t * (3 - 2 * t);
}

/** Texture-mapped colour of each covered pixel: Float32Array [w*h*4] straight RGBA 0..255. */
export function shadeVisibility(
  vis: VisibilityBuffer,
  mesh: TriMesh,
  texture: RgbaImage,
  proj?: ProjectiveTexture,
  closeness = 0,
): Float32Array {
  const out = new Float32Array(vis.width * vis.height * 4);
  const s = new Float32Array(4);
  const sp = new Float32Array(4);
  const P = mesh.positions;
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
    if (proj) {
      const a = indices[t * 3],
        b = indices[t * 3 + 1],
        c = indices[t * 3 + 2];
      let w = b0 * proj.weight[a] + b1 * proj.weight[b] + b2 * proj.weight[c];
      if (proj.nearWeight && closeness > 0) {
        const wn = b0 * proj.nearWeight[a] + b1 * proj.nearWeight[b] + b2 * proj.nearWeight[c];
        w += (Math.max(w, wn) - w) * closeness;
      }
      if (w > 0.002) {
        // Surface point (world) -> the portrait's pixel.
        const x = b0 * P[a * 3] + b1 * P[b * 3] + b2 * P[c * 3];
        const y = b0 * P[a * 3 + 1] + b1 * P[b * 3 + 1] + b2 * P[c * 3 + 1];
        const z = b0 * P[a * 3 + 2] + b1 * P[b * 3 + 2] + b2 * P[c * 3 + 2];
        const m = proj.camera.worldToCamera;
        const cx = m[0] * x + m[1] * y + m[2] * z + m[3];
        const cy = m[4] * x + m[5] * y + m[6] * z + m[7];
        const cz = m[8] * x + m[9] * y + m[10] * z + m[11];
        const pu = (proj.camera.fx * (cx / cz) + proj.camera.cx) / proj.image.width;
        const pv = (proj.camera.fy * (cy / cz) + proj.camera.cy) / proj.image.height;
        sampleBilinear(proj.image, pu, pv, false, sp);
        for (let k = 0; k < 3; k++) s[k] = sp[k] * w + s[k] * (1 - w);
      }
    }
    out[p * 4] = s[0];
    out[p * 4 + 1] = s[1];
    out[p * 4 + 2] = s[2];
    out[p * 4 + 3] = 255;
  }
  return out;
}

export function renderMeshView(
  mesh: TriMesh,
  texture: RgbaImage,
  camera: RasterCamera,
  supersample = 2,
  proj?: ProjectiveTexture,
): RgbaImage {
  const s = Math.max(1, Math.round(supersample));
  const cam = s === 1 ? camera : scaleCamera(camera, s);
  const vis = rasterizeTriangles(mesh.positions, mesh.indices, cam);
  const hi = shadeVisibility(vis, mesh, texture, proj, proj ? viewCloseness(camera, proj.camera) : 0);
  const img = createRgba(camera.width, camera.height);
  const W = cam.width;
  const n = s * s;
  for (let y = 0; y < camera.height; y++) {
    for (let x = 0; x < camera.width; x++) {
      // Box filter with premultiplied alpha, then back to straight alpha over white.
      let r = 0,
        g = 0,
        b = 0,
        a = 0;
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
        const sr = r / a,
          sg = g / a,
          sb = b / a;
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
  return renderMeshView(proxy.mesh, proxy.texture, camera, supersample, {
    image: proxy.portrait,
    camera: proxy.imageFrame.camera,
    weight: proxy.projectionWeight,
    nearWeight: proxy.inputVisibility,
  });
}
