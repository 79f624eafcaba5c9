/**
 * Ground-truth renders of textured meshes for the evaluation harness: the unlit base colour (albedo,
 * which for scans carries the baked lighting), with alpha, on a transparent background. Visibility
 * comes from the shared z-buffer rasterizer (src/shared/mesh/rasterize.ts); this file only shades and
 * antialiases (supersampling + box filter).
 *
 * Layout of TexturedMesh:
 *   positions        Float32Array [V*3]  world, OpenGL axes (src/shared/camera.ts)
 *   uvs              Float32Array [V*2]  glTF convention: u right, v down, (0,0) = top-left texel corner
 *   colors           Float32Array [V*4] | null  linear RGBA vertex colours (glTF COLOR_0), multiplied in
 *   indices          Uint32Array  [T*3]
 *   triangleMaterial Uint32Array  [T]    index into materials
 */
import type { RasterCamera } from '../camera';
import { createRgba, type RgbaImage } from '../image';
import { rasterizeTriangles } from '../mesh/rasterize';

export interface MeshMaterial {
  name: string;
  /** Linear RGBA multiplier (glTF baseColorFactor). */
  baseColorFactor: [number, number, number, number];
  /** sRGB base colour texture (straight alpha), or null. */
  texture: RgbaImage | null;
  /** glTF sampler wrap modes: true = repeat, false = clamp (mirrored repeat is treated as repeat). */
  wrapU: boolean;
  wrapV: boolean;
}

export interface TexturedMesh {
  positions: Float32Array;
  uvs: Float32Array;
  colors: Float32Array | null;
  indices: Uint32Array;
  triangleMaterial: Uint32Array;
  materials: MeshMaterial[];
}

/** sRGB 8-bit value -> linear [0,1] (table: the hot loop does one lookup per channel). */
const SRGB_TO_LINEAR = new Float32Array(256);
for (let i = 0; i < 256; i++) {
  const c = i / 255;
  SRGB_TO_LINEAR[i] = c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
}

export function linearToSrgb8(v: number): number {
  const c = Math.min(1, Math.max(0, v));
  const s = c <= 0.0031308 ? c * 12.92 : 1.055 * c ** (1 / 2.4) - 0.055;
  return Math.round(s * 255);
}

function wrap(t: number, repeat: boolean): number {
  return repeat ? t - Math.floor(t) : Math.min(1, Math.max(0, t));
}

function wrapIndex(i: number, n: number, repeat: boolean): number {
  if (repeat) {
    const m = i % n;
    return m < 0 ? m + n : m;
  }
  return i < 0 ? 0 : i >= n ? n - 1 : i;
}

/** Bilinear sRGB texture fetch returning linear RGBA in out[0..3]; coordinates wrap per the material. */
export function sampleTextureLinear(mat: MeshMaterial, u: number, v: number, out: Float32Array): void {
  const tex = mat.texture;
  if (!tex) {
    out[0] = out[1] = out[2] = out[3] = 1;
    return;
  }
  const W = tex.width, H = tex.height, d = tex.data;
  const x = wrap(u, mat.wrapU) * W - 0.5;
  const y = wrap(v, mat.wrapV) * H - 0.5;
  const xf = Math.floor(x), yf = Math.floor(y);
  const fx = x - xf, fy = y - yf;
  const x0 = wrapIndex(xf, W, mat.wrapU), x1 = wrapIndex(xf + 1, W, mat.wrapU);
  const y0 = wrapIndex(yf, H, mat.wrapV), y1 = wrapIndex(yf + 1, H, mat.wrapV);
  const o00 = (y0 * W + x0) * 4, o10 = (y0 * W + x1) * 4, o01 = (y1 * W + x0) * 4, o11 = (y1 * W + x1) * 4;
  const w00 = (1 - fx) * (1 - fy), w10 = fx * (1 - fy), w01 = (1 - fx) * fy, w11 = fx * fy;
  const L = SRGB_TO_LINEAR;
  out[0] = L[d[o00]] * w00 + L[d[o10]] * w10 + L[d[o01]] * w01 + L[d[o11]] * w11;
  out[1] = L[d[o00 + 1]] * w00 + L[d[o10 + 1]] * w10 + L[d[o01 + 1]] * w01 + L[d[o11 + 1]] * w11;
  out[2] = L[d[o00 + 2]] * w00 + L[d[o10 + 2]] * w10 + L[d[o01 + 2]] * w01 + L[d[o11 + 2]] * w11;
  out[3] = (d[o00 + 3] * w00 + d[o10 + 3] * w10 + d[o01 + 3] * w01 + d[o11 + 3] * w11) / 255;
}

export interface MeshRenderOptions {
  /** Supersampling factor per axis (1 = none). Edges of the silhouette get fractional alpha. */
  supersample?: number;
}

/**
 * Render `mesh` from `camera` as straight-alpha sRGB RGBA (transparent where nothing is hit). With
 * supersampling s the camera is rendered at s x the size (intrinsics scaled) and box-filtered down
 * in linear, premultiplied space.
 */
export function renderTexturedMesh(mesh: TexturedMesh, camera: RasterCamera, opts: MeshRenderOptions = {}): RgbaImage {
  const s = opts.supersample ?? 2;
  if (!Number.isInteger(s) || s < 1 || s > 8) throw new RangeError(`supersample must be an integer in 1..8, got ${s}`);
  const big: RasterCamera = { ...camera, width: camera.width * s, height: camera.height * s, fx: camera.fx * s, fy: camera.fy * s, cx: camera.cx * s, cy: camera.cy * s };
  const vis = rasterizeTriangles(mesh.positions, mesh.indices, big);
  const BW = big.width;
  // Premultiplied linear RGBA accumulated per output pixel: [W*H*4].
  const acc = new Float32Array(camera.width * camera.height * 4);
  const texel = new Float32Array(4);
  const { uvs, colors, indices, triangleMaterial, materials } = mesh;
  for (let py = 0; py < big.height; py++) {
    for (let px = 0; px < BW; px++) {
      const p = py * BW + px;
      const t = vis.triangle[p];
      if (t < 0) continue;
      const b1 = vis.bary1[p], b2 = vis.bary2[p], b0 = 1 - b1 - b2;
      const i0 = indices[t * 3], i1 = indices[t * 3 + 1], i2 = indices[t * 3 + 2];
      const mat = materials[triangleMaterial[t]];
      const u = b0 * uvs[i0 * 2] + b1 * uvs[i1 * 2] + b2 * uvs[i2 * 2];
      const v = b0 * uvs[i0 * 2 + 1] + b1 * uvs[i1 * 2 + 1] + b2 * uvs[i2 * 2 + 1];
      sampleTextureLinear(mat, u, v, texel);
      const f = mat.baseColorFactor;
      let r = texel[0] * f[0], g = texel[1] * f[1], b = texel[2] * f[2], a = texel[3] * f[3];
      if (colors) {
        r *= b0 * colors[i0 * 4] + b1 * colors[i1 * 4] + b2 * colors[i2 * 4];
        g *= b0 * colors[i0 * 4 + 1] + b1 * colors[i1 * 4 + 1] + b2 * colors[i2 * 4 + 1];
        b *= b0 * colors[i0 * 4 + 2] + b1 * colors[i1 * 4 + 2] + b2 * colors[i2 * 4 + 2];
        a *= b0 * colors[i0 * 4 + 3] + b1 * colors[i1 * 4 + 3] + b2 * colors[i2 * 4 + 3];
      }
      // Scans are opaque; texture alpha only matters for cut-outs, treated as coverage.
      const o = ((Math.floor(py / s) * camera.width) + Math.floor(px / s)) * 4;
      acc[o] += r * a;
      acc[o + 1] += g * a;
      acc[o + 2] += b * a;
      acc[o + 3] += a;
    }
  }
  const out = createRgba(camera.width, camera.height);
  const n = s * s;
  for (let i = 0; i < acc.length; i += 4) {
    const a = acc[i + 3];
    if (a <= 0) continue;
    out.data[i] = linearToSrgb8(acc[i] / a);
    out.data[i + 1] = linearToSrgb8(acc[i + 1] / a);
    out.data[i + 2] = linearToSrgb8(acc[i + 2] / a);
    out.data[i + 3] = Math.round(Math.min(1, a / n) * 255);
  }
  return out;
}
