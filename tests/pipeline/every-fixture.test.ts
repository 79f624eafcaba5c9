/**
 * Issue 7's fidelity bar on every fixture portrait: the optimised head, re-rendered at the 16
 * cameras, reaches >= 28 dB mean PSNR against the 16 target views; frontal fixtures keep identity
 * (cosine >= 0.7 between the input and the head's front render). Draft preset, fewer steps for CI
 * time: 400 instead of 600 steps, but for the hardest (fl-005: FULL_STEPS).
 * A turntable contact sheet per fixture goes to test-output/pipeline/ for looking at.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, afterAll, describe, expect, it } from 'vitest';
import { runGenerate } from '../../src/engine/pipeline/generate';
import { renderCloud, toRgba8 } from '../../src/engine/raster';
import { orbitCamera } from '../../src/shared/camera';
import { decodeSplat } from '../../src/shared/splat';
import { gridImage, writePng } from '../../src/engine/image-io';
import { requireNativeAddon } from '../native-required';

/** Each run takes 30-90 s on 2 idle cores; allow for a loaded machine. */
const RUN_TIMEOUT = 900_000;
const FIXTURES = path.resolve(__dirname, '../../../shared/fixtures/portraits');
const OUT = path.resolve(__dirname, '../../test-output/pipeline');
/**
 * Fixtures run at the draft preset's own steps (600): fl-005's sides show its dense curls where they
 * showed skin (session 14), and at 400 steps it reached 27.98 dB.
 */
const FULL_STEPS = new Set(['fl-005-drawing.png']);
const FRONTAL = new Set(['hq-0001-matted-rgba.png', 'hq-0002-matted-rgba.png', 'hq-0003-matted-rgba.png', 'fl-000-expression.png']);
const PORTRAITS = [
  'hq-0001-matted-rgba.png',
  'hq-0003-matted-rgba.png',
  'fl-000-expression.png',
  'fl-002-outdoor.png',
  'fl-005-drawing.png',
  'pd-astronaut-collins.png',
  'pd-grace-hopper.jpg',
]; // hq-0002 runs in generate.test.ts with the same bars

const tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'hf-every-'));
afterAll(() => fs.rm(tmp, { recursive: true, force: true }));

describe('generate on every fixture portrait', () => {
  beforeAll(requireNativeAddon); // a missing addon fails here (npm install builds it), never skips
  for (const fixture of PORTRAITS) {
    it(`${fixture}: >= 28 dB over the 16 views${FRONTAL.has(fixture) ? ', identity >= 0.7' : ''}`, async () => {
      const runDir = path.join(tmp, fixture);
      const out = await runGenerate({
        projectDir: tmp,
        runDir,
        inputPath: path.join(FIXTURES, fixture),
        settings: { elevationDeg: 'auto', seed: 3, quality: 'draft', backend: 'default', ...(FULL_STEPS.has(fixture) ? {} : { steps: 400 }) },
        signal: new AbortController().signal,
        progress: () => undefined,
        preview: () => undefined,
        log: () => undefined,
      });
      const cloud = decodeSplat(new Uint8Array(await fs.readFile(path.join(runDir, 'head.ply'))), 'head.ply');
      const tiles = [0, 45, 90, 135, 180, 270].map((az) => toRgba8(renderCloud(cloud, orbitCamera(az, 10, 192)), { opaque: true }));
      await fs.mkdir(OUT, { recursive: true });
      await writePng(path.join(OUT, `${path.parse(fixture).name}-turntable.png`), gridImage(tiles, 6));
      console.log(`${fixture}: mean PSNR ${out.metrics.meanPsnr?.toFixed(2)} dB, identity ${out.metrics.identitySimilarity?.toFixed(3) ?? 'n/a'}`);
      expect(out.metrics.meanPsnr).toBeGreaterThanOrEqual(28);
      if (FRONTAL.has(fixture)) expect(out.metrics.identitySimilarity).toBeGreaterThanOrEqual(0.7);
    }, RUN_TIMEOUT);
  }
});
