/**
 * The torso stub is upright and its sections level in the world whatever the camera's elevation
 * (weightfree/proxy.ts torsoPointG): sections level in the input camera's frame stood up behind the
 * neck like a collar from a camera below and lay as a flat plate round it from a camera above.
 */
import { describe, expect, it } from 'vitest';
import { buildHeadProxy } from '../../src/engine/multiview/weightfree/build';
import { TORSO_SEGMENTS } from '../../src/engine/multiview/weightfree/proxy';
import { loadPreprocessed } from './portrait-inputs';

describe('torso sections at a camera elevation', () => {
  it('are level in the world from above and from below: their front and back at one height', async () => {
    const base = await loadPreprocessed('hq-0002-matted-rgba.png');
    for (const elevationDeg of [-15, 30]) {
      const proxy = buildHeadProxy({ ...base, elevationDeg }, { seed: 1 });
      const { positions } = proxy.mesh;
      const ring = TORSO_SEGMENTS + 1;
      const sections = (positions.length / 3 - proxy.headVertexCount) / ring;
      expect(sections).toBeGreaterThan(10);
      // Chest sections (the lower half of the stub), where the body is deepest.
      let worst = 0;
      for (let k = Math.floor(sections / 2); k < sections; k++) {
        let yMin = Infinity, yMax = -Infinity, zMin = Infinity, zMax = -Infinity;
        for (let j = 0; j < ring; j++) {
          const o = (proxy.headVertexCount + k * ring + j) * 3;
          expect(Number.isFinite(positions[o + 1])).toBe(true);
          yMin = Math.min(yMin, positions[o + 1]);
          yMax = Math.max(yMax, positions[o + 1]);
          zMin = Math.min(zMin, positions[o + 2]);
          zMax = Math.max(zMax, positions[o + 2]);
        }
        worst = Math.max(worst, (yMax - yMin) / (zMax - zMin));
      }
      console.log(`elevation ${elevationDeg}: a chest section's height spread is at most ${worst.toFixed(3)} of its depth`);
      // Level in the input camera's frame the spread is tan(E) of the depth: 0.27 at -15, 0.58 at 30.
      expect(worst).toBeLessThan(0.1);
    }
  }, 120_000);
});
