/**
 * Weight-free multi-view backend: wall time for the 16 views at 512 (proxy build + rendering +
 * seeding Gaussians) on a real fixture portrait (preprocessing cached, not timed). Bar: < 10 s.
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
];
