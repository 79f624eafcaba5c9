/**
 * The photo under the crop (PreprocessResult.below): a head-framed crop cuts the chest off, but the
 * photo often goes on; the torso is shaped and textured from it instead of guessed, so the head seen
 * at the portrait's own camera in a wider frame (or from below) shows the portrait's chest: the
 * V-neck closing, the light on the sweater. facelift-mvd-000's front view: 75% of its error in the
 * ground truth's frame was under the crop before.
 */
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { PreprocessResult } from '../../src/shared/contracts/preprocess';
import { fitPortraitHead } from '../../src/engine/head-fit';
import type { HeadModel } from '../../src/engine/head-model';
import { buildHeadProxy } from '../../src/engine/multiview/weightfree/build';
import { CROP } from '../../src/engine/multiview/weightfree/landmarks';
import { renderProxyView } from '../../src/engine/multiview/weightfree/render';
import { sharedHeadModel } from '../head-fit/shared-model';
import { cachedPreprocess, loadPreprocessed, REPO_ROOT } from './portrait-inputs';

const TIMEOUT = 240_000;
let model: HeadModel;
beforeAll(async () => {
  model = await sharedHeadModel();
});

async function facelift(): Promise<PreprocessResult> {
  const file = path.resolve(REPO_ROOT, '../shared/fixtures/gt/facelift-mvd-000/images/cam_000.png');
  return cachedPreprocess('gt-facelift-mvd-000-cam_000', async () => new Uint8Array(fs.readFileSync(file)));
}

/** Mean |difference| per channel between rows r0 and r1 of an RGBA image of width CROP, over columns `cols`. */
function rowDiff(a: Uint8ClampedArray, r0: number, b: Uint8ClampedArray, r1: number): number {
  let s = 0;
  for (let u = 0; u < CROP; u++) for (let c = 0; c < 3; c++) s += Math.abs(a[(r0 * CROP + u) * 4 + c] - b[(r1 * CROP + u) * 4 + c]);
  return s / (CROP * 3);
}

describe('the photo under the crop', () => {
  it('is kept where the photo goes on below the crop, seamlessly, and not past the photo', async () => {
    const pre = await facelift();
    const below = pre.below!;
    // The crop keeps the portrait's rows 85..449 (of 512); the 63 rows under it are 88 at the crop's scale.
    expect(below.image.height).toBeGreaterThan(80);
    expect(below.image.height).toBeLessThan(95);
    expect(below.matte.height).toBe(below.image.height);
    // The first row under the crop continues its last row as much as the crop's own rows continue each other.
    const seam = rowDiff(pre.image512.data, CROP - 1, below.image.data, 0);
    const within = rowDiff(pre.image512.data, CROP - 2, pre.image512.data, CROP - 1);
    expect(seam).toBeLessThan(2 * within + 2);
    // hq-0002's crop reaches past the photo's bottom: nothing under it.
    expect((await loadPreprocessed('hq-0002-matted-rgba.png')).below).toBeUndefined();
  }, TIMEOUT);

  it("shapes and textures the chest: at the input camera the head shows the photo's chest under the crop", async () => {
    const pre = await facelift();
    const below = pre.below!;
    const rows = below.image.height;
    const errorUnderCrop = (p: PreprocessResult): number => {
      const fitted = fitPortraitHead(model, p)!;
      const proxy = buildHeadProxy(p, { seed: 1, head: { model, fitted } });
      // The input camera's image grown downwards over the photo's rows under the crop.
      const view = renderProxyView(proxy, { ...proxy.imageFrame.camera, height: CROP + rows });
      let s = 0;
      let n = 0;
      for (let v = 0; v < rows; v++) {
        for (let u = 0; u < CROP; u++) {
          const i = v * CROP + u;
          if (below.matte.data[i] < 0.9) continue;
          const j = ((CROP + v) * CROP + u) * 4;
          for (let c = 0; c < 3; c++) s += Math.abs(view.data[j + c] - below.image.data[i * 4 + c]);
          n += 3;
        }
      }
      return s / n;
    };
    const withPhoto = errorUnderCrop(pre);
    const guessed = errorUnderCrop({ ...pre, below: undefined });
    console.log(`facelift-mvd-000 under the crop, mean |error| at the input camera: ${guessed.toFixed(1)} guessed, ${withPhoto.toFixed(1)} from the photo`);
    expect(withPhoto).toBeLessThan(12);
    expect(withPhoto).toBeLessThan(0.5 * guessed);
  }, TIMEOUT);
});
