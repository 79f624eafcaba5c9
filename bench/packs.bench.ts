/**
 * Model-pack runtime benchmarks (CPU, the generated tiny pack):
 *  - per-step U-Net latency (stage 1, cond+uncond in one call)
 *  - end-to-end time of a full tiny-pack run (both stages + reconstructor)
 *  - TypeScript overhead around onnxruntime per sampler step: (step time - bare session.run time) / step time
 *  - the same TypeScript work at the real pack's tensor sizes (stage 2: [2, 16, 8, 64, 64]) with an
 *    instant fake session, in ms: the absolute cost a real U-Net step must dwarf (5% target => step > 20x this).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { writeTinyPack } from '../scripts/make-tiny-pack';
import { UnetAdapter } from '../src/engine/diffusion/adapters/unet';
import { IdTsPipeline } from '../src/engine/diffusion/pipeline';
import { sampleEuler } from '../src/engine/diffusion/sampler';
import { karrasSigmas } from '../src/engine/diffusion/schedule';
import { SessionCache } from '../src/engine/onnx/session-cache';
import type { NetworkSpec } from '../src/engine/packs/manifest';
import { createRgba } from '../src/shared/image';
import { timeMs, type Bench } from './harness';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function withTinyPack<T>(fn: (dir: string, cache: SessionCache) => Promise<T>): Promise<T> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'hf-bench-packs-'));
  const cache = new SessionCache();
  try {
    const dir = path.join(root, 'tiny');
    writeTinyPack(dir);
    return await fn(dir, cache);
  } finally {
    await cache.releaseAll();
    fs.rmSync(root, { recursive: true, force: true });
  }
}

const input = { image: createRgba(512, 512, [210, 160, 130, 255]), idCrop112: createRgba(112, 112, [200, 150, 120, 255]) };

export const benches: Bench[] = [
  {
    name: 'packs tiny pipeline (CPU)',
    run: () =>
      withTinyPack(async (dir, cache) => {
        const pipe = await IdTsPipeline.open(dir, { provider: 'cpu', cache });
        const steps = 20;
        const stepMs: number[] = [];
        const netMs: number[] = [];
        await pipe.run(input, { elevationDeg: 10, seed: 1, stage1Only: true }); // warm up sessions
        await pipe.run(input, {
          elevationDeg: 10,
          seed: 2,
          stage1Only: true,
          steps: { stage1: steps },
          onProgress: (p) => {
            if (p.sampler) {
              stepMs.push(p.sampler.stepMs);
              netMs.push(p.sampler.networkMs);
            }
          },
        });
        // The bare onnxruntime call with the same feeds (prebuilt tensors), for the overhead figure.
        const u = await cache.get(path.join(dir, 'unet_stage1.onnx'), 'cpu');
        const h = 8;
        const feeds = {
          sample: new ort.Tensor('float32', new Float32Array(2 * 16 * 8 * h * h), [2, 16, 8, h, h]),
          timestep: new ort.Tensor('float32', new Float32Array(2), [2]),
          encoder_hidden_states: new ort.Tensor('float32', new Float32Array(2 * 16), [2, 1, 16]),
          identity_embeds: new ort.Tensor('float32', new Float32Array(2 * 8), [2, 8]),
          elevation: new ort.Tensor('float32', new Float32Array(2), [2]),
        };
        const bare = await timeMs(() => u.session.run(feeds), 30, 3);
        const step = median(stepMs);
        const e2e = await timeMs(() => pipe.run(input, { elevationDeg: 10, seed: 3 }), 3, 1);
        return [
          { name: 'packs tiny U-Net step (stage 1, cond+uncond batch)', value: median(netMs), unit: 'ms' },
          { name: 'packs tiny sampler step (incl. TypeScript)', value: step, unit: 'ms' },
          { name: 'packs tiny bare session.run', value: bare, unit: 'ms' },
          { name: 'packs tiny TS overhead share of step', value: (100 * (step - bare)) / step, unit: '%' },
          { name: 'packs tiny end-to-end (4+3 steps, recon)', value: e2e, unit: 'ms' },
        ];
      }),
  },
  {
    name: 'packs TS work per step at real tensor sizes',
    run: async () => {
      // Stage 2 of a real pack: F=16, C=4, 64x64 latents, cond+uncond batch of 2, CLIP 1024-d, ArcFace 512-d.
      const F = 16, C = 4, h = 64;
      const shape = (s: (number | string)[]) => ({ name: '', dtype: 'float32' as const, shape: s });
      const net = {
        file: 'x.onnx',
        sha256: '0'.repeat(64),
        externalData: [],
        inputs: {
          sample: { ...shape(['B', F, 2 * C, h, h]), name: 'sample' },
          sigma: { ...shape(['B']), name: 'timestep' },
          imageEmbedding: { ...shape(['B', 1, 1024]), name: 'clip' },
          identityEmbedding: { ...shape(['B', 512]), name: 'id' },
          elevation: { ...shape(['B']), name: 'elev' },
        },
        outputs: { prediction: { ...shape(['B', F, C, h, h]), name: 'out' } },
      } as unknown as NetworkSpec;
      const out = new Float32Array(2 * F * C * h * h).fill(0.1);
      // An instant stand-in for InferenceSession: returns a prebuilt output, so only TypeScript is timed.
      const fakeSession = { run: async () => ({ out: new ort.Tensor('float32', out, [2, F, C, h, h]) }) } as unknown as ort.InferenceSession;
      const unet = new UnetAdapter('bench', fakeSession, net, {
        conditionLatent: new Float32Array(C * h * h),
        imageEmbedding: new Float32Array(1024),
        identityEmbedding: new Float32Array(512),
        elevation: 10,
      });
      const steps = 10;
      const sigmas = karrasSigmas(steps, 0.002, 700, 7);
      const settings = { prediction: 'v' as const, sigmaData: 1, guidanceMin: 1, guidanceMax: 2.5 };
      const ms = await timeMs(() => sampleEuler(unet, new Float32Array(F * C * h * h), { settings, sigmas, frames: F }), 3, 1);
      return [{ name: 'packs TS per step, stage-2 size (no network)', value: ms / steps, unit: 'ms' }];
    },
  },
];
