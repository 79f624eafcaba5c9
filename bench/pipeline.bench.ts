/**
 * The main job end to end on one fixture portrait: wall time per stage, Gaussians, PSNR, peak memory.
 * Preset from HEADFORGE_BENCH_QUALITY (draft | standard | high; default standard — issue 7's bar:
 * standard under 5 minutes on the 2-core machine, peak memory under 4 GB).
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Bench } from './harness';
import { runGenerate } from '../src/engine/pipeline/generate';
import type { Quality } from '../src/shared/contracts/studio-api';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const portrait = path.resolve(repoRoot, '../shared/fixtures/portraits/hq-0002-matted-rgba.png');

export const benches: Bench[] = [
  {
    name: 'pipeline',
    async run() {
      const quality = (process.env.HEADFORGE_BENCH_QUALITY ?? 'standard') as Quality;
      const runDir = await fs.mkdtemp(path.join(os.tmpdir(), 'hf-bench-pipeline-'));
      let peakRss = process.memoryUsage().rss;
      const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 100);
      const t0 = performance.now();
      try {
        const out = await runGenerate({
          projectDir: runDir,
          runDir,
          inputPath: portrait,
          settings: { elevationDeg: 'auto', seed: 42, quality, backend: 'default' },
          signal: new AbortController().signal,
          progress: () => undefined,
          preview: () => undefined,
          log: () => undefined,
        });
        const total = (performance.now() - t0) / 1000;
        return [
          ...Object.entries(out.timings).map(([stage, s]) => ({ name: `pipeline ${quality}: ${stage}`, value: s, unit: 's' })),
          { name: `pipeline ${quality}: total`, value: total, unit: 's' },
          { name: `pipeline ${quality}: Gaussians`, value: out.metrics.gaussians ?? 0, unit: 'count' },
          { name: `pipeline ${quality}: mean PSNR vs 16 views`, value: out.metrics.meanPsnr ?? NaN, unit: 'dB' },
          { name: `pipeline ${quality}: identity similarity (front)`, value: out.metrics.identitySimilarity ?? NaN, unit: 'cosine' },
          { name: `pipeline ${quality}: peak RSS`, value: Math.round(peakRss / 2 ** 20), unit: 'MiB' },
        ];
      } finally {
        clearInterval(sampler);
        await fs.rm(runDir, { recursive: true, force: true });
      }
    },
  },
];
