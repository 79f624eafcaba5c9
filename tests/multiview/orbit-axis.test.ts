/**
 * The 16 views turn about the head. A portrait framed with the head above the crop's centre and taken
 * from above put the orbit's vertical axis in front of the head (the orbit centre at the head centre's
 * depth on the crop centre's ray): every view round the back saw the head lower than the front did, 20
 * px of 256 at 40 degrees. The world origin is now on the head's vertical axis, in the weight-free
 * build and in the fitted model's placement (rig, exports) alike.
 */
import { describe, expect, it } from 'vitest';
import { createImageFrame, gToWorldVec, orbitAxisZRef } from '../../src/engine/multiview/weightfree/image-frame';
import { buildHeadProxy } from '../../src/engine/multiview/weightfree/build';
import { fitPortraitHead } from '../../src/engine/head-fit';
import { FIT_MODEL_CENTRE, fittedModelToWorld } from '../../src/engine/head-fit/model-to-world';
import { sharedHeadModel } from '../head-fit/shared-model';
import { loadPreprocessed } from './portrait-inputs';

describe('orbitAxisZRef', () => {
  it('puts a point above the crop centre on the world vertical axis through the origin, at any elevation', () => {
    for (const e of [-10, 0, 20, 40]) {
      const gy = 60;
      const gz = 5;
      const frame = createImageFrame(e, orbitAxisZRef(gy, gz, e), 11);
      const w = gToWorldVec(frame, [0, gy, gz]);
      const lift = gy * frame.pxToWorld;
      expect(Math.abs(w[0])).toBeLessThan(1e-9);
      // Exact for an orthographic camera; the lens's perspective leaves a second-order rest.
      expect(Math.abs(w[2])).toBeLessThan(0.05 * lift);
      // The old reference (the point's own depth) was lift * sin(e) off the axis.
      const old = gToWorldVec(createImageFrame(e, gz, 11), [0, gy, gz]);
      expect(Math.abs(old[2])).toBeCloseTo(Math.abs(lift * Math.sin((e * Math.PI) / 180)), 2);
    }
  });
});

describe('a head built from a portrait taken from above', () => {
  it("has its centre on the orbit's axis, in the proxy and in the fitted model's world placement", async () => {
    const model = await sharedHeadModel();
    const pre = await loadPreprocessed('hq-0001-matted-rgba.png');
    const e = 30;
    const fitted = fitPortraitHead(model, pre, null, e);
    expect(fitted).not.toBeNull();
    const proxy = buildHeadProxy(pre, { seed: 1, head: { model, fitted: fitted! }, inputElevationDeg: e });
    const centre = gToWorldVec(proxy.imageFrame, proxy.shape.frame.origin);
    // The head sits above the crop's centre (preprocessing frames it there): a real lift to undo.
    expect(proxy.shape.frame.origin[1]).toBeGreaterThan(10);
    expect(Math.abs(centre[2])).toBeLessThan(0.02 * proxy.breadthWorld);
    const f = proxy.imageFrame;
    const toWorld = fittedModelToWorld(fitted!.fit, {
      azimuthDeg: f.azimuthDeg,
      elevationDeg: e,
      fovyDeg: fitted!.fit.cropFovyDeg,
      distance: f.distance,
    });
    const modelCentre = toWorld.point(FIT_MODEL_CENTRE);
    for (let k = 0; k < 3; k++) expect(Math.abs(modelCentre[k] - centre[k])).toBeLessThan(0.01 * proxy.breadthWorld);
  });
});
