/**
 * The portrait's skin outline beside the face: the ears and the back of the jaw. The head model is
 * fitted to the face's landmarks, which say nothing of either, and the outline fit grew only hair: the
 * portrait's pixels past the model's ear and jaw were lost in every view near the front. From below
 * (the test head on the ICT model rendered at -10 degrees, as the elevation sweep renders it) even the
 * head's own input view lost a sliver from the ear down the jaw on each side.
 *
 * Now skin outline bins below the eyes are fitted on the surface seen edge-on (silhouette.ts `rim`):
 * the head covers the matte's skin beside the face without growing past it.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { meshSubject } from '../../src/engine/eval/mesh-source';
import { encodePng } from '../../src/engine/image-io';
import { preprocessPortrait } from '../../src/engine/preprocess';
import { REGION, type PreprocessResult } from '../../src/shared/contracts/preprocess';
import { buildHeadProxy } from '../../src/engine/multiview/weightfree/build';
import { LM } from '../../src/engine/multiview/weightfree/landmarks';
import type { HeadProxy } from '../../src/engine/multiview/weightfree/proxy';
import { renderProxyView } from '../../src/engine/multiview/weightfree/render';
import { fitPortraitHead } from '../../src/engine/head-fit';
import { testHeadGlb } from '../eval/helpers/test-head';
import { sharedHeadModel } from '../head-fit/shared-model';

const ELEVATION = -10;
let pre: PreprocessResult;
let proxy: HeadProxy;

beforeAll(async () => {
  const subject = await meshSubject(await testHeadGlb('landmark', 'hq-0002-matted-rgba.png'), {
    elevationDeg: ELEVATION,
  });
  pre = await preprocessPortrait(new Uint8Array(await encodePng(subject.portrait)));
  const model = await sharedHeadModel();
  const fitted = fitPortraitHead(model, pre, null, ELEVATION);
  if (!fitted) throw new Error('the head model found no face in the test head seen from below');
  proxy = buildHeadProxy(pre, { seed: 1, head: { model, fitted }, inputElevationDeg: ELEVATION });
}, 180_000);

/** The head's own input view (the portrait's camera, 512 px): its alpha > 0.5 per crop pixel. */
function inputViewCover(): Uint8Array {
  const cam = proxy.imageFrame.camera;
  const im = renderProxyView(proxy, { ...cam, width: 512, height: 512 });
  return Uint8Array.from({ length: 512 * 512 }, (_, i) => (im.data[i * 4 + 3] > 128 ? 1 : 0));
}

describe('the skin outline beside the face, from below', () => {
  it("covers the portrait's ears and jaw beside the face without growing past the matte", () => {
    const cover = inputViewCover();
    const lm = pre.face!.landmarks;
    const eyeRow = (lm[LM.rightEyeOuter * 3 + 1] + lm[LM.leftEyeOuter * 3 + 1]) / 2;
    const chinRow = lm[LM.chin * 3 + 1];
    const [c0, c1] = [lm[LM.rightCheekSide * 3], lm[LM.leftCheekSide * 3]];
    // Beside the face (past the cheeks' landmarks), from the eyes to the chin.
    let skin = 0;
    let missed = 0;
    let past = 0;
    for (let v = Math.ceil(eyeRow); v < chinRow; v++)
      for (let u = 0; u < 512; u++) {
        if (u > c0 && u < c1) continue;
        const i = v * 512 + u;
        const inMatte = pre.matte512.data[i] > 0.5;
        if (inMatte && pre.regions[i] === REGION.skin) {
          skin++;
          if (!cover[i]) missed++;
        }
        if (!inMatte && cover[i]) past++;
      }
    expect(skin).toBeGreaterThan(3000);
    // Before: 91% of the skin there missed (2831 of 3121 px) and 369 px past the matte; now 28% and 570.
    expect(missed / skin).toBeLessThan(0.45);
    expect(past).toBeLessThan(0.25 * skin);
  });
});
