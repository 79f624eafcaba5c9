/**
 * End to end through the real onnxruntime with the generated tiny pack: every adapter, both stages,
 * guidance, the xi mix, seeds, cancellation and the reconstructor decode.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeTinyPack } from '../../scripts/make-tiny-pack';
import { IdTsPipeline, type IdTsProgress, type IdTsResult } from '../../src/engine/diffusion/pipeline';
import type { PackManifest } from '../../src/engine/packs/manifest';
import { SessionCache } from '../../src/engine/onnx/session-cache';
import { createSessionWithFallback, resetProviderProbe } from '../../src/engine/onnx/providers';
import type { RgbaImage } from '../../src/shared/image';

let root: string;
let packDir: string;
const cache = new SessionCache();

/** A synthetic portrait: warm oval "face" on white with a darker "hair" cap (deterministic). */
function portrait(size: number, tint = 0): RgbaImage {
  const data = new Uint8ClampedArray(size * size * 4).fill(255);
  for (let y = 0; y < size; y++)
    for (let x = 0; x < size; x++) {
      const dx = (x - size / 2) / (size * 0.3);
      const dy = (y - size / 2) / (size * 0.4);
      const i = (y * size + x) * 4;
      if (dx * dx + dy * dy < 1) data.set(dy < -0.5 ? [60 + tint, 40, 30] : [220, 170 - tint, 140], i);
    }
  return { width: size, height: size, data };
}

const input = { image: portrait(256), idCrop112: portrait(112) };
const sameImage = (a: RgbaImage, b: RgbaImage) => a.width === b.width && Buffer.from(a.data).equals(Buffer.from(b.data));
const viewsEqual = (a: RgbaImage[], b: RgbaImage[]) => a.length === b.length && a.every((v, i) => sameImage(v, b[i]));

let pipeline: IdTsPipeline;
let first: IdTsResult;
const events: IdTsProgress[] = [];

beforeAll(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'hf-pipe-'));
  packDir = path.join(root, 'tiny');
  writeTinyPack(packDir);
  pipeline = await IdTsPipeline.open(packDir, { provider: 'cpu', cache });
  first = await pipeline.run(input, { elevationDeg: 10, seed: 1234, onProgress: (e) => events.push(e) });
});
afterAll(async () => {
  await cache.releaseAll();
  fs.rmSync(root, { recursive: true, force: true });
});

describe('ID-TS pipeline on the tiny pack (CPU)', () => {
  it('produces 16 stage-1 views at 64 px, 16 final views at 128 px and 1024 finite Gaussians', () => {
    expect(first.stage1Views).toHaveLength(16);
    expect(first.stage1Views[0].width).toBe(64);
    expect(first.views).toHaveLength(16);
    expect(first.views[0].width).toBe(128);
    const cloud = first.cloud!;
    expect(cloud.count).toBe(1024);
    for (const arr of [cloud.positions, cloud.scales, cloud.rotations, cloud.opacities, cloud.shDC]) {
      expect(arr.every(Number.isFinite)).toBe(true);
    }
    // LGM activations: positions clamped to [-1, 1], scales 0.1*softplus (< 0.1*softplus(max)), unit quaternions.
    expect(cloud.positions.every((p) => p >= -1 && p <= 1)).toBe(true);
    for (let i = 0; i < cloud.count; i++) {
      const q = cloud.rotations.subarray(i * 4, i * 4 + 4);
      expect(Math.hypot(...q)).toBeCloseTo(1, 5);
    }
    // The views are not constant: the networks and the sampler did something frame-dependent.
    expect(sameImage(first.views[0], first.views[8])).toBe(false);
    expect(first.providers.unetStage1).toEqual({ provider: 'cpu', reason: 'CPU (requested)' });
  });

  it('reports progress for every denoising step of both stages, in order', () => {
    const s1 = events.filter((e) => e.phase === 'stage1').map((e) => `${e.step}/${e.steps}`);
    const s2 = events.filter((e) => e.phase === 'stage2').map((e) => `${e.step}/${e.steps}`);
    expect(s1).toEqual(['1/4', '2/4', '3/4', '4/4']);
    expect(s2).toEqual(['1/3', '2/3', '3/3']);
    const phases = [...new Set(events.map((e) => e.phase))];
    expect(phases).toEqual(['load', 'stage1', 'decode1', 'stage2', 'decode2', 'reconstruct']);
    expect(events.find((e) => e.phase === 'stage1')!.sampler!.networkMs).toBeGreaterThan(0);
  });

  it('same seed gives bit-identical views and Gaussians; another seed differs', async () => {
    const again = await pipeline.run(input, { elevationDeg: 10, seed: 1234 });
    expect(viewsEqual(again.views, first.views)).toBe(true);
    expect(viewsEqual(again.stage1Views, first.stage1Views)).toBe(true);
    expect(Buffer.from(again.cloud!.positions.buffer).equals(Buffer.from(first.cloud!.positions.buffer))).toBe(true);
    const other = await pipeline.run(input, { elevationDeg: 10, seed: 1235, stage1Only: true });
    expect(viewsEqual(other.stage1Views, first.stage1Views)).toBe(false);
    expect(other.cloud).toBeNull();
    expect(other.views).toBe(other.stage1Views);
  });

  it('every conditioning input changes the result: elevation, identity crop, portrait', async () => {
    const base = { seed: 1234, stage1Only: true } as const;
    const elev = await pipeline.run(input, { ...base, elevationDeg: 30 });
    expect(viewsEqual(elev.stage1Views, first.stage1Views)).toBe(false);
    const noFace = await pipeline.run({ ...input, idCrop112: null }, { ...base, elevationDeg: 10 });
    expect(viewsEqual(noFace.stage1Views, first.stage1Views)).toBe(false);
    expect(noFace.warnings.join(' ')).toMatch(/no face crop/);
    const other = await pipeline.run({ ...input, image: portrait(256, 60) }, { ...base, elevationDeg: 10 });
    expect(viewsEqual(other.stage1Views, first.stage1Views)).toBe(false);
  });

  it('guidance and the xi mix are pack settings that change the views', async () => {
    const variant = (name: string, edit: (m: PackManifest) => void) => {
      const dir = path.join(root, name);
      fs.cpSync(packDir, dir, { recursive: true });
      const m = JSON.parse(fs.readFileSync(path.join(dir, 'pack.json'), 'utf8'));
      edit(m);
      fs.writeFileSync(path.join(dir, 'pack.json'), JSON.stringify(m));
      return IdTsPipeline.open(dir, { provider: 'cpu', cache });
    };
    const noGuidance = await variant('noguide', (m) => (m.stage1.sampler.guidanceMax = 1));
    // One step: the result is the guided D(x0) per frame. Frame 0 has scale 1 in both packs (the ramp
    // starts at 1.0), so it matches; frame 15 (scale 2.5 vs 1) does not.
    const one = { elevationDeg: 10, seed: 1234, stage1Only: true, steps: { stage1: 1 } };
    const ng = await noGuidance.run(input, one);
    const g = await pipeline.run(input, one);
    expect(sameImage(ng.stage1Views[0], g.stage1Views[0])).toBe(true);
    expect(sameImage(ng.stage1Views[15], g.stage1Views[15])).toBe(false);
    const noLatent = await variant('xi', (m) => (m.stage2!.xi2 = 0));
    const nl = await noLatent.run(input, { elevationDeg: 10, seed: 1234, reconstruct: false });
    expect(viewsEqual(nl.stage1Views, first.stage1Views)).toBe(true);
    expect(viewsEqual(nl.views, first.views)).toBe(false);
  });

  it('cancel stops at the next step and releases the pack sessions', async () => {
    expect(cache.size).toBeGreaterThan(0);
    const ac = new AbortController();
    const run = pipeline.run(input, {
      elevationDeg: 10,
      seed: 1,
      signal: ac.signal,
      onProgress: (e) => {
        if (e.phase === 'stage1' && e.step === 2) ac.abort();
      },
    });
    await expect(run).rejects.toThrow(/cancel|abort/i);
    // The cancelled run already released every session of this pack: nothing is left to release.
    expect(await pipeline.release()).toBe(0);
    // And the pipeline works again afterwards (sessions re-created).
    const again = await pipeline.run(input, { elevationDeg: 10, seed: 1234, stage1Only: true });
    expect(viewsEqual(again.stage1Views, first.stage1Views)).toBe(true);
  });
});

describe('execution provider choice', () => {
  const cudaBundled = ort.listSupportedBackends().some((b) => b.name === 'cuda' && b.bundled);
  it.skipIf(cudaBundled)('auto falls back to CPU with the CUDA failure as the reason; cuda alone fails loudly', async () => {
    resetProviderProbe();
    const model = fs.readFileSync(path.join(packDir, 'vae_encoder.onnx'));
    const auto = await createSessionWithFallback(model, 'auto');
    expect(auto.choice.provider).toBe('cpu');
    expect(auto.choice.reason).toMatch(/^CPU: CUDA unavailable \(.*(Failed to load shared library|installed without its CUDA provider.*ONNXRUNTIME_NODE_INSTALL=cuda12)/);
    await auto.session.release();
    await expect(createSessionWithFallback(model, 'cuda')).rejects.toThrow(/CUDA execution provider requested but unavailable.*ONNXRUNTIME_NODE_INSTALL=cuda12/);
  });
});
