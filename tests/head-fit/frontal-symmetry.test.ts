/**
 * A frontal portrait fits the face it shows, not the landmark detector's one-sided reading of it: the
 * detector reads every subject's right eye narrower and right brow higher (on each portrait and on its
 * mirror image alike), and the head model's correspondences were read off renders lit from one side.
 * With the landmarks the fit takes averaged over the portrait and its mirror image
 * (face/mirror-averaged.ts, FaceAnalysis.fitLandmarks) and
 * symmetric correspondences (head-model/landmark-symmetry.ts), no fixture fits a raised, knitted or
 * squinting side (before: browInnerUp_R 0.76 and 0.92, browDown_R 0.38 to 0.52 against 0 on the left),
 * and the landmarks are reproduced within 1.5% of the eye distance on average and 2% on every fixture
 * (the bar; fl-000's open mouth 2.1% until the inner lips' correspondences were read on an open
 * mouth, 1.54% since).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { fitPortraitHead } from '../../src/engine/head-fit';
import { expressionPairs } from '../../src/engine/head-fit/fit-landmarks';
import type { HeadModel } from '../../src/engine/head-model';
import { FIXTURE_PORTRAITS, loadPreprocessed } from '../multiview/portrait-inputs';
import { sharedHeadModel } from './shared-model';

let model: HeadModel;
beforeAll(async () => {
  model = await sharedHeadModel();
});

describe('a frontal portrait', () => {
  it('fits left-right pairs of expression shapes alike, and its landmarks within 1.5% of the eye distance', async () => {
    const rows: string[] = [];
    const worstPairs: number[] = [];
    const errors: number[] = [];
    for (const file of FIXTURE_PORTRAITS) {
      const pre = await loadPreprocessed(file);
      // Preprocessing keeps the detection and, for the fit, the mirror-averaged landmarks.
      expect(pre.face?.fitLandmarks?.length, file).toBe(pre.face?.landmarks.length);
      const fitted = fitPortraitHead(model, pre);
      expect(fitted, file).not.toBeNull();
      const { expression, meanErrorIod, yawDeg } = fitted!.fit;
      const names = Object.keys(expression);
      let worst = 0;
      let which = '';
      for (const [a, b] of expressionPairs(names)) {
        const d = Math.abs(expression[names[a]] - expression[names[b]]);
        if (d > worst)
          [worst, which] = [
            d,
            `${names[a]} ${expression[names[a]].toFixed(2)} / ${expression[names[b]].toFixed(2)}`,
          ];
      }
      rows.push(
        `${file.padEnd(26)} yaw ${yawDeg.toFixed(1).padStart(5)}  error ${(meanErrorIod * 100).toFixed(2)}%  worst pair ${which}`,
      );
      worstPairs.push(worst);
      expect(Math.abs(yawDeg), file).toBeLessThan(10);
      expect(meanErrorIod, file).toBeLessThan(0.02);
      errors.push(meanErrorIod);
      expect(worst, `${file}: ${which}`).toBeLessThan(0.45);
    }
    console.log(rows.join('\n'));
    const mean = (v: number[]) => v.reduce((s, w) => s + w, 0) / v.length;
    expect(mean(worstPairs)).toBeLessThan(0.32);
    expect(mean(errors)).toBeLessThan(0.015);
  }, 120_000);
});
