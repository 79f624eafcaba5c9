/**
 * Face anchors for the expression rig, found on a generated head itself: render the head from the
 * front with a depth buffer, run the preprocessing's landmark model on the render, and lift every
 * landmark to world space through its pixel at the rendered depth (alpha-normalised mean depth of the
 * 3x3 pixels around it). No run file is needed, so this works for every finished run, restyled
 * variants included, and for heads made before the pipeline wrote landmarks anywhere.
 */
import { DEFAULT_FOVY_DEG, orbitCamera, type RasterCamera, type Vec3 } from '../../../shared/camera';
import { anchorsFromMesh478, type FaceAnchors } from '../../../shared/animation';
import { FACE_LANDMARK_COUNT } from '../../../shared/contracts/preprocess';
import type { GaussianCloud } from '../../../shared/gaussians/cloud';
import { StudioError } from '../../../shared/rpc/errors';
import { analyzeFace } from '../../face';
import { renderCloudAsync, toRgba8 } from '../../raster';

/** Render size for the landmark pass: the preprocessing's own crop size. */
const ANCHOR_RENDER_SIZE = 512;

/** World point seen at pixel (u, v) at camera depth z (OpenCV camera: p_cam = R p + t, so p = R^T (p_cam - t)). */
export function unprojectPixel(cam: RasterCamera, u: number, v: number, z: number): Vec3 {
  const m = cam.worldToCamera;
  const pc: Vec3 = [((u - cam.cx) / cam.fx) * z - m[3], ((v - cam.cy) / cam.fy) * z - m[7], z - m[11]];
  return [
    m[0] * pc[0] + m[4] * pc[1] + m[8] * pc[2],
    m[1] * pc[0] + m[5] * pc[1] + m[9] * pc[2],
    m[2] * pc[0] + m[6] * pc[1] + m[10] * pc[2],
  ];
}

/**
 * Mean surface depth around pixel (u, v): depth is the rasterizer's sum z_i alpha_i T_i and alpha the
 * coverage, both [H*W] row-major; pixels with coverage below 0.5 are skipped (background, hair wisps).
 * Null when nothing in the 3x3 neighbourhood is covered.
 */
export function surfaceDepthAt(depth: Float32Array, alpha: Float32Array, width: number, height: number, u: number, v: number): number | null {
  const x0 = Math.round(u);
  const y0 = Math.round(v);
  let sum = 0;
  let n = 0;
  for (let y = y0 - 1; y <= y0 + 1; y++) {
    for (let x = x0 - 1; x <= x0 + 1; x++) {
      if (x < 0 || y < 0 || x >= width || y >= height) continue;
      const a = alpha[y * width + x];
      if (a < 0.5) continue;
      sum += depth[y * width + x] / a;
      n++;
    }
  }
  return n ? sum / n : null;
}

/** Face anchors of a head whose face looks along +z (the pipeline's azimuth 0), in world space. */
export async function anchorsFromHead(cloud: GaussianCloud, fovyDeg = DEFAULT_FOVY_DEG): Promise<FaceAnchors> {
  const cam = orbitCamera(0, 0, ANCHOR_RENDER_SIZE, fovyDeg);
  const view = await renderCloudAsync(cloud, cam, { background: [1, 1, 1], withDepth: true });
  if (!view.depth) throw new Error('the rasterizer returned no depth buffer');
  const face = await analyzeFace(toRgba8(view, { opaque: true }));
  if (!face)
    throw new StudioError('BAD_REQUEST', 'the landmark model finds no face on the front of this head, so it cannot be given an expression: export with expression "none"');
  const lm = face.landmarks;
  const world = new Float32Array(FACE_LANDMARK_COUNT * 3);
  // Landmarks off the surface (e.g. on an eye the render shows as background) take the median depth.
  const depths: (number | null)[] = [];
  for (let i = 0; i < FACE_LANDMARK_COUNT; i++)
    depths.push(surfaceDepthAt(view.depth, view.alpha, view.width, view.height, lm[i * 3], lm[i * 3 + 1]));
  const known = depths.filter((d): d is number => d !== null).sort((a, b) => a - b);
  if (known.length < FACE_LANDMARK_COUNT / 2)
    throw new StudioError('BAD_REQUEST', 'the face found on this head is mostly not on its surface: export with expression "none"');
  const median = known[known.length >> 1];
  for (let i = 0; i < FACE_LANDMARK_COUNT; i++) {
    const p = unprojectPixel(cam, lm[i * 3], lm[i * 3 + 1], depths[i] ?? median);
    world.set(p, i * 3);
  }
  return anchorsFromMesh478(world);
}
