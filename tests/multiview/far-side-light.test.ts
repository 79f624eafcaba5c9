/**
 * The light a turned face's far side takes (mirror-shading.ts). Its colours are borrowed from the
 * better-seen near side and scaled to the light the portrait shows on the far side; the far eye
 * socket's own shadow, seen a little off where the fitted head puts it, was taken for that light and
 * made a dark blob over the far brow in every front view of a 45-degree portrait.
 */
import { describe, expect, it } from 'vitest';
import { headAtlasBand, type BandTexel } from './head-atlas-band';
import { loadGroundTruthView } from './portrait-inputs';
import { fittedProxy } from './fitted-proxy';

describe("a turned face's far side", () => {
  it('is lit evenly over the brow, not darkened into a blob by the eye socket', async () => {
    const pre = await loadGroundTruthView('cam_001');
    const proxy = await fittedProxy(pre);
    const tex = proxy.texture.data;
    // Mean luma of a band's texels on one side (1: the subject's left, the far side here).
    const luma = (band: BandTexel[], side: 0 | 1) => {
      let s = 0;
      let n = 0;
      for (const t of band) {
        if (t.side !== side) continue;
        s += 0.299 * tex[t.offset] + 0.587 * tex[t.offset + 1] + 0.114 * tex[t.offset + 2];
        n++;
      }
      return s / n;
    };
    // Far side over near side (the light's ratio, the features being the same): at the eyes' height,
    // and over the brow's upper half, where nothing dark lies. Heights in chin-to-eye units.
    const ratio = (up: readonly [number, number]) => {
      const band = headAtlasBand(pre, proxy, [20, 40], up);
      return luma(band, 1) / luma(band, 0);
    };
    const eyes = ratio([0.9, 1.05]);
    const brow = ratio([1.2, 1.35]);
    // Measured: 0.66 at the eyes against 0.84 above (0.36 against 0.80 when the socket's shadow set the light).
    expect(eyes / brow, `far / near: ${eyes.toFixed(2)} at the eyes, ${brow.toFixed(2)} over the brow`).toBeGreaterThan(0.65);
    // The cheek between the nose and the ear, from the mouth's height to the eyes': the far side
    // shows it only as a grazing sliver beside the nose, in the nose's shadow, which must not set its
    // light (mirror-shading.ts TURNED_MIN_SUPPORT). Measured 0.85-0.90 (0.66-0.74 with the sliver's
    // light: a grey smear from the nose to the jaw in every front view).
    for (const az of [[10, 25], [20, 40]] as const)
      for (const up of [[0.2, 0.45], [0.45, 0.7]] as const) {
        const band = headAtlasBand(pre, proxy, az, up);
        const cheek = luma(band, 1) / luma(band, 0);
        expect(cheek, `far / near cheek at ${az[0]}-${az[1]} deg, heights ${up[0]}-${up[1]}`).toBeGreaterThan(0.8);
      }
  }, 60_000);
});
