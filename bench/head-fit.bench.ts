/**
 * Head fit: fitting the ICT head model to a portrait's landmarks (identity, expression, pose, lens),
 * on real fixture portraits (preprocessing cached, model loaded once, not timed). Bar: <= 3 s each
 * on the 2-core machine. Also the fitted head's radial shape (spherical z-buffer of the model).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Bench } from './harness';
import { timeMs } from './harness';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export const benches: Bench[] = [
  {
    name: 'head-fit',
    async run() {
      const { loadPreprocessed } = await import('../tests/multiview/portrait-inputs');
      const { loadOrImportHeadModel } = await import('../src/engine/head-model');
      const { fitPortraitHead } = await import('../src/engine/head-fit');
      const { fittedHeadShape } = await import('../src/engine/multiview/weightfree/fitted-shape');
      const { model } = await loadOrImportHeadModel(path.resolve(ROOT, '../shared/head-models/ict-facekit'), path.join(ROOT, 'node_modules/.cache/headforge/head-models'));
      const rows = [];
      for (const file of ['hq-0002-matted-rgba.png', 'fl-000-expression.png', 'pd-grace-hopper.jpg']) {
        const pre = await loadPreprocessed(file);
        let fit = fitPortraitHead(model, pre);
        const ms = await timeMs(() => (fit = fitPortraitHead(model, pre)), 3, 0);
        rows.push({ name: `head-fit ${file}`, value: ms / 1000, unit: 's' });
        rows.push({ name: `head-fit ${file} landmark error`, value: 100 * (fit?.fit.meanErrorIod ?? NaN), unit: '% IOD' });
        if (file === 'hq-0002-matted-rgba.png' && fit) {
          const f = fit;
          const shape = await timeMs(() => fittedHeadShape(model, f, pre.face!.landmarks, pre.regions, 160, 320), 3, 0);
          rows.push({ name: 'head-fit radial shape 160x320', value: shape / 1000, unit: 's' });
        }
      }
      return rows;
    },
  },
];
