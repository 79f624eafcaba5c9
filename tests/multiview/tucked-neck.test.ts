/**
 * The neck tucked into the head (torso.ts: the stub's sections above the chin's row). From below, the
 * back of the neck between the hair and the collar is those sections, and they took the clothing's
 * colour round the back: every back view from 10 degrees below showed a white turtleneck up to the
 * hairline where the neck's skin is (the elevation sweep's ground truth).
 */
import { describe, expect, it } from 'vitest';
import {
  ATLAS_WIDTH,
  HEAD_ROWS,
  TORSO_ROWS,
  atlasAngle,
  torsoRowSection,
} from '../../src/engine/multiview/weightfree/proxy';
import { cheekSkin } from '../../src/engine/multiview/weightfree/hair-model';
import type { HeadProxy } from '../../src/engine/multiview/weightfree/proxy';
import { loadPreprocessed } from './portrait-inputs';
import { fittedProxy } from './fitted-proxy';

/** Mean colour of the torso atlas's back (|psi| > 150 degrees) over the stub's sections [k0, k1). */
function backColour(proxy: HeadProxy, k0: number, k1: number): number[] {
  const nSec = proxy.torso!.halfWidth.length;
  const m = [0, 0, 0];
  let n = 0;
  for (let y = 0; y < TORSO_ROWS; y++) {
    const k = torsoRowSection(y, nSec);
    if (k < k0 || k >= k1) continue;
    for (let x = 0; x < ATLAS_WIDTH; x++) {
      if (Math.cos(atlasAngle(x)) > Math.cos((150 * Math.PI) / 180)) continue;
      const o = ((HEAD_ROWS + y) * ATLAS_WIDTH + x) * 4;
      for (let c = 0; c < 3; c++) m[c] += proxy.texture.data[o + c];
      n++;
    }
  }
  return m.map((v) => v / n);
}

describe('the neck tucked into the head', () => {
  it('is skin round the back, with the collar below it', async () => {
    const proxy = await fittedProxy(await loadPreprocessed('hq-0002-matted-rgba.png'));
    const chin = proxy.torso!.chin;
    const tucked = backColour(proxy, 0, chin - 3);
    const collar = backColour(proxy, chin + 6, chin + 20);
    const luma = (c: number[]) => 0.299 * c[0] + 0.587 * c[1] + 0.114 * c[2];
    // hq-0002: brown skin over a white shirt (measured: rgb(170, 123, 93) over (204, 208, 215); luma 14
    // apart, a white-grey band, before the tucked neck was skin).
    expect(luma(collar) - luma(tucked)).toBeGreaterThan(40);
    expect(tucked[0]).toBeGreaterThan(tucked[2] + 15);
  }, 60_000);

  it("is the skin the face shows, not the neck's shadow under the jaw", async () => {
    // hq-0003, a pale man in a grey sweater: the nape was rgb(122, 83, 69), the shadowed neck's colour
    // under his jaw, a dark red-brown collar between his hair and his sweater from behind; his cheek is
    // rgb(204, 160, 139).
    const pre = await loadPreprocessed('hq-0003-matted-rgba.png');
    const proxy = await fittedProxy(pre);
    const tucked = backColour(proxy, 0, proxy.torso!.chin - 3);
    const cheek = cheekSkin(pre)!;
    const distance = Math.hypot(...tucked.map((v, c) => v - cheek[c]));
    expect(distance, `nape rgb(${tucked.map(Math.round).join(', ')}) against the cheek's`).toBeLessThan(40);
  }, 60_000);
});
