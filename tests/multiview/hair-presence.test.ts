/**
 * Whether a portrait has hair on top (hair-model.ts fitHairModel): a side-lit face's median cheek is
 * in shadow, as dark as red-brown hair; the hair must still be found (else the back of the head is
 * painted with the average of everything seen, a light grey-mauve cap on a dark-haired head), and a
 * bare scalp of the same colour must still not be hair.
 */
import { describe, expect, it } from 'vitest';
import type { PreprocessResult } from '../../src/shared/contracts/preprocess';
import { cheekSkin, colourDistance, fitHairModel, litCheekSkin, medianRgb } from '../../src/engine/multiview/weightfree/hair-model';
import { CROP } from '../../src/engine/multiview/weightfree/landmarks';
import { loadGroundTruthView } from './portrait-inputs';

const TIMEOUT = 120_000;

/** facelift-mvd-000's front view: short red-brown hair, the face lit from the image's left. */
async function sideLitPortrait(): Promise<PreprocessResult> {
  return loadGroundTruthView('cam_000');
}

/** `pre` with every matte pixel above `row` painted one flat colour (a bare, evenly lit scalp). */
function withFlatTop(pre: PreprocessResult, row: number, rgb: [number, number, number]): PreprocessResult {
  const data = Uint8ClampedArray.from(pre.image512.data);
  for (let i = 0; i < row * CROP; i++) {
    if (pre.matte512.data[i] <= 0.5) continue;
    for (let c = 0; c < 3; c++) data[i * 4 + c] = rgb[c];
  }
  return { ...pre, image512: { ...pre.image512, data } };
}

describe('hair on top of a side-lit head', () => {
  it('is found although the hair is as dark as the shadowed cheek', async () => {
    const pre = await sideLitPortrait();
    const median = cheekSkin(pre)!;
    const lit = litCheekSkin(pre)!;
    // The premise: the median cheek is the shadow's colour, the lit cheek far brighter.
    expect(lit[0] + lit[1] + lit[2]).toBeGreaterThan(median[0] + median[1] + median[2] + 90);
    const model = fitHairModel(pre);
    expect(model).not.toBeNull();
    // Its hair is the dark red-brown on top: darker than the lit skin and redder than it is blue.
    const [r, g, b] = model!.reference;
    expect(r + g + b).toBeLessThan(lit[0] + lit[1] + lit[2] - 150);
    expect(r - b).toBeGreaterThan(25);
  }, TIMEOUT);

  it('is not found on a smooth scalp of the hair colour, nor of the shadowed skin', async () => {
    const pre = await sideLitPortrait();
    const lm = pre.face!.landmarks;
    const forehead = Math.min(...[10, 109, 67, 103, 54, 21, 338, 297, 332, 284, 251].map((i) => lm[i * 3 + 1]));
    const median = cheekSkin(pre)!;
    // The top band's own median colour (the hair model's seed): the matte's top third above the forehead.
    let top = 0;
    while (pre.matte512.data[top * CROP + CROP / 2] <= 0.9 && top < forehead) top++;
    const band: number[] = [];
    for (let i = top * CROP; i < Math.floor(top + (forehead - top) / 3) * CROP; i++)
      if (pre.matte512.data[i] > 0.9) band.push(pre.image512.data[i * 4], pre.image512.data[i * 4 + 1], pre.image512.data[i * 4 + 2]);
    const hair = medianRgb(band)!;
    // Both colours are far from the lit cheek, near the median one: only the strands told hair apart.
    expect(colourDistance(hair[0], hair[1], hair[2], median)).toBeLessThan(28);
    expect(fitHairModel(withFlatTop(pre, Math.floor(forehead), hair))).toBeNull();
    expect(fitHairModel(withFlatTop(pre, Math.floor(forehead), median))).toBeNull();
  }, TIMEOUT);
});
