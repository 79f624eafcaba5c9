/** Progressive quality's splat thinning: about half the splats, the same ones every frame, in the sorted order. */
import { describe, expect, it } from 'vitest';
import { MOVING_SPLAT_SHARE, MOVING_SPLAT_SIZE, drawnWhileMoving, installThinning, thinSorted } from '../../src/renderer/workspace/splat-thinning';

describe('splat thinning', () => {
  it('keeps about the share of splats, spread over the index range', () => {
    const n = 65_536;
    let kept = 0;
    let keptFirstHalf = 0;
    for (let i = 0; i < n; i++)
      if (drawnWhileMoving(i)) {
        kept++;
        if (i < n / 2) keptFirstHalf++;
      }
    expect(kept / n).toBeCloseTo(MOVING_SPLAT_SHARE, 1);
    expect(keptFirstHalf / kept).toBeCloseTo(0.5, 1);
  });

  it('keeps the back-to-front order and the same splats whatever the order', () => {
    const sorted = Uint32Array.from([9, 3, 7, 1, 8, 2, 6, 0, 5, 4]);
    const out = new Uint32Array(10);
    const kept = Array.from(out.subarray(0, thinSorted(sorted, 10, out)));
    expect(kept).toEqual(Array.from(sorted).filter(drawnWhileMoving));
    const reversed = Uint32Array.from([...sorted].reverse());
    const again = Array.from(out.subarray(0, thinSorted(reversed, 10, out)));
    expect(new Set(again)).toEqual(new Set(kept));
  });

  it('draws the thinned sort, larger, while moving and the full sort at rest without a new sort', () => {
    const drawn: number[][] = [];
    const scales: number[] = [];
    const mesh = {
      updateRenderIndexes: (s: Uint32Array, count: number) => void drawn.push(Array.from(s.subarray(0, count))),
      setSplatScale: (s: number) => void scales.push(s),
      getSplatCount: () => 100,
    };
    let moving = true;
    const refresh = installThinning(mesh, () => moving);
    const sorted = Uint32Array.from(Array.from({ length: 100 }, (_, i) => 99 - i));
    mesh.updateRenderIndexes(sorted, 100);
    expect(drawn[0].length).toBeLessThan(70);
    expect(drawn[0].every(drawnWhileMoving)).toBe(true);
    expect(scales.at(-1)).toBe(MOVING_SPLAT_SIZE);
    moving = false;
    refresh();
    expect(drawn[1]).toEqual(Array.from(sorted));
    expect(scales.at(-1)).toBe(1);
  });
});
