/**
 * Workspace e2e in browser mode: real `headforge serve`, real pipeline (draft preset, a short step
 * override so three runs fit in CI), Debian Chromium. One artist session, in order:
 *   settings undo/redo (keys and buttons) ->
 *   run (history says running at once) -> live preview upright while running -> done: 16 view tiles with the engine's per-view PSNR,
 *   the head in the 3D preview upright and facing the camera -> views compared (side by side,
 *   difference heatmap) -> at 1440x900 and 1280x720 the preview, 8+ tiles and Run on screen together, a
 *   clicked tile snaps the camera (pixels differ) and is marked -> labelled side by side / overlay -> export PLY and SPZ through the dialog, found
 *   on disk and decoded, the toast's download link serves the file -> flag a view as bad, change
 *   elevation and seed, re-run (settings on disk) -> compare the two runs -> revert to the first run
 *   and undo that -> seed explorer previews, promote a seed -> seed previews with progress, cancelled
 *   between seeds -> cancel a third run mid-way (UI
 *   and run.json) -> settings survive a reload.
 * Screenshots (docs/screenshots/): workspace-running.png, workspace.png, workspace-1440x900.png, workspace-1280x720.png, compare.png,
 * compare-difference.png, export-dialog.png, runs-compare.png, seed-explorer.png, seed-explorer-progress.png. Look at them: a test cannot see a
 * mirrored face.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { decodeSplat } from '../../src/shared/splat';
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
import { canvasForeground, profileCorrelation, referenceProfile, type Foreground } from './silhouette';

if (!hasChromium)
  console.warn(`[e2e] SKIPPED: ${CHROMIUM} is missing; install Debian's chromium to run the workspace test.`);

/** Optimisation steps of the test runs (the draft preset's 600 take minutes on 2 loaded cores). */
const STEPS_FIRST = 160;
const STEPS_SECOND = 120;
const RUN_TIMEOUT_MS = 240_000;

interface RunOnDisk {
  id: string;
  state: string;
  createdAt: string;
  error?: string;
  settings: {
    seed: number;
    quality: string;
    elevationDeg: number | 'auto';
    steps?: number;
    ignoredViews?: number[];
  };
  outputs?: {
    views: string[];
    renders: string[];
    headPly: string | null;
    metrics: { perViewPsnr: number[]; gaussians: number };
  };
}

function projectDir(libraryRoot: string): string {
  const projects = path.join(libraryRoot, 'projects');
  const ids = existsSync(projects) ? readdirSync(projects).filter((n) => !n.startsWith('.')) : [];
  if (ids.length !== 1) throw new Error(`expected one project in the library, found ${ids.length}`);
  return path.join(projects, ids[0]);
}

/** The project's runs on disk (run.json), oldest first. */
function runsOnDisk(libraryRoot: string): RunOnDisk[] {
  const runs = path.join(projectDir(libraryRoot), 'runs');
  const out: RunOnDisk[] = [];
  for (const r of existsSync(runs) ? readdirSync(runs) : []) {
    const file = path.join(runs, r, 'run.json');
    if (existsSync(file)) out.push(JSON.parse(readFileSync(file, 'utf8')) as RunOnDisk);
  }
  return out.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
}

const runDir = (libraryRoot: string, runId: string): string =>
  path.join(projectDir(libraryRoot), 'runs', runId);

async function waitForRunState(libraryRoot: string, index: number, states: string[]): Promise<RunOnDisk> {
  await expect
    .poll(() => runsOnDisk(libraryRoot)[index]?.state ?? 'none', { timeout: RUN_TIMEOUT_MS, interval: 500 })
    .toSatisfy((s: string) => states.includes(s) || s === 'failed');
  const run = runsOnDisk(libraryRoot)[index];
  // A failed run is a failure of this test, with the engine's words.
  expect(run.state, `run ${run.id} ended ${run.state}: ${run.error ?? ''}`).not.toBe('failed');
  return run;
}

async function selectOption(page: Page, combobox: string, option: RegExp): Promise<void> {
  await page.getByRole('combobox', { name: combobox }).click();
  await page.getByRole('option', { name: option }).click();
}

/** The 3D preview shows a head: not blank, and upright (its silhouette matches the front image, not the flipped one). */
async function expectUprightHead(page: Page, referencePng: string): Promise<Foreground> {
  const reference = await referenceProfile(referencePng);
  let seen: Foreground | null = null;
  await expect
    .poll(
      async () => {
        seen = await canvasForeground(page);
        return seen.fraction;
      },
      { timeout: 90_000, interval: 1000 },
    )
    .toBeGreaterThan(0.02);
  const fg = seen as unknown as Foreground;
  const upright = profileCorrelation(fg.rows, reference);
  const flipped = profileCorrelation(fg.rows, [...reference].reverse());
  // Seen: upright r = 0.59, flipped r = -0.50 (the preview's wider lens shows more shoulder).
  const words = `silhouette vs front image: upright r=${upright.toFixed(2)}, flipped r=${flipped.toFixed(2)}`;
  expect(upright, words).toBeGreaterThan(0.4);
  expect(upright - flipped, words).toBeGreaterThan(0.5);
  // Crown at the top, shoulders at the bottom: the bottom corners hold more head than the top corners.
  expect(fg.bottomCorners).toBeGreaterThan(fg.topCorners);
  return fg;
}

/**
 * What is on screen without scrolling: for the canvas, each view tile and Run, the element at its
 * centre is itself (not clipped by a scroll container, not covered), and the page does not scroll.
 */
async function onScreen(
  page: Page,
): Promise<{ canvas: boolean; canvasHeight: number; tiles: number; run: boolean; pageScrolls: boolean }> {
  return page.evaluate(() => {
    const visible = (el: Element | null | undefined): boolean => {
      if (!el) return false;
      const r = el.getBoundingClientRect();
      const x = r.left + r.width / 2;
      const y = r.top + r.height / 2;
      if (r.width === 0 || x < 0 || y < 0 || x > innerWidth || y > innerHeight) return false;
      const hit = document.elementFromPoint(x, y);
      return Boolean(hit && (el === hit || el.contains(hit)));
    };
    const canvas = document.querySelector('[data-testid="splat-canvas"]');
    const tiles = [...document.querySelectorAll('[data-testid="view-tile"] img')].filter(visible).length;
    const run = [...document.querySelectorAll('button')].find(
      (b) => b.textContent?.trim() === 'Run' || b.textContent?.trim() === 'Cancel run',
    );
    const root = document.scrollingElement ?? document.documentElement;
    return {
      canvas: visible(canvas),
      canvasHeight: canvas?.getBoundingClientRect().height ?? 0,
      tiles,
      run: visible(run),
      pageScrolls: root.scrollHeight > innerHeight + 1,
    };
  });
}

/** The preview canvas scaled to 48x48 grey levels (for "the picture changed"). */
async function canvasSignature(page: Page): Promise<number[]> {
  return page.getByTestId('splat-canvas').evaluate((node) => {
    const c = document.createElement('canvas');
    c.width = c.height = 48;
    const ctx = c.getContext('2d') as CanvasRenderingContext2D;
    ctx.drawImage(node as HTMLCanvasElement, 0, 0, 48, 48);
    const px = ctx.getImageData(0, 0, 48, 48).data;
    const out: number[] = [];
    for (let i = 0; i < px.length; i += 4) out.push((px[i] + px[i + 1] + px[i + 2]) / 3);
    return out;
  });
}

const meanAbsDiff = (a: number[], b: number[]): number =>
  a.reduce((sum, v, i) => sum + Math.abs(v - b[i]), 0) / a.length;

describe.skipIf(!hasChromium)('workspace (browser mode)', () => {
  let served: ServedStudio;
  let browser: Browser;
  let page: Page;
  let first: RunOnDisk;
  let exploredSeed = -1;

  beforeAll(async () => {
    served = await startServe();
    browser = await launchChromium();
    page = await browser.newPage();
    await page.goto(served.pageUrl);
    await createAndOpenProject(page, 'portraits/hq-0002-matted-rgba.png');
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await served?.stop();
  });

  it('has labelled, keyboard-operable generation controls', async () => {
    const slider = page.getByRole('slider', { name: /Elevation/ });
    await page.getByLabel('Auto', { exact: true }).uncheck();
    await slider.focus();
    const before = Number(await slider.getAttribute('aria-valuenow'));
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    expect(Number(await slider.getAttribute('aria-valuenow'))).toBe(before + 2);
    await page.getByLabel('Auto', { exact: true }).check();

    await page.getByRole('button', { name: 'Lock seed' }).click();
    await expect(page.getByRole('button', { name: 'Randomise seed' }).isDisabled()).resolves.toBe(true);
    await page.getByRole('spinbutton', { name: 'Seed' }).fill('1234');
    await expect(page.getByRole('combobox', { name: 'Quality' }).textContent()).resolves.toContain('Draft');
    await page.getByRole('combobox', { name: 'Backend' }).waitFor();

    // The Advanced section opens from the keyboard and holds the steps override.
    await page.getByRole('button', { name: 'Advanced' }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('spinbutton', { name: 'Optimisation steps' }).fill(String(STEPS_FIRST));
  });

  it('undoes and redoes settings edits with Ctrl+Z / Ctrl+Shift+Z and the buttons', async () => {
    const auto = page.getByLabel('Auto', { exact: true });
    await auto.uncheck();
    await page.getByRole('button', { name: 'Unlock seed' }).click();
    await page.getByRole('button', { name: 'Lock seed' }).waitFor();
    await page.keyboard.press('Control+z'); // focus is on the lock button, not a text field
    await page.getByRole('button', { name: 'Unlock seed' }).waitFor();
    await page.keyboard.press('Control+z');
    await expect(auto.isChecked()).resolves.toBe(true);
    await page.keyboard.press('Control+Shift+Z');
    await expect(auto.isChecked()).resolves.toBe(false);
    await page.getByRole('button', { name: 'Undo settings change' }).click();
    await expect(auto.isChecked()).resolves.toBe(true);
    // What the first run uses is unchanged by the round trip.
    await expect(page.getByRole('spinbutton', { name: 'Seed' }).inputValue()).resolves.toBe('1234');
    await expect(page.getByRole('spinbutton', { name: 'Optimisation steps' }).inputValue()).resolves.toBe(
      String(STEPS_FIRST),
    );
    await page.getByRole('button', { name: 'Unlock seed' }).waitFor();
  });

  it('runs the pipeline: live preview upright while running, then views, PSNR and the head upright', async () => {
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await page.getByRole('button', { name: 'Cancel run' }).waitFor();
    // The engine announces the start: the history says running long before the first preview.
    await page.getByTestId('run-history').getByText('running', { exact: true }).waitFor({ timeout: 30_000 });

    // The live preview arrives during the optimisation (job-preview events, y-up arrays).
    await page
      .getByRole('status')
      .filter({ hasText: /Live preview, step \d+/ })
      .waitFor({ timeout: RUN_TIMEOUT_MS });
    // From the first live preview on, the canvas is sampled every 250 ms: it must never be empty
    // (a preview update used to remove the old head before the new one was drawn).
    await page.evaluate(() => {
      const w = window as unknown as { blankSamples: number[]; blankSampler: number };
      w.blankSamples = [];
      w.blankSampler = window.setInterval(() => {
        const src = document.querySelector('[data-testid="splat-canvas"]') as HTMLCanvasElement | null;
        if (!src) return;
        const c = document.createElement('canvas');
        c.width = c.height = 64;
        const ctx = c.getContext('2d') as CanvasRenderingContext2D;
        ctx.drawImage(src, 0, 0, 64, 64);
        const px = ctx.getImageData(0, 0, 64, 64).data;
        let fg = 0;
        for (let i = 0; i < px.length; i += 4)
          if (Math.abs(px[i] - px[0]) + Math.abs(px[i + 1] - px[1]) + Math.abs(px[i + 2] - px[2]) > 30) fg++;
        w.blankSamples.push(fg / 4096);
      }, 250);
    });
    const running = runsOnDisk(served.libraryRoot)[0];
    const viewsDir = path.join(runDir(served.libraryRoot, running.id), 'views');
    await page.screenshot({ path: screenshotPath('workspace-running.png') });
    if (await page.getByRole('button', { name: 'Cancel run' }).isVisible()) {
      await expectUprightHead(page, path.join(viewsDir, 'view-00.png'));
    }

    first = await waitForRunState(served.libraryRoot, 0, ['done']);
    expect(first.settings).toMatchObject({ seed: 1234, quality: 'draft', steps: STEPS_FIRST });
    await page.getByTestId('run-history').getByText('seed 1234').waitFor();

    // The 16 views, in the UI as on disk, each with the engine's PSNR.
    const outputs = first.outputs!;
    expect(outputs.views).toHaveLength(16);
    await expect.poll(() => page.getByTestId('view-tile').count(), { timeout: 15_000 }).toBe(16);
    for (const i of [0, 5, 8]) {
      const caption = page.locator(`[data-testid="view-tile"][data-view="${i}"]`).getByTestId('view-psnr');
      await expect(caption.textContent()).resolves.toContain(
        `${outputs.metrics.perViewPsnr[i].toFixed(1)} dB`,
      );
    }
    await expect
      .poll(
        () =>
          page
            .getByTestId('view-tile')
            .getByRole('img')
            .evaluateAll(
              (imgs) =>
                imgs.filter(
                  (i) => (i as HTMLImageElement).complete && (i as HTMLImageElement).naturalWidth === 256,
                ).length,
            ),
        { timeout: 30_000 },
      )
      .toBe(16);

    // The finished head (head.ply, RDF axes) is upright and faces the camera at the default view.
    await page
      .getByRole('status')
      .filter({ hasText: `Run ${first.id}` })
      .waitFor({ timeout: 60_000 });
    const samples = await page.evaluate(() => {
      const w = window as unknown as { blankSamples: number[]; blankSampler: number };
      clearInterval(w.blankSampler);
      return w.blankSamples;
    });
    expect(samples.length).toBeGreaterThan(4);
    expect(
      Math.min(...samples),
      `foreground fraction per 250 ms sample: ${samples.map((v) => v.toFixed(3)).join(' ')}`,
    ).toBeGreaterThan(0.01);
    await expectUprightHead(page, path.join(runDir(served.libraryRoot, first.id), 'renders/render-00.png'));
    // The README's picture starts at the top of the input panel (Run's focus scrolled it down).
    await page
      .getByRole('complementary', { name: 'Input and generation' })
      .evaluate((el) => el.scrollTo(0, 0));
    await page.screenshot({ path: screenshotPath('workspace.png') });
  });

  it('compares views with head renders: side by side, difference heatmap', async () => {
    await page.getByRole('button', { name: 'Side by side' }).click();
    await expect.poll(() => page.getByRole('img', { name: /head render$/ }).count()).toBe(16);
    await page
      .getByRole('heading', { name: /GENERATED VIEWS/ })
      .evaluate((h) => h.scrollIntoView({ block: 'start' }));
    await page.screenshot({ path: screenshotPath('compare.png') });

    await page.keyboard.press('d'); // shortcut for the difference heatmap
    const heat = page.getByTestId('difference-heatmap');
    await expect.poll(() => heat.count()).toBe(16);
    // A real difference image: mostly dark (the head fits its views) but not all black.
    const stats = await heat.first().evaluate(async (node) => {
      const c = node as HTMLCanvasElement;
      for (let t = 0; t < 50 && c.width <= 300 && c.width !== 256; t++)
        await new Promise((r) => setTimeout(r, 100));
      const px = (c.getContext('2d') as CanvasRenderingContext2D).getImageData(0, 0, c.width, c.height).data;
      let lit = 0;
      let sum = 0;
      for (let i = 0; i < px.length; i += 4) {
        const v = (px[i] + px[i + 1] + px[i + 2]) / 3;
        sum += v;
        if (v > 30) lit++;
      }
      return { width: c.width, lit: lit / (px.length / 4), mean: sum / (px.length / 4) };
    });
    expect(stats.width).toBe(256);
    expect(stats.lit).toBeGreaterThan(0.001);
    expect(stats.mean).toBeLessThan(80);
    await page.screenshot({ path: screenshotPath('compare-difference.png') });
    await page.keyboard.press('v');
  });

  it('shows the 3D preview, 8+ view tiles and Run together at 1440x900 and 1280x720; a clicked tile snaps the camera and is marked', async () => {
    const sizes = [
      { width: 1440, height: 900, tile: 5, shot: 'workspace-1440x900.png' },
      { width: 1280, height: 720, tile: 11, shot: 'workspace-1280x720.png' },
    ];
    for (const size of sizes) {
      await page.setViewportSize({ width: size.width, height: size.height });
      await page.getByRole('button', { name: 'Reset view' }).click();
      await page
        .getByRole('complementary', { name: 'Input and generation' })
        .evaluate((el) => el.scrollTo(0, 0));
      const seen = await onScreen(page);
      const words = `${size.width}x${size.height}: ${JSON.stringify(seen)}`;
      expect(seen.canvas, words).toBe(true);
      expect(seen.canvasHeight, words).toBeGreaterThanOrEqual(200);
      expect(seen.tiles, words).toBeGreaterThanOrEqual(8);
      expect(seen.run, words).toBe(true);
      expect(seen.pageScrolls, words).toBe(false);
      await page.screenshot({ path: screenshotPath(size.shot) });

      // A tile click moves the camera there (other pixels) and marks that tile, and only that one.
      const before = await canvasSignature(page);
      const tile = page.locator(`[data-testid="view-tile"][data-view="${size.tile}"]`);
      await tile.getByRole('button', { name: /show the 3D head from here/ }).click();
      await expect
        .poll(async () => meanAbsDiff(before, await canvasSignature(page)), { timeout: 15_000 })
        .toBeGreaterThan(2);
      await expect(tile.getAttribute('data-picked')).resolves.toBe('true');
      expect(await page.locator('[data-testid="view-tile"][data-picked="true"]').count()).toBe(1);
    }
    await page.getByRole('button', { name: 'Reset view' }).click();
    expect(await page.locator('[data-testid="view-tile"][data-picked="true"]').count()).toBe(0);
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it('labels the halves of side by side ("generated" / "render") and the overlay slider', async () => {
    await page.getByRole('button', { name: 'Side by side' }).click();
    await expect(page.getByTestId('pair-legend').textContent()).resolves.toMatch(/generated.*render/);
    await page.getByRole('button', { name: 'Overlay' }).click();
    const legend = page.getByTestId('overlay-legend');
    await expect(legend.textContent()).resolves.toMatch(/render.*generated/);
    await legend.getByRole('slider', { name: /generated view.*render/ }).waitFor();
    await page.keyboard.press('v');
  });

  it('exports through the dialog: a preset sets format and budget, the size shown is the file size; PLY and SPZ decode to the head', async () => {
    await page.getByRole('button', { name: 'Export', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Export head' });
    await dialog.waitFor();
    const exactSize = async (): Promise<number> => {
      const size = dialog.getByTestId('export-size');
      await size.getByText(/\([\d,]+ bytes/).waitFor({ timeout: 60_000 });
      return Number(/\(([\d,]+) bytes/.exec((await size.textContent()) ?? '')![1].replace(/,/g, ''));
    };

    // A preset sets its format, SH degree and budget; the size shown is the file's.
    await selectOption(page, 'Engine preset', /^Web viewers/);
    await expect(page.getByRole('combobox', { name: 'Format' }).textContent()).resolves.toMatch(/SPZ v2/);
    await expect(dialog.getByLabel(/Splat budget/).inputValue()).resolves.toBe('300000');
    const webSize = await exactSize();
    await dialog.getByRole('button', { name: 'Export', exact: true }).click();
    await dialog.getByText(/Wrote head-web-spz\.spz/).waitFor({ timeout: 60_000 });
    const exportsDir = path.join(runDir(served.libraryRoot, first.id), 'exports');
    expect(readFileSync(path.join(exportsDir, 'head-web-spz.spz')).byteLength).toBe(webSize);
    await selectOption(page, 'Engine preset', /^None/);
    // A changed setting clears the previous "Wrote ..." line.
    await expect.poll(() => dialog.getByText(/Wrote head-web-spz/).count()).toBe(0);

    await selectOption(page, 'Format', /3DGS PLY/);
    const plySize = await exactSize();
    await dialog.getByRole('button', { name: 'Export', exact: true }).click();
    await dialog.getByText(/Wrote head-none-ply\.ply/).waitFor({ timeout: 60_000 });
    expect(readFileSync(path.join(exportsDir, 'head-none-ply.ply')).byteLength).toBe(plySize);
    await selectOption(page, 'Format', /SPZ v2/);
    await dialog.getByRole('button', { name: 'Export', exact: true }).click();
    await dialog.getByText(/Wrote head-none-spz\.spz/).waitFor({ timeout: 60_000 });
    // A toast offers the file too: a download link in browser mode (Show in folder in the desktop app).
    // It sits behind the modal dialog (aria-hidden there), so find it by text, after the PLY's toast.
    const toast = page
      .locator('.MuiSnackbar-root [role="alert"]')
      .filter({ hasText: 'Exported head-none-spz.spz' });
    const download = toast.locator('a', { hasText: 'Download' });
    await download.waitFor({ timeout: 30_000 });
    await page.screenshot({ path: screenshotPath('export-dialog.png') });
    expect(await download.getAttribute('download')).toBe('head-none-spz.spz');
    const fetched = await page.evaluate(
      async (href) => (await (await fetch(href)).arrayBuffer()).byteLength,
      (await download.getAttribute('href'))!,
    );
    await dialog.getByRole('button', { name: 'Close' }).click();

    const ply = decodeSplat(
      new Uint8Array(readFileSync(path.join(exportsDir, 'head-none-ply.ply'))),
      'head.ply',
    );
    const spz = decodeSplat(
      new Uint8Array(readFileSync(path.join(exportsDir, 'head-none-spz.spz'))),
      'head.spz',
    );
    const gaussians = first.outputs!.metrics.gaussians;
    expect(ply.count).toBe(gaussians);
    expect(spz.count).toBe(gaussians);
    // Same head in both files (decoders return HeadForge's y-up axes): SPZ v2 stores positions in
    // 24-bit fixed point with 12 fractional bits, so they agree to 1/4096 m (+ rounding).
    let worst = 0;
    for (let k = 0; k < gaussians * 3; k++) {
      expect(Number.isFinite(ply.positions[k]) && Number.isFinite(spz.positions[k])).toBe(true);
      worst = Math.max(worst, Math.abs(ply.positions[k] - spz.positions[k]));
    }
    expect(worst).toBeLessThan(1e-3);
    expect(fetched).toBe(readFileSync(path.join(exportsDir, 'head-none-spz.spz')).byteLength);
  });

  it('flags a view as bad, re-runs with another elevation and seed, and stores both in the run', async () => {
    await page.getByRole('button', { name: 'Mark view 3 as bad' }).click();
    await expect(
      page.getByRole('button', { name: 'Mark view 3 as bad' }).getAttribute('aria-pressed'),
    ).resolves.toBe('true');
    await page.getByRole('listitem').filter({ hasText: 'view 3' }).waitFor();

    await page.getByLabel('Auto', { exact: true }).uncheck();
    const slider = page.getByRole('slider', { name: /Elevation/ });
    await slider.focus();
    await page.keyboard.press('Home'); // -10
    for (let i = 0; i < 30; i++) await page.keyboard.press('ArrowRight'); // -> 20
    await expect(slider.getAttribute('aria-valuenow')).resolves.toBe('20');
    await page.getByRole('spinbutton', { name: 'Seed' }).fill('777');
    await page.getByRole('spinbutton', { name: 'Optimisation steps' }).fill(String(STEPS_SECOND));
    await page.keyboard.press('Control+Enter');

    const second = await waitForRunState(served.libraryRoot, 1, ['done']);
    expect(second.settings).toMatchObject({
      seed: 777,
      elevationDeg: 20,
      steps: STEPS_SECOND,
      ignoredViews: [3],
    });
    const record = JSON.parse(
      readFileSync(path.join(runDir(served.libraryRoot, second.id), 'record.json'), 'utf8'),
    ) as { resolved: { elevationDeg: number } };
    expect(record.resolved.elevationDeg).toBe(20);
    await page.getByTestId('run-history').getByText('seed 777').waitFor({ timeout: 15_000 });
    await page
      .locator('[data-testid="view-tile"][data-view="3"]')
      .getByText(/ignored/)
      .waitFor({ timeout: 15_000 });
  });

  it('compares the two runs side by side', async () => {
    await page.getByRole('button', { name: 'Compare runs' }).click();
    const dialog = page.getByRole('dialog', { name: 'Compare runs' });
    await dialog.waitFor();
    const table = dialog.getByTestId('run-compare-table');
    await expect(table.getByRole('row', { name: /^Seed/ }).textContent()).resolves.toMatch(/1234.*777/);
    await expect(table.getByRole('row', { name: /^Elevation/ }).textContent()).resolves.toMatch(/auto.*20°/);
    expect(await dialog.getByTestId('run-compare-pair').count()).toBe(16);
    await page.waitForFunction(
      () =>
        [...document.querySelectorAll('[data-testid="run-compare-pair"] img')].every(
          (i) => (i as HTMLImageElement).complete && (i as HTMLImageElement).naturalWidth > 0,
        ),
      null,
      { timeout: 15_000 },
    );
    await page.screenshot({ path: screenshotPath('runs-compare.png') });
    await dialog.getByRole('button', { name: 'Close' }).click();
  });

  it('reverts to the first run: its settings come back (undoable), the other run stays', async () => {
    const history = page.getByTestId('run-history');
    await history.getByText('seed 1234').click();
    await page.getByRole('button', { name: 'Revert to this run', exact: true }).click();
    // The toast (with Undo) first: it hides after 10 s, and the preview is loading that run's head meanwhile.
    await page.getByText(/Settings reverted to run/).waitFor();
    await expect(page.getByRole('spinbutton', { name: 'Seed' }).inputValue()).resolves.toBe('1234');
    await expect(page.getByLabel('Auto', { exact: true }).isChecked()).resolves.toBe(true);
    await expect(page.getByRole('spinbutton', { name: 'Optimisation steps' }).inputValue()).resolves.toBe(
      String(STEPS_FIRST),
    );
    await page.getByRole('button', { name: 'Unlock seed' }).waitFor(); // locked: Run reproduces that run
    expect(await history.getByText('seed 777').count()).toBe(1);
    // Undo brings back the second run's settings (the seed explorer below starts from them).
    await page.getByRole('button', { name: 'Undo settings change' }).click();
    await expect(page.getByRole('spinbutton', { name: 'Seed' }).inputValue()).resolves.toBe('777');
    await expect(page.getByRole('slider', { name: /Elevation/ }).getAttribute('aria-valuenow')).resolves.toBe(
      '20',
    );
  });

  it('explores seeds with quick previews and promotes one', async () => {
    await page.getByRole('button', { name: 'Explore seeds…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Seed explorer' });
    await dialog.getByRole('spinbutton', { name: 'Seeds to try' }).fill('2');
    await dialog.getByRole('button', { name: 'Generate previews' }).click();
    const rows = dialog.getByTestId('seed-preview');
    await expect.poll(() => rows.count(), { timeout: 120_000, interval: 500 }).toBe(2);
    await page.waitForFunction(
      () =>
        [...document.querySelectorAll('[data-testid="seed-preview"] img')].every(
          (i) => (i as HTMLImageElement).complete && (i as HTMLImageElement).naturalWidth === 128,
        ),
      null,
      { timeout: 15_000 },
    );
    // The current seed first (777 at 20 degrees), its views on disk at 128 px.
    await expect(rows.first().textContent()).resolves.toContain('Seed 777');
    // A manual elevation is called what it is (the backend's id "default" once read as "20° (default)").
    const intro = (await dialog.textContent()) ?? '';
    expect(intro).toContain('elevation 20° (set by you)');
    expect(intro).not.toContain('(default)');
    await expect(rows.first().textContent()).resolves.toContain('current seed');
    const folder = path.join(projectDir(served.libraryRoot), 'seed-previews', 's777-e20.0-default');
    expect(readdirSync(folder).filter((f) => f.endsWith('.png'))).toHaveLength(16);
    await page.screenshot({ path: screenshotPath('seed-explorer.png') });

    exploredSeed = Number(/Seed (\d+)/.exec((await rows.nth(1).textContent()) ?? '')?.[1]);
    expect(Number.isInteger(exploredSeed)).toBe(true);
    await dialog.getByRole('button', { name: `Use seed ${exploredSeed}` }).click();
    await dialog.waitFor({ state: 'detached' });
    await expect(page.getByRole('spinbutton', { name: 'Seed' }).inputValue()).resolves.toBe(
      String(exploredSeed),
    );
  });

  it('shows seed-preview progress and cancels it between seeds', async () => {
    await page.getByRole('button', { name: 'Explore seeds…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Seed explorer' });
    await dialog.getByRole('spinbutton', { name: 'Seeds to try' }).fill('8');
    await dialog.getByRole('button', { name: 'Generate previews' }).click();
    const progress = dialog.getByRole('progressbar', { name: 'Seed previews progress' });
    await progress.waitFor({ timeout: 30_000 });
    await dialog.getByTestId('seed-preview').first().waitFor({ timeout: 120_000 });
    await page.screenshot({ path: screenshotPath('seed-explorer-progress.png') });
    expect(Number(await progress.getAttribute('aria-valuenow'))).toBeGreaterThan(0);
    await dialog.getByRole('button', { name: 'Cancel', exact: true }).click();
    await dialog.getByText(/Cancelled after \d of 8 seeds/).waitFor({ timeout: 60_000 });
    expect(await dialog.getByTestId('seed-preview').count()).toBeLessThan(8);
    await dialog.getByRole('button', { name: 'Close' }).click();
    await expect(page.getByRole('spinbutton', { name: 'Seed' }).inputValue()).resolves.toBe(
      String(exploredSeed),
    );
  });

  it('cancels a run mid-way: marked cancelled in the UI and in run.json', async () => {
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await page
      .getByRole('status')
      .filter({ hasText: /Running: (multiview|optimise)/ })
      .waitFor({ timeout: 60_000 });
    await page.getByRole('button', { name: 'Cancel run' }).click();
    const third = await waitForRunState(served.libraryRoot, 2, ['cancelled', 'done']);
    expect(third.state).toBe('cancelled');
    expect(third.settings.seed).toBe(exploredSeed);
    await page.getByText('Run cancelled.').waitFor({ timeout: 15_000 });
    await page.getByTestId('run-history').getByText('cancelled').first().waitFor();
    await page.getByRole('button', { name: 'Run', exact: true }).waitFor();
  });

  it('keeps the edited settings across a reload', async () => {
    await page.reload();
    await page.getByRole('heading', { name: 'hq-0002-matted-rgba', level: 1 }).waitFor({ timeout: 15_000 });
    await expect(page.getByRole('spinbutton', { name: 'Seed' }).inputValue()).resolves.toBe(
      String(exploredSeed),
    );
    await page.getByRole('button', { name: 'Unlock seed' }).waitFor();
    await expect(page.getByRole('spinbutton', { name: 'Optimisation steps' }).inputValue()).resolves.toBe(
      String(STEPS_SECOND),
    );
  });

  it('logged no page errors', () => {
    expect(browser.errors).toEqual([]);
  });
});
