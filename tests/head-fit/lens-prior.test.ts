/**
 * The lens from a real detector's landmarks. The detector reads every face through a wider lens than
 * the photo's (frontal ones too: the landmark cost falls by 10 to 20 from 18 to 45 degrees over the
 * crop on every portrait measured, long lens or not), so the fit's lens prior must carry weight: a
 * frontal photo whose lens is known (facelift-mvd-000's front view: 50 degrees over the whole 512 px
 * image, fx = 549 px) must come out nearer its lens than the widest candidate, which it took before.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { fitPortraitHead } from '../../src/engine/head-fit';
import type { HeadModel } from '../../src/engine/head-model';
import { cropFovyDeg } from '../../src/engine/preprocess/lens';
import { fovyFromFocal } from '../../src/shared/camera';
import { loadGroundTruthView } from '../multiview/portrait-inputs';
import { sharedHeadModel } from './shared-model';

let model: HeadModel;
beforeAll(async () => {
  model = await sharedHeadModel();
});

describe('the lens read from a frontal photo', () => {
  it("comes out within 7 degrees of the rig's lens over the crop, not at the widest candidate", async () => {
    const pre = await loadGroundTruthView('cam_000');
    const truth = cropFovyDeg(fovyFromFocal(512, 549), pre.framing);
    const fitted = fitPortraitHead(model, pre)!;
    console.log(
      `facelift-mvd-000 cam_000: crop lens ${fitted.fit.cropFovyDeg.toFixed(1)} read, ${truth.toFixed(1)} true`,
    );
    expect(fitted.fit.lensSource).toBe('fitted');
    expect(Math.abs(fitted.fit.cropFovyDeg - truth)).toBeLessThan(7);
  });
});
