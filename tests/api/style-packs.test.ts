/**
 * Style packs in the studio, through dispatch() to a real Engine, with the tiny style pack
 * (scripts/make-tiny-style-pack.ts: exact, known ONNX filters) installed where the studio looks
 * ($HEADFORGE_MODELS):
 *   - the Stylize panel's list holds the built-in styles, then the pack's styles;
 *   - previewing a pack style shows what its network computes on the portrait;
 *   - a run may carry a pack style (schema), and the engine applies it to the run's portrait crops;
 *   - the seed explorer's previews carry the draft style (pack or built-in), in their own folders;
 *   - a pack that is not installed, or a malformed pack style, is refused with a clear code.
 */
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { referenceTinyStyle, TINY_STYLES, writeTinyStylePack } from '../../scripts/make-tiny-style-pack';
import type { PortraitStyleChoice, PortraitStylePreview, StudioApi, StudioEvent } from '../../src/shared/contracts/studio-api';
import type { PreprocessResult } from '../../src/shared/contracts/preprocess';
import { createRgba, type RgbaImage } from '../../src/shared/image';
import { dispatch } from '../../src/engine/host/dispatch';
import { Engine } from '../../src/engine/host/engine';
import { rgbOnWhite } from '../../src/engine/diffusion/image-tensor';
import { stylizeRunPortrait } from '../../src/engine/stylize/run-style';
import { runGenerate } from '../host/fixtures/test-pipeline';
import { errorCode, portraitBytes, tempLibrary, waitForEvent } from './helpers';

let engine: Engine;
let library: string;
let models: string;
let projectId: string;
let savedModelsEnv: string | undefined;
const call = <M extends keyof StudioApi>(method: M, ...args: unknown[]) => dispatch(engine, method, args);
const fileOf = (url: string): string => path.join(library, 'projects', ...decodeURI(url.split('?')[0]).replace(/^\/assets\//, '').split('/'));

async function readRgba(file: string): Promise<RgbaImage> {
  const { data, info } = await sharp(file).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, data: new Uint8ClampedArray(data.buffer, data.byteOffset, data.byteLength) };
}

/** Mean of (red - blue) over the pixels, 0..255 scale: sepia pushes it up, a cool tint down. */
function warmth(img: RgbaImage): number {
  let acc = 0;
  for (let i = 0; i < img.width * img.height; i++) acc += img.data[i * 4] - img.data[i * 4 + 2];
  return acc / (img.width * img.height);
}

/**
 * Share of the opaque, non-white pixels whose channels are ordered red >= green >= blue. The sepia
 * matrix's rows are ordered that way coefficient by coefficient, so every sepia-toned pixel is (up to
 * the mild sharpen); a photograph's hair, eyes, clothes and shadows are not.
 */
function sepiaOrdered(img: RgbaImage): number {
  let ordered = 0;
  let counted = 0;
  for (let i = 0; i < img.width * img.height; i++) {
    const [r, g, b, a] = img.data.subarray(i * 4, i * 4 + 4);
    if (a < 255 || r + g + b > 3 * 245) continue;
    counted++;
    if (r + 1 >= g && g + 1 >= b) ordered++;
  }
  return ordered / Math.max(1, counted);
}

const meanAbsDiff = (a: RgbaImage, b: RgbaImage): number => {
  let acc = 0;
  for (let i = 0; i < a.data.length; i++) acc += Math.abs(a.data[i] - b.data[i]);
  return acc / a.data.length;
};

beforeAll(async () => {
  models = tempLibrary('hf-style-models-');
  writeTinyStylePack(path.join(models, 'tiny-styles'));
  savedModelsEnv = process.env.HEADFORGE_MODELS;
  process.env.HEADFORGE_MODELS = models;
  process.env.HEADFORGE_EP ??= 'cpu';
  library = tempLibrary('hf-style-packs-');
  engine = await Engine.create({ libraryRoot: library, loadPipeline: async () => runGenerate });
  projectId = (await engine.createProject({ name: 'Styles', fileName: 'p.png', bytes: portraitBytes() })).id;
}, 60_000);

afterAll(() => {
  engine?.shutdown();
  if (savedModelsEnv === undefined) delete process.env.HEADFORGE_MODELS;
  else process.env.HEADFORGE_MODELS = savedModelsEnv;
  for (const dir of [library, models]) if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe('style packs in the studio', () => {
  it('lists the built-in styles, then the installed pack styles', async () => {
    const choices = (await call('listPortraitStyles')) as PortraitStyleChoice[];
    expect(choices.map((c) => c.id)).toEqual(['cel', 'pencil', 'painterly', 'pack:tiny-styles/sepia', 'pack:tiny-styles/cool-64']);
    expect(choices[3]).toMatchObject({ kind: 'pack', label: 'Sepia (tiny test network) (tiny-styles)', isPackDefault: true });
    expect(await errorCode(call('listPortraitStyles', 'extra'))).toBe('BAD_REQUEST');
  });

  it('previews a pack style: the after picture is the network applied to the before picture', async () => {
    const p = (await call('previewPortraitStyle', { projectId, style: { name: 'pack:tiny-styles/sepia', strength: 1 } })) as PortraitStylePreview;
    expect(p.afterUrl).toMatch(/style-previews\/pack_tiny-styles_sepia-100\.png\?v=/);
    const before = await readRgba(fileOf(p.beforeUrl));
    const after = await readRgba(fileOf(p.afterUrl));
    const ref = referenceTinyStyle(TINY_STYLES[0], rgbOnWhite(before), before.width, before.height);
    let maxErr = 0;
    for (let i = 0; i < before.width * before.height; i++) {
      if (before.data[i * 4 + 3] !== 255) continue; // matte edges: compared on white, stored with alpha
      for (let c = 0; c < 3; c++) maxErr = Math.max(maxErr, Math.abs(after.data[i * 4 + c] / 255 - ref[i * 3 + c]));
    }
    expect(maxErr).toBeLessThanOrEqual(1.5 / 255); // two PNG roundings
    expect(meanAbsDiff(before, after)).toBeGreaterThan(5); // plainly visible
    expect(sepiaOrdered(after)).toBeGreaterThan(0.95);
  }, 60_000);

  it('refuses a pack that is not installed, a style the pack lacks, and malformed pack styles', async () => {
    expect(await errorCode(call('previewPortraitStyle', { projectId, style: { name: 'pack:no-such-pack', strength: 1 } }))).toBe('BACKEND_UNAVAILABLE');
    expect(await errorCode(call('previewPortraitStyle', { projectId, style: { name: 'pack:tiny-styles/oil', strength: 1 } }))).toBe('BAD_REQUEST');
    for (const name of ['pack:', 'pack:../x', 'pack:tiny-styles/', 'pack:Tiny/x y'])
      expect(await errorCode(call('previewPortraitStyle', { projectId, style: { name, strength: 1 } })), name).toBe('BAD_REQUEST');
  });

  it('a run may carry a pack style; it is stored with the run', async () => {
    const settings = { elevationDeg: 0, seed: 3, quality: 'draft', backend: 'default', style: { name: 'pack:tiny-styles/cool-64', strength: 0.5 } };
    const job = (await call('startRun', { projectId, settings })) as { id: string; runId: string };
    await waitForEvent(engine, (e: StudioEvent) => e.type === 'job-finished' && e.job.id === job.id, 60_000);
    const run = (await engine.getProject(projectId)).runs.find((r) => r.id === job.runId);
    expect(run?.settings.style).toEqual({ name: 'pack:tiny-styles/cool-64', strength: 0.5 });
  }, 60_000);

  it("the engine applies a pack style to a run's portrait crops, and only to them", async () => {
    const crop = (size: number): RgbaImage => {
      const img = createRgba(size, size);
      for (let i = 0; i < size * size; i++) img.data.set([90 + (i % 7) * 20, 120, 160, 255], i * 4);
      return img;
    };
    const pre = { image512: crop(64), image256: crop(32), elevationDeg: 7, warnings: ['kept'] } as unknown as PreprocessResult;
    const styled = await stylizeRunPortrait(pre, { name: 'pack:tiny-styles', strength: 1 });
    expect([styled.image512.width, styled.image256.width]).toEqual([64, 32]);
    // The pack's default style is sepia: blue-ish crops come out warm.
    expect(warmth(pre.image512)).toBeLessThan(0);
    expect(warmth(styled.image512)).toBeGreaterThan(10);
    expect(warmth(styled.image256)).toBeGreaterThan(10);
    expect(styled.elevationDeg).toBe(7);
    expect(styled.warnings).toBe(pre.warnings);
    expect(warmth(pre.image512)).toBeLessThan(0); // the input is not modified
    await expect(stylizeRunPortrait(pre, { name: 'pack:none-here', strength: 1 })).rejects.toMatchObject({ code: 'BACKEND_UNAVAILABLE' });
  }, 60_000);
});

describe('seed previews carry the draft style', () => {
  /** Run a one-seed preview job and return the front view (view 0) and its folder. */
  async function frontView(style?: { name: string; strength: number }): Promise<{ folder: string; img: RgbaImage }> {
    const seen = waitForEvent(engine, (e: StudioEvent) => e.type === 'seed-preview', 120_000);
    const job = (await call('startSeedPreviews', { projectId, seeds: [5], elevationDeg: 0, backend: 'default', ...(style ? { style } : {}) })) as { id: string };
    const ev = (await seen) as Extract<StudioEvent, { type: 'seed-preview' }>;
    await waitForEvent(engine, (e: StudioEvent) => e.type === 'job-finished' && e.job.id === job.id, 120_000).catch(() => undefined);
    const file = fileOf(ev.preview.viewUrls[0]);
    return { folder: path.basename(path.dirname(file)), img: await readRgba(file) };
  }

  it('a styled seed preview shows the style (sepia-toned with the sepia pack style) and lives in its own folder', async () => {
    const plain = await frontView();
    const sepia = await frontView({ name: 'pack:tiny-styles/sepia', strength: 1 });
    const cel = await frontView({ name: 'cel', strength: 0.8 });
    expect(plain.folder).toBe('s5-e0.0-default');
    expect(sepia.folder).toBe('s5-e0.0-default-pack_tiny-styles_sepia-100');
    expect(cel.folder).toBe('s5-e0.0-default-cel-80');
    expect(sepiaOrdered(sepia.img)).toBeGreaterThan(0.95);
    expect(sepiaOrdered(sepia.img)).toBeGreaterThan(sepiaOrdered(plain.img) + 0.05);
    expect(meanAbsDiff(plain.img, cel.img)).toBeGreaterThan(3);
  }, 240_000);

  it('refuses a bad style before starting the job', async () => {
    expect(await errorCode(call('startSeedPreviews', { projectId, seeds: [5], elevationDeg: 0, backend: 'default', style: { name: 'oil', strength: 1 } }))).toBe('BAD_REQUEST');
  });
});
