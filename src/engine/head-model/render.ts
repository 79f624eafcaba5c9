/**
 * A plain shaded render of a head-model mesh for the landmark detector: the project's z-buffer
 * rasterizer (src/shared/mesh/rasterize.ts) on a chosen set of triangles, smooth vertex normals,
 * Lambert shading under a light near the camera, per-vertex albedo, supersampled and box-filtered
 * onto a flat background. The supersampled visibility buffer comes back too, so that any pixel can be
 * traced to its triangle (in the model's numbering) and barycentrics.
 */
import { cameraCenter, scaleCamera, type RasterCamera } from '../../shared/camera';
import { createRgba, type RgbaImage } from '../../shared/image';
import { rasterizeTriangles, type VisibilityBuffer } from '../../shared/mesh/rasterize';

export interface HeadRenderInput {
  /** [V*3] world positions. */
  positions: Float32Array;
  /** The model's full triangle list [T*3]. */
  triangles: Uint32Array;
  /** Model triangle indices to draw. */
  draw: Uint32Array;
  /** Per-vertex albedo [V*3], 0..1. */
  albedo: Float32Array;
  background?: [number, number, number];
}

export interface HeadRender {
  image: RgbaImage;
  /** Visibility at `scale` x the image size; `triangle` holds model triangle indices. */
  vis: VisibilityBuffer;
  /** The supersampled camera the visibility buffer was rasterized with. */
  visCamera: RasterCamera;
  scale: number;
}

/** Area-weighted vertex normals of the drawn triangles [V*3] (unit; zero where no triangle). */
export function vertexNormals(
  positions: Float32Array,
  triangles: Uint32Array,
  draw: Uint32Array,
): Float32Array {
  const n = new Float32Array(positions.length);
  for (const t of draw) {
    const a = triangles[t * 3] * 3,
      b = triangles[t * 3 + 1] * 3,
      c = triangles[t * 3 + 2] * 3;
    const e1x = positions[b] - positions[a],
      e1y = positions[b + 1] - positions[a + 1],
      e1z = positions[b + 2] - positions[a + 2];
    const e2x = positions[c] - positions[a],
      e2y = positions[c + 1] - positions[a + 1],
      e2z = positions[c + 2] - positions[a + 2];
    const nx = e1y * e2z - e1z * e2y,
      ny = e1z * e2x - e1x * e2z,
      nz = e1x * e2y - e1y * e2x;
    for (const v of [a, b, c]) {
      n[v] += nx;
      n[v + 1] += ny;
      n[v + 2] += nz;
    }
  }
  for (let i = 0; i < n.length; i += 3) {
    const l = Math.hypot(n[i], n[i + 1], n[i + 2]);
    if (l > 0) {
      n[i] /= l;
      n[i + 1] /= l;
      n[i + 2] /= l;
    }
  }
  return n;
}

export function renderHead(input: HeadRenderInput, camera: RasterCamera, supersample = 2): HeadRender {
  const s = Math.max(1, Math.round(supersample));
  const cam = scaleCamera(camera, s);
  const { positions, triangles, draw, albedo } = input;
  const sub = new Uint32Array(draw.length * 3);
  for (let i = 0; i < draw.length; i++) {
    const t = draw[i];
    sub[i * 3] = triangles[t * 3];
    sub[i * 3 + 1] = triangles[t * 3 + 1];
    sub[i * 3 + 2] = triangles[t * 3 + 2];
  }
  const vis = rasterizeTriangles(positions, sub, cam);
  for (let p = 0; p < vis.triangle.length; p++)
    if (vis.triangle[p] >= 0) vis.triangle[p] = draw[vis.triangle[p]];
  const normals = vertexNormals(positions, triangles, draw);
  const eye = cameraCenter(camera);
  // Key light a little above and to the side of the camera, plus fill.
  const bg = input.background ?? [0.55, 0.55, 0.55];
  const W = cam.width;
  const hi = new Float32Array(W * cam.height * 3);
  for (let p = 0; p < vis.triangle.length; p++) {
    const t = vis.triangle[p];
    if (t < 0) {
      hi[p * 3] = bg[0];
      hi[p * 3 + 1] = bg[1];
      hi[p * 3 + 2] = bg[2];
      continue;
    }
    const w1 = vis.bary1[p],
      w2 = vis.bary2[p],
      w0 = 1 - w1 - w2;
    const a = triangles[t * 3] * 3,
      b = triangles[t * 3 + 1] * 3,
      c = triangles[t * 3 + 2] * 3;
    let nx = w0 * normals[a] + w1 * normals[b] + w2 * normals[c];
    let ny = w0 * normals[a + 1] + w1 * normals[b + 1] + w2 * normals[c + 1];
    let nz = w0 * normals[a + 2] + w1 * normals[b + 2] + w2 * normals[c + 2];
    const px = w0 * positions[a] + w1 * positions[b] + w2 * positions[c];
    const py = w0 * positions[a + 1] + w1 * positions[b + 1] + w2 * positions[c + 1];
    const pz = w0 * positions[a + 2] + w1 * positions[b + 2] + w2 * positions[c + 2];
    let vx = eye[0] - px,
      vy = eye[1] - py,
      vz = eye[2] - pz;
    const vl = Math.hypot(vx, vy, vz);
    vx /= vl;
    vy /= vl;
    vz /= vl;
    const nl = Math.hypot(nx, ny, nz) || 1;
    nx /= nl;
    ny /= nl;
    nz /= nl;
    // Two-sided: a normal facing away from the viewer is flipped (open shells, eyelashes).
    if (nx * vx + ny * vy + nz * vz < 0) {
      nx = -nx;
      ny = -ny;
      nz = -nz;
    }
    // Light from the viewer, raised (+y) so the brow ridge, nose and lips cast soft shading.
    let lx = vx,
      ly = vy + 0.6,
      lz = vz;
    const ll = Math.hypot(lx, ly, lz);
    lx /= ll;
    ly /= ll;
    lz /= ll;
    const diffuse = Math.max(0, nx * lx + ny * ly + nz * lz);
    const shade = 0.3 + 0.75 * diffuse;
    for (let k = 0; k < 3; k++) hi[p * 3 + k] = w0 * albedo[a + k] + w1 * albedo[b + k] + w2 * albedo[c + k];
    for (let k = 0; k < 3; k++) hi[p * 3 + k] = Math.min(1, hi[p * 3 + k] * shade);
  }
  const img = createRgba(camera.width, camera.height);
  const n = s * s;
  for (let y = 0; y < camera.height; y++) {
    for (let x = 0; x < camera.width; x++) {
      let r = 0,
        g = 0,
        bl = 0;
      for (let dy = 0; dy < s; dy++) {
        for (let dx = 0; dx < s; dx++) {
          const q = ((y * s + dy) * W + x * s + dx) * 3;
          r += hi[q];
          g += hi[q + 1];
          bl += hi[q + 2];
        }
      }
      const o = (y * camera.width + x) * 4;
      img.data[o] = Math.round((255 * r) / n);
      img.data[o + 1] = Math.round((255 * g) / n);
      img.data[o + 2] = Math.round((255 * bl) / n);
      img.data[o + 3] = 255;
    }
  }
  return { image: img, vis, visCamera: cam, scale: s };
}
