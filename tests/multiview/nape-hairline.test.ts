/**
 * Short hair at the back of the head (head-appearance.ts, hair no longer than the portrait shows).
 * A frontal portrait sees a short cut's lowest hair beside the face, at the temples and sideburns,
 * which sit higher than its edge at the back of the neck: cut off at their height all round, the back
 * of the head was a bowl of hair over a band of bare skin down to the collar (facelift-mvd-000's back
 * view shows his hair reaching below the ears).
 */
import { describe, expect, it } from 'vitest';
import { headAtlasBand } from './head-atlas-band';
import { loadGroundTruthView } from './portrait-inputs';
import { fittedProxy } from './fitted-proxy';

describe('a short cut seen from the front', () => {
  it('keeps its hair down to the nape at the back, and the neck below it bare', async () => {
    const pre = await loadGroundTruthView('cam_000');
    const proxy = await fittedProxy(pre);
    const mean = (band: ReturnType<typeof headAtlasBand>) => {
      const m = [0, 0, 0];
      for (const t of band) for (let c = 0; c < 3; c++) m[c] += proxy.texture.data[t.offset + c] / band.length;
      return m;
    };
    // Heights in chin-to-eye units: the back of the head well above the ears; a band just under the
    // temples' lowest hair (0.68 here) and above the nape's hairline (the upper lip's height); the neck.
    const crown = mean(headAtlasBand(pre, proxy, [150, 180], [1.3, 1.6]));
    const nape = mean(headAtlasBand(pre, proxy, [150, 180], [0.55, 0.66]));
    const neck = mean(headAtlasBand(pre, proxy, [150, 180], [-0.2, 0.1]));
    const dist = (a: number[], b: number[]) => Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);
    // Measured: rgb distance to the crown's hair 9.9 and to the neck 57.7 (78.9 and 14.2 when the hair
    // stopped at the temples' height all round).
    const msg = `nape band rgb(${nape.map(Math.round).join(', ')}), crown (${crown.map(Math.round).join(', ')}), neck (${neck.map(Math.round).join(', ')})`;
    expect(dist(nape, crown), msg).toBeLessThan(0.5 * dist(nape, neck));
    // Below the nape's hairline the neck stays skin, not hair.
    expect(dist(neck, crown)).toBeGreaterThan(30);
  }, 60_000);
});
