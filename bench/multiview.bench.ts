/**
 * Weight-free multi-view backend: wall time for the 16 views at 512 (proxy build + rendering +
 * seeding Gaussians) on a real fixture portrait (preprocessing cached, not timed). Bar: < 10 s.
 * And the torso stub of a portrait from 40 degrees above (a head over a shoulder disc, 512 px), with
 * the body below the hidden neck carved to the matte (torso-carve.ts) and, for scale, read row by row.
 */
import type { Bench } from './harness';
import { timeMs } from './harness';

export const benches: Bench[] = [
  {
    name: 'multiview/weightfree',
    async run() {
      const { loadPreprocessed } = await import('../tests/multiview/portrait-inputs');
      const { generateWeightFreeViews } = await import('../src/engine/multiview/weightfree/index');
      const { buildHeadProxy } = await import('../src/engine/multiview/weightfree/build');
      const pre = await loadPreprocessed('hq-0002-matted-rgba.png');
      const req = { elevationDeg: pre.elevationDeg, seed: 1, size: 512 };
      const total = await timeMs(() => generateWeightFreeViews(pre, req), 3, 1);
      const proxy = await timeMs(() => buildHeadProxy(pre, { seed: 1 }), 3, 0);
      return [
        { name: 'multiview/weightfree 16 views @512 (total)', value: total / 1000, unit: 's' },
        { name: 'multiview/weightfree proxy build', value: proxy / 1000, unit: 's' },
      ];
    },
  },
  {
    name: 'multiview/torso from above',
    async run() {
      const { buildTorso } = await import('../src/engine/multiview/weightfree/torso');
      const CROP = 512;
      const matte = new Float32Array(CROP * CROP);
      for (let v = 0; v < CROP; v++)
        for (let u = 0; u < CROP; u++) {
          const head = Math.hypot(u - 256, v - 200) < 130;
          const disc = ((u - 256) / 190) ** 2 + ((v - 340) / 70) ** 2 < 1;
          if (head || disc) matte[v * CROP + u] = 1;
        }
      const target = Uint8Array.from(matte, (m, i) => (m && Math.hypot((i % CROP) - 256, Math.floor(i / CROP) - 200) >= 130 ? 1 : 0));
      const zSlope = Math.tan((40 * Math.PI) / 180);
      const neck = { baseRow: 334, halfWidth: 60, centreU: 256 };
      const carved = await timeMs(() => buildTorso(matte, null, 330, 256, 0, 150, 55, { zSlope, neck, target }), 5, 1);
      const rows = await timeMs(() => buildTorso(matte, null, 330, 256, 0, 150, 55, { zSlope }), 5, 1);
      return [
        { name: 'multiview/torso from above, carved', value: carved, unit: 'ms' },
        { name: 'multiview/torso from above, row by row', value: rows, unit: 'ms' },
      ];
    },
  },
];
