/**
 * Hair volume behind the head: the outline beside the head at a height (two buns on top, hair swept out
 * at the sides, a bob's flare) says nothing of how thick the hair lies on the skull behind it; the
 * crown does (silhouette.ts fitToSilhouette). Taken whole, fl-000's two buns made the back of the head
 * a mushroom: seen from the side its top was 10% deeper than the head at the ears.
 *
 * Measured on the side views (azimuth 90 and 270, level): the head's depth (front-to-back extent of
 * the opaque pixels) row by row, from the top of the head down to the neck's narrowest row.
 */
import { describe, expect, it } from 'vitest';
import { orbitCamera } from '../../src/shared/camera';
import type { RgbaImage } from '../../src/shared/image';
import { renderProxyView } from '../../src/engine/multiview/weightfree/render';
import { loadPreprocessed } from './portrait-inputs';
import { fittedProxy } from './fitted-proxy';

const TIMEOUT = 240_000;
const SIZE = 256;

/** Depth (opaque extent across the row, pixels) of every row of `view`. */
function rowDepths(view: RgbaImage): number[] {
  const out: number[] = [];
  for (let y = 0; y < SIZE; y++) {
    let lo = SIZE;
    let hi = -1;
    for (let x = 0; x < SIZE; x++)
      if (view.data[(y * SIZE + x) * 4 + 3] > 128) {
        lo = Math.min(lo, x);
        hi = Math.max(hi, x);
      }
    out.push(hi >= 0 ? hi - lo + 1 : 0);
  }
  return out;
}

/** The head's deepest row in its top third and in its middle third (top of the head to the neck's narrowest row). */
function headThirds(depth: number[]): { top: number; middle: number } {
  const first = depth.findIndex((d) => d > 0);
  // The neck: the narrowest row between the head's middle and 80% down the view.
  let neck = first;
  let narrowest = Infinity;
  const from = Math.round((first + SIZE) / 2);
  for (let y = from; y < Math.round(0.8 * SIZE); y++)
    if (depth[y] > 0 && depth[y] < narrowest) {
      narrowest = depth[y];
      neck = y;
    }
  const third = (neck - first) / 3;
  const max = (a: number, b: number) => Math.max(...depth.slice(Math.round(a), Math.round(b)));
  return { top: max(first, first + third), middle: max(first + third, first + 2 * third) };
}

describe('hair volume behind the head', () => {
  it('two buns on top: from the side the head is no deeper at the top than at the ears', async () => {
    const pre = await loadPreprocessed('fl-000-expression.png');
    const proxy = await fittedProxy(pre);
    for (const az of [90, 270]) {
      const { top, middle } = headThirds(rowDepths(renderProxyView(proxy, orbitCamera(az, 0, SIZE), 1)));
      expect(top, `azimuth ${az}: top ${top} px, middle ${middle} px`).toBeLessThan(1.03 * middle);
    }
  }, TIMEOUT);
});
