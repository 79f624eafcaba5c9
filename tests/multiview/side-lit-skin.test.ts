/**
 * The skin a side-lit portrait never showed takes its own side's light: behind the jaw and under the
 * ear on the lit side it was the face's median skin, which for a face lit from one side is the
 * shadow's colour (the ground-truth subject: median cheek rgb(105, 80, 63), lit cheek about 210), so
 * the lit side's profile had a dark band from the ear down the jaw (head-appearance.ts sideSkinTones).
 *
 * Measured on the head's atlas behind the jaw (azimuths 75..100 degrees either way, from the chin up
 * halfway to the eyes), on the ground-truth subject's front view (lit from the image's left) and on
 * two fixtures relit here (everything right of the nose darkened to 0.45): the lit side is clearly
 * brighter than the shadowed one. Before, both sides were alike (ratios 1.00 to 1.03).
 */
import { describe, expect, it } from 'vitest';
import type { PreprocessResult } from '../../src/shared/contracts/preprocess';
import { LM } from '../../src/engine/multiview/weightfree/landmarks';
import { loadGroundTruthView, loadPreprocessed } from './portrait-inputs';
import { luma } from './appearance-measures';
import { headAtlasBand } from './head-atlas-band';
import { fittedProxy } from './fitted-proxy';

const TIMEOUT = 240_000;

/** `pre` lit from the image's left: every pixel right of the nose darkened, down to `floor` at the image's right edge. */
function relit(pre: PreprocessResult, floor: number): PreprocessResult {
  const nose = pre.face!.landmarks[LM.noseTip * 3];
  const shade = (x: number) => 1 - (1 - floor) * Math.min(1, Math.max(0, (x - nose) / 60));
  const data = Uint8ClampedArray.from(pre.image512.data);
  for (let i = 0; i < 512 * 512; i++) for (let c = 0; c < 3; c++) data[i * 4 + c] *= shade(i % 512);
  const out: PreprocessResult = { ...pre, image512: { ...pre.image512, data } };
  if (pre.around) {
    const a = pre.around; const ad = Uint8ClampedArray.from(a.image.data);
    for (let i = 0; i < a.image.width * a.image.height; i++) for (let c = 0; c < 3; c++) ad[i * 4 + c] *= shade((i % a.image.width) - a.left);
    out.around = { ...a, image: { ...a.image, data: ad } };
  }
  return out;
}
/** Median luma of the head's atlas behind the jaw: [subject's right (azimuth < 0), subject's left]. */
async function behindJaw(pre: PreprocessResult): Promise<[number, number]> {
  const proxy = await fittedProxy(pre);
  const px = proxy.texture.data;
  const side: [number[], number[]] = [[], []];
  for (const t of headAtlasBand(pre, proxy, [75, 100], [0, 0.5]))
    side[t.side].push(luma(px[t.offset], px[t.offset + 1], px[t.offset + 2]));
  const med = (a: number[]) => a.sort((p, q) => p - q)[a.length >> 1];
  return [med(side[0]), med(side[1])];
}

describe('the unseen skin of a side-lit head', () => {
  it('takes its side\'s light: the lit side behind the jaw is brighter than the shadowed side', async () => {
    const gt = await loadGroundTruthView('cam_000');
    const inputs: [string, PreprocessResult][] = [
      ['facelift-mvd-000 cam_000', gt],
      ['hq-0003 relit', relit(await loadPreprocessed('hq-0003-matted-rgba.png'), 0.45)],
      ['hq-0002 relit', relit(await loadPreprocessed('hq-0002-matted-rgba.png'), 0.45)],
    ];
    // Each is lit from the image's left: the subject's right side.
    for (const [name, pre] of inputs) {
      const [lit, shadowed] = await behindJaw(pre);
      expect(lit / shadowed, `${name}: lit ${lit.toFixed(0)}, shadowed ${shadowed.toFixed(0)}`).toBeGreaterThan(1.25);
    }
  }, TIMEOUT);
});
