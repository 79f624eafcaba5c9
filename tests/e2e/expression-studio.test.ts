/**
 * The Expression panel in the studio (browser mode: real `headforge serve`, real pipeline with the ICT
 * head model, Debian Chromium): after a short run, moving the jawOpen slider changes the 3D preview in
 * the mouth region (found by projecting the run's fitted mouth and chin through the preview's camera)
 * far more than anywhere else; the Surprise preset poses the head too. Screenshot:
 * docs/screenshots/expression-studio.png (the panel) and expression-studio-jaw-open.png (the preview at
 * jawOpen 100 %; look at it: the open mouth shows teeth and a dark interior).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fittedModelToWorld } from '../../src/engine/head-fit/model-to-world';
import type { HeadFit } from '../../src/engine/head-fit/types';
import { expressionIndex, headModelVertices } from '../../src/engine/head-model';
import { PREVIEW_FOV_DEG, previewOrbitDistance } from '../../src/renderer/workspace/preview-camera';
import {
  CHROMIUM,
  createAndOpenProject,
  hasChromium,
  launchChromium,
  screenshotPath,
  startServe,
  type Browser,
  type ServedStudio,
} from './harness';
import { sharedHeadModel } from '../head-fit/shared-model';

if (!hasChromium)
  console.warn(
    `[e2e] SKIPPED: ${CHROMIUM} is missing; install Debian's chromium to run the expression studio test.`,
  );

/** Optimisation steps: enough to close the splats' gaps around the mouth, short on 2 loaded cores. */
const STEPS = 60;
const RUN_TIMEOUT_MS = 300_000;

interface Shot {
  width: number;
  height: number;
  px: number[];
}

async function previewShot(page: Page): Promise<Shot> {
  return page.getByTestId('splat-canvas').evaluate((node) => {
    const src = node as HTMLCanvasElement;
    const c = document.createElement('canvas');
    c.width = src.width;
    c.height = src.height;
    const ctx = c.getContext('2d') as CanvasRenderingContext2D;
    ctx.drawImage(src, 0, 0);
    return {
      width: c.width,
      height: c.height,
      px: Array.from(ctx.getImageData(0, 0, c.width, c.height).data),
    };
  });
}

/** Mean absolute RGB difference inside and outside a pixel box [x0, y0, x1, y1]. */
function diffInOut(a: Shot, b: Shot, box: number[]): { inside: number; outside: number } {
  let inS = 0;
  let inN = 0;
  let outS = 0;
  let outN = 0;
  for (let y = 0; y < a.height; y++)
    for (let x = 0; x < a.width; x++) {
      const o = (y * a.width + x) * 4;
      const d =
        Math.abs(a.px[o] - b.px[o]) +
        Math.abs(a.px[o + 1] - b.px[o + 1]) +
        Math.abs(a.px[o + 2] - b.px[o + 2]);
      if (x >= box[0] && x <= box[2] && y >= box[1] && y <= box[3]) {
        inS += d;
        inN++;
      } else {
        outS += d;
        outN++;
      }
    }
  return { inside: inS / Math.max(1, inN), outside: outS / Math.max(1, outN) };
}

describe.skipIf(!hasChromium)('expression studio (browser mode)', () => {
  let served: ServedStudio;
  let browser: Browser;
  let page: Page;
  let runDir: string;

  beforeAll(async () => {
    served = await startServe();
    browser = await launchChromium();
    page = await browser.newPage();
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.goto(served.pageUrl);
    await createAndOpenProject(page, 'portraits/hq-0002-matted-rgba.png');
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await served?.stop();
  });

  it(
    'a run with the head model finishes',
    async () => {
      await page.getByRole('button', { name: 'Advanced' }).click();
      await page.getByRole('spinbutton', { name: 'Optimisation steps' }).fill(String(STEPS));
      await page.getByRole('button', { name: 'Run', exact: true }).click();
      const projects = path.join(served.libraryRoot, 'projects');
      const runsDir = () =>
        path.join(projects, readdirSync(projects).filter((n) => !n.startsWith('.'))[0], 'runs');
      const state = () => {
        const ids = existsSync(runsDir()) ? readdirSync(runsDir()) : [];
        const run = ids.map((id) => path.join(runsDir(), id, 'run.json')).filter(existsSync)[0];
        return run
          ? (JSON.parse(readFileSync(run, 'utf8')) as { id: string; state: string; error?: string })
          : null;
      };
      await expect
        .poll(() => state()?.state ?? 'none', { timeout: RUN_TIMEOUT_MS, interval: 1000 })
        .toSatisfy((s: string) => s === 'done' || s === 'failed');
      const run = state()!;
      expect(run.state, run.error).toBe('done');
      runDir = path.join(runsDir(), run.id);
      expect(existsSync(path.join(runDir, 'head-fit.json'))).toBe(true);
      await page
        .getByRole('status')
        .filter({ hasText: `Run ${run.id}` })
        .waitFor({ timeout: 60_000 });
    },
    RUN_TIMEOUT_MS + 30_000,
  );

  it('moving jawOpen changes the preview in the mouth region', async () => {
    const panel = page.getByTestId('expression-studio');
    await panel.scrollIntoViewIfNeeded();
    await page.getByTestId('splat-preview').evaluate((n) => n.scrollIntoView({ block: 'start' }));
    // Let the viewer settle at full resolution before the reference picture.
    await page.waitForTimeout(1500);
    const before = await previewShot(page);
    const slider = panel.getByRole('slider', { name: 'jawOpen' });
    await slider.focus();
    await page.keyboard.press('End'); // 100 %
    await page
      .getByRole('status')
      .filter({ hasText: /expression: jawOpen 100%/ })
      .waitFor({ timeout: 90_000 });
    await page.waitForTimeout(1500);
    const after = await previewShot(page);

    // The mouth box on the canvas: the run's fitted mouth corners, nose base and chin (world, y up),
    // projected through the preview's starting camera (on +z at the preview orbit distance).
    const model = await sharedHeadModel();
    const fit = JSON.parse(readFileSync(path.join(runDir, 'head-fit.json'), 'utf8')) as HeadFit;
    const record = JSON.parse(readFileSync(path.join(runDir, 'record.json'), 'utf8')) as {
      resolved: { inputCamera: Parameters<typeof fittedModelToWorld>[1] };
    };
    const beta = new Float32Array(model.expressionNames.length);
    for (const [k, w] of Object.entries(fit.expression)) beta[expressionIndex(model, k)] = w;
    const posed = headModelVertices(model, fit.identity, beta);
    const toWorld = fittedModelToWorld(fit, record.resolved.inputCamera);
    const lm = (i: number) => toWorld.point(posed, model.multiPie68[i] * 3);
    const d = previewOrbitDistance();
    const t = Math.tan((PREVIEW_FOV_DEG * Math.PI) / 360);
    const toPx = ([x, y, z]: number[]) => {
      const s = 1 / ((d - z) * t);
      return [
        ((x * s * before.height) / before.width + 1) * 0.5 * before.width,
        (1 - y * s) * 0.5 * before.height,
      ];
    };
    const [l, r, nose, chin] = [lm(48), lm(54), lm(33), lm(8)].map(toPx);
    const w = r[0] - l[0];
    const box = [l[0] - 0.5 * w, nose[1], r[0] + 0.5 * w, chin[1] + 0.6 * (chin[1] - nose[1])];
    const { inside, outside } = diffInOut(before, after, box);
    console.log(
      `[e2e] jawOpen: mean RGB change ${inside.toFixed(1)} in the mouth box ${box.map(Math.round).join(',')}, ${outside.toFixed(2)} outside`,
    );
    expect(inside).toBeGreaterThan(8);
    expect(inside).toBeGreaterThan(6 * outside);
    await page
      .getByTestId('splat-preview')
      .screenshot({ path: screenshotPath('expression-studio-jaw-open.png') });
    await panel.screenshot({ path: screenshotPath('expression-studio.png') });
  }, 300_000);

  it('a preset poses the head (surprise), Neutral shows the head as generated', async () => {
    const panel = page.getByTestId('expression-studio');
    await panel.getByRole('button', { name: 'Surprise' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: /expression: browInnerUp 100%/ })
      .waitFor({ timeout: 60_000 });
    await panel.getByRole('button', { name: 'Neutral' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: /expression/ })
      .waitFor({ state: 'detached', timeout: 60_000 });
    expect(browser.errors).toEqual([]);
  }, 120_000);
});
