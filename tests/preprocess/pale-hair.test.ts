/**
 * Skin is warmer than grey: pale grey hair lit beside a pale face is as near the face's skin colour as
 * the hair's mean (dark roots pull that mean down), and the colour test called the lit side's hair
 * skin. That side then no longer framed the face, its long hair below the chin stayed "clothing", and
 * the body was built as wide as the hair under the chin. Skin outside the face keeps some of the
 * face's red-over-green warmth; grey hair has none. Shadowed necks keep theirs and stay skin.
 */
import { describe, expect, it } from 'vitest';
import { REGION } from '../../src/shared/contracts/preprocess';
import { hairFramedSides } from '../../src/engine/preprocess/hanging-hair';
import { loadPreprocessed } from '../multiview/portrait-inputs';

const CROP = 512;

describe('pale hair beside a pale face', () => {
  it('frames the face on both sides and hangs below the chin on both (hq-0001, silver hair)', async () => {
    const pre = await loadPreprocessed('hq-0001-matted-rgba.png');
    const lm = pre.face!.landmarks;
    const eyeY = (lm[33 * 3 + 1] + lm[263 * 3 + 1]) / 2;
    const chinY = lm[152 * 3 + 1];
    const framed = hairFramedSides(pre.regions, pre.matte512.data, CROP, eyeY, chinY);
    expect(framed).toEqual({ left: true, right: true });
    const centre = (lm[234 * 3] + lm[454 * 3]) / 2;
    const faceWidth = Math.abs(lm[454 * 3] - lm[234 * 3]);
    const below = [0, 0];
    for (let v = Math.ceil(chinY); v < CROP; v++)
      for (let u = 0; u < CROP; u++) {
        if (pre.regions[v * CROP + u] !== REGION.hair) continue;
        if (u < centre - 0.35 * faceWidth) below[0]++;
        else if (u > centre + 0.35 * faceWidth) below[1]++;
      }
    console.log(`hq-0001 hair below the chin, image left / right: ${below.join(' / ')} px`);
    expect(Math.min(...below)).toBeGreaterThan(3000);
  });
});
