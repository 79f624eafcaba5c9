/**
 * An ear is not hair. Beside a short cut the ear is often darker and redder than the cheek (in its own
 * shadow, lit through): the portrait's labels call it hair, and as "hair beside the face" it became
 * the lengths the back of the head is painted from. On a grey-haired man (the elevation sweep's own
 * test head, rendered) the back of the head came out auburn.
 *
 * Here hq-0002 (short grey hair) with its ears recoloured to a dark red-brown and labelled hair, as the
 * render showed them: the back of the head's atlas must stay the hair's grey, not take the ears' colour.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { REGION, type PreprocessResult } from '../../src/shared/contracts/preprocess';
import { fitPortraitHead } from '../../src/engine/head-fit';
import { colourDistance, fitHairModel } from '../../src/engine/multiview/weightfree/hair-model';
import { fittedHeadShape } from '../../src/engine/multiview/weightfree/fitted-shape';
import { hairPatchSource, hairSourceMask } from '../../src/engine/multiview/weightfree/head-appearance';
import { CROP, LM } from '../../src/engine/multiview/weightfree/landmarks';
import { loadPreprocessed } from './portrait-inputs';
import { medianRgb, type Rgb } from './appearance-measures';
import { headAtlasBand } from './head-atlas-band';
import { fittedProxy } from './fitted-proxy';
import { sharedHeadModel } from '../head-fit/shared-model';

const TIMEOUT = 240_000;
/** The ears' colour in the rendered test head (median of the pixels that became the lengths). */
const EAR_RED: Rgb = [82, 56, 46];

/** `pre` with every skin pixel under `ears` (crop mask) recoloured to EAR_RED (shading kept) and labelled hair. */
function redEars(pre: PreprocessResult, ears: Uint8Array): { pre: PreprocessResult; recoloured: number } {
  const data = new Uint8ClampedArray(pre.image512.data);
  const around = pre.around;
  const aroundData = around ? new Uint8ClampedArray(around.image.data) : null;
  const regions = Uint8Array.from(pre.regions);
  const lm = pre.face!.landmarks;
  // Only beside the face: the mask's margin must not reach the cheek.
  const [c0, c1] = [lm[LM.rightCheekSide * 3], lm[LM.leftCheekSide * 3]];
  let n = 0;
  for (let i = 0; i < CROP * CROP; i++) {
    const u = i % CROP;
    if (!ears[i] || regions[i] !== REGION.skin || pre.matte512.data[i] <= 0.9 || (u > c0 && u < c1)) continue;
    const luma = (data[i * 4] + data[i * 4 + 1] + data[i * 4 + 2]) / 3;
    for (let c = 0; c < 3; c++) data[i * 4 + c] = EAR_RED[c] * Math.min(1.6, luma / 120);
    // The photo round the crop holds the crop too (portrait-plane.ts): the same pixel there.
    if (around) {
      const j = Math.floor(i / CROP) * around.image.width + u + around.left;
      for (let c = 0; c < 3; c++) aroundData![j * 4 + c] = data[i * 4 + c];
    }
    regions[i] = REGION.hair;
    n++;
  }
  return {
    pre: {
      ...pre,
      image512: { ...pre.image512, data },
      regions,
      ...(around ? { around: { ...around, image: { ...around.image, data: aroundData! } } } : {}),
    },
    recoloured: n,
  };
}

describe('the ears beside a short cut are not its hair', () => {
  let pre: PreprocessResult;
  let ears: Uint8Array;
  beforeAll(async () => {
    const model = await sharedHeadModel();
    const base = await loadPreprocessed('hq-0002-matted-rgba.png');
    const fitted = fitPortraitHead(model, base)!;
    ears = fittedHeadShape(model, fitted, base.face!.landmarks, base.regions, 160, 320).earMask;
    const red = redEars(base, ears);
    expect(red.recoloured).toBeGreaterThan(500);
    pre = red.pre;
  }, TIMEOUT);

  it('the fitted ears are where the portrait shows ears: beside the face at eye to nose height', () => {
    const lm = pre.face!.landmarks;
    const eyeRow = lm[LM.rightEyeOuter * 3 + 1];
    const chinRow = lm[LM.chin * 3 + 1];
    const [c0, c1] = [lm[LM.rightCheekSide * 3], lm[LM.leftCheekSide * 3]];
    let beside = 0;
    let total = 0;
    for (let i = 0; i < ears.length; i++) {
      if (!ears[i]) continue;
      total++;
      const u = i % CROP;
      const v = Math.floor(i / CROP);
      if ((u < c0 + 10 || u > c1 - 10) && v > eyeRow - 40 && v < chinRow) beside++;
    }
    expect(total).toBeGreaterThan(1000);
    expect(beside / total).toBeGreaterThan(0.9);
  });

  it('leaves the ears out of the hair it copies round the back', () => {
    const model = fitHairModel(pre);
    const withEars = hairSourceMask(pre, model, null, 'lengths');
    const without = hairSourceMask(pre, model, null, 'lengths', ears);
    let earLengths = 0;
    let left = 0;
    for (let i = 0; i < withEars.length; i++) {
      if (withEars[i] && ears[i]) earLengths++;
      if (without[i] && ears[i]) left++;
    }
    // Without the ears' mask the red ears read as lengths; with it none of them does.
    expect(earLengths).toBeGreaterThan(200);
    expect(left).toBe(0);
  });

  it("copies a short cut's hair from its top, not from the few lengths beside the face", () => {
    // Even with the ears in (a head without the model's ears), the lengths are a few percent of the
    // hair: not a tone of their own, so the top's hair joins them and sets the copied hair's colour.
    const model = fitHairModel(pre)!;
    const { source } = hairPatchSource(pre, model, null);
    const mean = Array.from(source.mean.slice(0, 3)) as Rgb;
    expect(colourDistance(...mean, model.reference)).toBeLessThan(colourDistance(...mean, EAR_RED));
  });

  it(
    "paints the back of the head in the hair's grey, not the ears' red",
    async () => {
      const proxy = await fittedProxy(pre);
      const hair = fitHairModel(pre)!.reference;
      const band = headAtlasBand(pre, proxy, [150, 180], [1.2, 2.2]);
      expect(band.length).toBeGreaterThan(500);
      const px = proxy.texture.data;
      const colours = new Float32Array(band.length * 3);
      band.forEach((t, k) => colours.set([px[t.offset], px[t.offset + 1], px[t.offset + 2]], k * 3));
      const back = medianRgb(colours);
      expect(colourDistance(...back, hair)).toBeLessThan(colourDistance(...back, EAR_RED));
      // As grey as the hair: red and blue as far apart as in the hair's own colour, within 8 (the ears' red: 36 apart).
      expect(back[0] - back[2]).toBeLessThan(hair[0] - hair[2] + 8);
    },
    TIMEOUT,
  );
});
