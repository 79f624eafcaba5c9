/**
 * Face anchors found on a head (src/engine/host/applications/head-anchors.ts): the landmark model on a
 * front render, lifted to world space through the rendered depth. Checked against the synthetic head,
 * whose true anchors are known, and the pixel <-> world maths against the camera's own projection.
 */
import { describe, expect, it } from 'vitest';
import { orbitCamera, toCamera, type Vec3 } from '../../src/shared/camera';
import { anchorsFromHead, surfaceDepthAt, unprojectPixel } from '../../src/engine/host/applications/head-anchors';
import { makeHeadCloud } from './head-cloud';

describe('anchors from a head', () => {
  it('unprojectPixel inverts the camera projection', () => {
    const cam = orbitCamera(30, 12, 512);
    const p: Vec3 = [0.03, -0.02, 0.05];
    const c = toCamera(cam, p);
    const u = cam.fx * (c[0] / c[2]) + cam.cx;
    const v = cam.fy * (c[1] / c[2]) + cam.cy;
    const back = unprojectPixel(cam, u, v, c[2]);
    for (let k = 0; k < 3; k++) expect(back[k]).toBeCloseTo(p[k], 9);
  });

  it('surfaceDepthAt averages covered pixels only and says when nothing is there', () => {
    const w = 4;
    const alpha = new Float32Array([0, 0, 0, 0, 0, 1, 0.5, 0, 0, 1, 0.2, 0, 0, 0, 0, 0]);
    // depth buffer = z * alpha (the rasterizer's sum z_i alpha_i T_i): z 2 where covered
    const depth = alpha.map((a) => 2 * a);
    expect(surfaceDepthAt(depth, alpha, w, 4, 1.5, 1.5)).toBeCloseTo(2, 6);
    expect(surfaceDepthAt(depth, new Float32Array(16), w, 4, 1, 1)).toBeNull();
  });

  it('finds the synthetic head anchors within a fraction of the eye distance', async () => {
    const { cloud, anchors } = makeHeadCloud(12000);
    const got = await anchorsFromHead(cloud);
    const iod = Math.hypot(...[0, 1, 2].map((k) => anchors.leftEye.outer[k] - anchors.rightEye.outer[k]));
    const pairs: [Vec3, Vec3][] = [
      [got.upperLip, anchors.upperLip],
      [got.lowerLip, anchors.lowerLip],
      [got.mouthLeft, anchors.mouthLeft],
      [got.mouthRight, anchors.mouthRight],
      [got.chin, anchors.chin],
      [got.leftBrow, anchors.leftBrow],
      [got.rightBrow, anchors.rightBrow],
      ...(['leftEye', 'rightEye'] as const).flatMap((e) => (['upperLid', 'lowerLid', 'inner', 'outer'] as const).map((k): [Vec3, Vec3] => [got[e][k], anchors[e][k]])),
    ];
    const errors = pairs.map(([a, b]) => Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]) / iod).sort((a, b) => a - b);
    // Seen: median 0.05 IOD, worst 0.24 (a brow of a painted face). Depth comes from the render, so
    // every anchor sits on the surface, not in front of or behind it.
    expect(errors[errors.length >> 1]).toBeLessThan(0.1);
    expect(errors[errors.length - 1]).toBeLessThan(0.35);
  }, 60_000);
});
