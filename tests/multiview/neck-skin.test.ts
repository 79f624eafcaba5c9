/**
 * The neck's skin colour (torso-appearance.ts neckSkinColour), which the skin under the back of the
 * head takes. Beside a pale face a lit white collar passes the skin chromaticity test too: the
 * ground-truth subject seen from 45 degrees had the collar's grey-green for a neck, a band behind his
 * ears in every side and back view.
 */
import { describe, expect, it } from 'vitest';
import { cheekSkin } from '../../src/engine/multiview/weightfree/hair-model';
import { LM } from '../../src/engine/multiview/weightfree/landmarks';
import { neckSkinColour } from '../../src/engine/multiview/weightfree/torso-appearance';
import { loadGroundTruthView, loadPreprocessed } from './portrait-inputs';

async function neckOf(pre: Awaited<ReturnType<typeof loadPreprocessed>>) {
  const lm = pre.face?.landmarks;
  if (!lm) throw new Error('no face');
  const skin = cheekSkin(pre);
  return { skin, neck: neckSkinColour(pre, skin, lm[LM.chin * 3 + 1], lm[LM.chin * 3]) };
}

describe('the neck skin colour', () => {
  it('is skin beside a white collar, not the collar (a pale face seen from 45 degrees)', async () => {
    const pre = await loadGroundTruthView('cam_001');
    const { skin, neck } = await neckOf(pre);
    expect(skin).not.toBeNull();
    expect(neck).not.toBeNull();
    const [r, g, b] = neck!;
    // Skin: redder than green, warmer than blue (the collar was rgb(215, 221, 210)).
    expect(r, `neck rgb(${neck!.map(Math.round).join(', ')})`).toBeGreaterThan(g + 8);
    expect(r - b).toBeGreaterThan(0.5 * (skin![0] - skin![2]));
  }, 60_000);

  it('is the neck of a frontal portrait with an open collar: its own skin, near the cheek', async () => {
    const { skin, neck } = await neckOf(await loadPreprocessed('hq-0002-matted-rgba.png'));
    expect(neck).not.toBeNull();
    for (let c = 0; c < 3; c++) expect(Math.abs(neck![c] - skin![c])).toBeLessThan(25);
    expect(neck![0]).toBeGreaterThan(neck![1]);
  });
});
