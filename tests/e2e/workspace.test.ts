/**
 * Workspace e2e in browser mode, the first run: real `headforge serve`, real pipeline (draft preset, a
 * short step override so it fits in CI), Debian Chromium. One artist session, in order:
 *   settings undo/redo (keys and buttons) -> run (history says running at once; the input panel shows
 *   the crop once preprocessing ends; a reload mid-run keeps the stage list) -> live preview upright while running, never blank between updates -> done: 16
 *   view tiles with the engine's per-view PSNR, the head in the 3D preview upright and facing the
 *   camera -> views compared (side by side, difference heatmap) -> at 1440x900 and 1280x720 the
 *   preview, 8+ tiles and Run on screen together, a clicked tile snaps the camera (pixels differ) and
 *   is marked -> labelled side by side / overlay -> export through the dialog (presets, exact sizes),
 *   files found on disk and decoded, the toast's download link serves the file.
 * Later runs (re-run, compare, revert, seeds, cancel, cover): workspace-history.test.ts.
 * Screenshots (docs/screenshots/): workspace-running.png, workspace.png, workspace-1440x900.png,
 * workspace-1280x720.png, compare.png, compare-difference.png, export-dialog.png. Look at them: a test
 * cannot see a mirrored face.
 */
import { readFileSync } from 'node:fs';
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
import {
  STEPS_FIRST,
  RUN_TIMEOUT_MS,
  canvasSignature,
  expectUprightHead,
  meanAbsDiff,
  onScreen,
  runDir,
  runsOnDisk,
  selectOption,
  waitForRunState,
  type RunOnDisk,
} from './workspace-helpers';

if (!hasChromium)
  console.warn(`[e2e] SKIPPED: ${CHROMIUM} is missing; install Debian's chromium to run the workspace test.`);

describe.skipIf(!hasChromium)('workspace (browser mode)', () => {
  let served: ServedStudio;
  let browser: Browser;
  let page: Page;
  let first: RunOnDisk;

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
    // The lens: empty is auto; a stated one is clamped to a lens's range; cleared, auto again.
    const lens = page.getByRole('spinbutton', { name: /Lens field of view/ });
    await expect(lens.inputValue()).resolves.toBe('');
    await lens.fill('500');
    await expect(lens.inputValue()).resolves.toBe('150');
    await lens.fill('');
    await expect(lens.inputValue()).resolves.toBe('');
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
    // Once preprocessing has ended, the input panel shows the run's crop while the run still goes, not
    // "Not preprocessed yet" until the run ends. (The engine answers when the multi-view stage lets
    // it: the pipeline shares its event loop, so not at once.)
    await expect
      .poll(() => page.getByText(/Not preprocessed yet/).count(), { timeout: RUN_TIMEOUT_MS, interval: 250 })
      .toBe(0);
    await page.getByRole('img', { name: /^Preprocessed crop/ }).waitFor({ timeout: 5000 });
    expect(await page.getByRole('button', { name: 'Cancel run' }).isVisible(), 'the run is still going').toBe(true);
    // A reload mid-run keeps the stages already gone through (each finished one with its time).
    const stageItems = page.getByRole('status').filter({ hasText: /Running:/ }).getByRole('listitem');
    await expect.poll(() => stageItems.count(), { timeout: RUN_TIMEOUT_MS, interval: 500 }).toBeGreaterThanOrEqual(2);
    const stagesBefore = await stageItems.allTextContents();
    await page.reload();
    await page.getByRole('button', { name: 'Cancel run' }).waitFor({ timeout: 30_000 });
    await expect.poll(() => stageItems.count(), { timeout: 15_000 }).toBeGreaterThanOrEqual(stagesBefore.length);
    expect((await stageItems.allTextContents())[0]).toBe(stagesBefore[0]);

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
    // Only while it still runs (on a loaded box the draft run can end first): the picture is of a run in progress.
    if (await page.getByRole('button', { name: 'Cancel run' }).isVisible()) {
      await page.screenshot({ path: screenshotPath('workspace-running.png') });
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

    // No engine preset at first, named whole (the old label ran past the box: "... SPZ/G…").
    const presetBox = page.getByRole('combobox', { name: 'Engine preset' });
    await expect(presetBox.textContent()).resolves.toBe('None (no engine: each format in its usual axes)');
    expect(await presetBox.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
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

  it('logged no page errors', () => {
    expect(browser.errors).toEqual([]);
  });
});
