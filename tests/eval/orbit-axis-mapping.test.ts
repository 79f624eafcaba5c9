/**
 * The ruler maps the pipeline's origin to the point where the crop centre's ray meets the ground
 * truth's vertical axis, the convention the pipeline builds by (its views turn about the head's
 * vertical axis: multiview/orbit-axis.test.ts). At the orbit centre's depth instead, a crop framed off
 * the GT image's centre and seen from above put the pipeline's axis in front of or behind the GT's, and
 * every back view of a perfect head scored as if it sat too low.
 */
import { describe, expect, it } from 'vitest';
import { viewCameras } from '../../src/shared/camera';
import { mapCamerasToPipeline, rayDepthNearestAxis } from '../../src/engine/eval/camera-mapping';

describe('the pipeline origin on the ground truth orbit axis', () => {
  it('lies on the vertical axis of a rig seen from above, whatever the crop offset', () => {
    for (const e of [20, 40]) {
      const rig = viewCameras(e, 512);
      for (const offsetY of [-30, 0, 40]) {
        const m = mapCamerasToPipeline(rig, 0, [0, 0, 0], e, { crop: { scale: 1, offsetX: 0, offsetY, size: 512 } });
        expect(Math.abs(m.headCentre[0])).toBeLessThan(1e-9);
        expect(Math.abs(m.headCentre[2])).toBeLessThan(1e-9);
        // A crop framed lower (its centre below the image's) meets the axis lower down.
        if (offsetY !== 0) expect(Math.sign(m.headCentre[1])).toBe(-Math.sign(offsetY));
      }
    }
  });

  it('a level rig and a centred crop map as before: the orbit centre itself', () => {
    const m = mapCamerasToPipeline(viewCameras(0, 512), 0, [0, 0, 0], 0);
    expect(m.headCentre).toEqual([0, 0, 0]);
    expect(m.scale).toBe(1);
  });

  it('rayDepthNearestAxis: the depth where a ray meets a line, null when they are parallel', () => {
    // Ray along +z from the camera; a vertical line through (0, 0, 5): they meet at depth 5.
    expect(rayDepthNearestAxis([0, 0, 1], [0, 3, 5], [0, 1, 0])).toBeCloseTo(5, 12);
    // A tilted ray (r_z = 1): it passes x = 2 at depth 4 -> nearest the line x = 2, z = 4 along y.
    expect(rayDepthNearestAxis([0.5, 0, 1], [2, 0, 4], [0, 1, 0])).toBeCloseTo(4, 12);
    expect(rayDepthNearestAxis([0, 0, 1], [0, 0, 5], [0, 0, 2])).toBeNull();
  });
});
