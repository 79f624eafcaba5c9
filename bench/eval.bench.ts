/**
 * Evaluation harness overhead vs the pipeline it judges (issue 10 target: harness < 20% of the
 * pipeline's run time). One subject: a textured GLB head built from a real portrait
 * (tests/eval/helpers/test-head.ts), the full protocol on the draft preset. The harness time covers
 * loading and normalising the mesh (front search), rendering the ground truth, rendering the head at
 * the GT cameras, scoring (PSNR/SSIM/IoU/CSIM, aligned and not) and writing the report.
 * HEADFORGE_EVAL_BENCH_STEPS overrides the optimisation steps (default: the draft preset's).
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Bench } from './harness';
import { meshSubject, runEvaluation } from '../src/engine/eval';
import { testHeadGlb } from '../tests/eval/helpers/test-head';

export const benches: Bench[] = [
  {
    name: 'eval',
    async run() {
      const glb = await testHeadGlb();
      const out = await fs.mkdtemp(path.join(os.tmpdir(), 'hf-eval-bench-'));
      const env = process.env.HEADFORGE_EVAL_BENCH_STEPS;
      const steps = env !== undefined ? Number(env) : undefined;
      const t0 = performance.now();
      const report = await runEvaluation([() => meshSubject(glb)], {
        settings: { backend: 'default', seed: 42, quality: 'draft', elevation: 'gt', ...(steps !== undefined ? { steps } : {}) },
        outDir: out,
      });
      const totalS = (performance.now() - t0) / 1000;
      const s = report.subjects[0];
      await fs.rm(out, { recursive: true, force: true });
      return [
        { name: `eval: pipeline (draft${steps !== undefined ? `, ${steps} steps` : ''})`, value: s.timings.pipelineS, unit: 's' },
        { name: 'eval: harness (GT + render + score + report)', value: s.timings.harnessS, unit: 's' },
        { name: 'eval: harness overhead vs pipeline (target < 20)', value: (100 * s.timings.harnessS) / s.timings.pipelineS, unit: '%' },
        { name: 'eval: total wall', value: totalS, unit: 's' },
      ];
    },
  },
];
