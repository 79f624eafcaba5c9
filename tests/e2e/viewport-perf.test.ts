/**
 * The 3D preview while orbiting, in the e2e browser (Debian Chromium, software WebGL): progressive
 * quality draws at 0.4 of the resolution and about half the splats while the camera moves, and all of
 * them at full resolution at rest (asserted: buffer sizes and splats drawn, on a 4,096-splat head so it
 * fits CI); F shows the frame time in the corner while the turntable turns. With HEADFORGE_PERF=1 it measures the orbit
 * frame time at 65,536 splats (SH 3) with and without progressive quality and writes the figures to
 * test-output/e2e/viewport-perf.json (not asserted: a shared 2-core box is too noisy for a timing bar).
 * Frame time = drag duration / frames the viewer drew (HEADFORGE_PERF_MOVES: mouse moves per drag, 10). The head: makeTestCloud (a head-sized
 * ellipsoid, 4-30 mm splats), written as a finished run.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { makeTestCloud } from '../../src/shared/gaussians/testing';
import { encodeSplat } from '../../src/shared/splat';
import {
  createAndOpenProject,
  hasChromium,
  launchChromium,
  repoRoot,
  startServe,
  type Browser,
  type ServedStudio,
} from './harness';

const MEASURE = process.env.HEADFORGE_PERF === '1';
const SPLATS = MEASURE ? 65_536 : 4096;
/** Mouse moves per drag: each waits for the page, a frame or more at software-WebGL speed. */
const MOVES = MEASURE ? Number(process.env.HEADFORGE_PERF_MOVES ?? 10) : 3;
const RUN_ID = 'run-20260101000000-perf';

/** A finished run holding only a head (no views): enough for the preview. */
function writeHeadRun(libraryRoot: string): void {
  const projects = path.join(libraryRoot, 'projects');
  const [project] = fs.readdirSync(projects).filter((n) => !n.startsWith('.'));
  const dir = path.join(projects, project, 'runs', RUN_ID);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'head.ply'), encodeSplat(makeTestCloud(SPLATS, 3, 7), 'ply'));
  const now = new Date().toISOString();
  const run = {
    schemaVersion: 1,
    id: RUN_ID,
    createdAt: now,
    updatedAt: now,
    state: 'done',
    settings: { elevationDeg: 'auto', seed: 1, quality: 'draft', backend: 'default' },
    outputs: {
      views: [],
      renders: [],
      headPly: 'head.ply',
      metrics: { gaussians: SPLATS },
      timings: {},
     
      warnings: [],
    },
  };
  fs.writeFileSync(path.join(dir, 'run.json'), JSON.stringify(run));
}

interface Orbit {
  frameMs: number;
  frames: number;
  dragMs: number;
  /** Canvas buffer width / CSS width while dragging and after. */
  movingScale: number;
  restScale: number;
  /** Splats drawn while dragging and after. */
  movingSplats: number;
  restSplats: number;
}

/** Drag across the canvas in MOVES steps; frames drawn and buffer sizes from the page. */
async function orbit(page: Page): Promise<Orbit> {
  const canvas = page.getByTestId('splat-canvas');
  const box = (await canvas.boundingBox())!;
  const frames = async (): Promise<number> =>
    Number((await page.getByTestId('splat-preview').getAttribute('data-frames')) ?? 0);
  const scale = (): Promise<number> => canvas.evaluate((c) => (c as HTMLCanvasElement).width / c.clientWidth);
  const splats = async (): Promise<number> =>
    Number((await page.getByTestId('splat-preview').getAttribute('data-splats-drawn')) ?? 0);
  const [x, y] = [box.x + box.width / 2, box.y + box.height / 2];
  await page.mouse.move(x, y);
  await page.mouse.down();
  await page.mouse.move(x + 5, y, { steps: 2 });
  const f0 = await frames();
  const t0 = Date.now();
  for (let i = 1; i <= MOVES; i++) await page.mouse.move(x + 5 + i * 12, y + (i % 2), { steps: 1 });
  // The last move's frame: wait until the viewer drew after it.
  await expect.poll(frames, { timeout: 60_000, interval: 20 }).toBeGreaterThan(f0);
  const dragMs = Date.now() - t0;
  const f1 = await frames();
  const movingScale = await scale();
  const movingSplats = await splats();
  await page.mouse.up();
  await expect.poll(scale, { timeout: 30_000 }).toBe(1);
  await expect.poll(splats, { timeout: 30_000 }).toBe(SPLATS);
  return {
    frameMs: dragMs / Math.max(1, f1 - f0),
    frames: f1 - f0,
    dragMs,
    movingScale,
    restScale: await scale(),
    movingSplats,
    restSplats: await splats(),
  };
}

describe.skipIf(!hasChromium)('3D preview: progressive quality while orbiting', () => {
  let served: ServedStudio;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    served = await startServe();
    browser = await launchChromium();
    page = await browser.newPage();
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.goto(served.pageUrl);
    await createAndOpenProject(page, 'portraits/hq-0002-matted-rgba.png');
    writeHeadRun(served.libraryRoot);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await served?.stop();
  });

  it('draws at 0.4 resolution with half the splats while orbiting and in full at rest (HEADFORGE_PERF=1: frame times at 65k splats)', async () => {
    const results: Record<string, Orbit> = {};
    for (const mode of MEASURE ? (['off', 'on'] as const) : (['on'] as const)) {
      await page.evaluate((m) => localStorage.setItem('preview.progressive', m), mode);
      const t = Date.now();
      await page.reload();
      await page
        .getByRole('status')
        .filter({ hasText: `Run ${RUN_ID}` })
        .waitFor({ timeout: 120_000 });
      console.log(`[viewport-perf] ${mode}: head shown after ${Date.now() - t} ms`);
      await expect
        .poll(
          async () => Number((await page.getByTestId('splat-preview').getAttribute('data-frames')) ?? 0),
          { timeout: 60_000 },
        )
        .toBeGreaterThan(0);
      console.log(`[viewport-perf] ${mode}: first frame after ${Date.now() - t} ms`);
      results[mode] = await orbit(page);
      console.log(`[viewport-perf] ${mode}: ${JSON.stringify(results[mode])}`);
    }
    expect(results.on.movingScale).toBeCloseTo(0.4, 2); // SplatPreview's MOVING_SCALE
    expect(results.on.restScale).toBe(1);
    // About half the splats while moving (splat-thinning.ts's MOVING_SPLAT_SHARE), all at rest.
    expect(results.on.movingSplats / SPLATS).toBeGreaterThan(0.4);
    expect(results.on.movingSplats / SPLATS).toBeLessThan(0.6);
    expect(results.on.restSplats).toBe(SPLATS);
    expect(results.on.frames).toBeGreaterThan(0);

    // F shows the frame time in the preview's corner; with the turntable on it is a number, not "idle".
    await page.getByTestId('splat-canvas').click();
    await page.keyboard.press('f');
    const corner = page.getByTestId('frame-time');
    await corner.waitFor();
    await page.getByLabel('Turntable').check();
    await expect
      .poll(async () => (await corner.textContent()) ?? '', { timeout: 60_000, interval: 250 })
      .toMatch(/^frame \d+ ms \([\d.]+ fps\)$/);
    await page.getByLabel('Turntable').uncheck();
    await page.getByTestId('splat-canvas').click(); // keys typed into the switch are not shortcuts
    await page.keyboard.press('f');
    await corner.waitFor({ state: 'detached' });
    expect(browser.errors).toEqual([]);
    if (!MEASURE) return;
    const figures = {
      splats: SPLATS,
      viewport: '1440x900',
      browser: 'Debian Chromium headless, software WebGL (SwiftShader)',
      fullResolution: results.off,
      progressive: results.on,
      speedup: results.off.frameMs / results.on.frameMs,
    };
    console.log(`[viewport-perf] ${JSON.stringify(figures)}`);
    fs.mkdirSync(path.join(repoRoot, 'test-output/e2e'), { recursive: true });
    fs.writeFileSync(
      path.join(repoRoot, 'test-output/e2e/viewport-perf.json'),
      JSON.stringify(figures, null, 2),
    );
    expect(results.off.movingScale).toBe(1);
    expect(results.off.movingSplats).toBe(SPLATS);
  }, 540_000);
});
