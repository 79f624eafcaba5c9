/**
 * Workspace e2e in browser mode: open a project, set seed/quality, Run the real pipeline on 'draft',
 * and check that the UI shows exactly what the engine recorded on disk (run.json): the 16 views and a
 * non-blank splat preview when the run produced them, the engine's own error words when it failed.
 * Also: elevation/seed controls are labelled and keyboard-operable; the export dialog opens for a head.
 * Screenshots: docs/screenshots/workspace.png (and export-dialog.png when a head exists).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { CHROMIUM, fixture, hasChromium, launchChromium, screenshotPath, startServe, type Browser, type ServedStudio } from './harness';

if (!hasChromium) console.warn(`[e2e] SKIPPED: ${CHROMIUM} is missing; install Debian's chromium to run the workspace test.`);

const RUN_TIMEOUT_MS = 150_000;

interface RunOnDisk {
  id: string;
  state: string;
  error?: string;
  settings: { seed: number; quality: string };
  outputs?: { views: string[]; headPly: string | null };
}

function runsOnDisk(libraryRoot: string): RunOnDisk[] {
  const projects = path.join(libraryRoot, 'projects');
  const out: RunOnDisk[] = [];
  for (const p of existsSync(projects) ? readdirSync(projects) : []) {
    const runs = path.join(projects, p, 'runs');
    for (const r of existsSync(runs) ? readdirSync(runs) : []) {
      const file = path.join(runs, r, 'run.json');
      if (existsSync(file)) out.push(JSON.parse(readFileSync(file, 'utf8')) as RunOnDisk);
    }
  }
  return out;
}

/** Fraction of canvas pixels that differ from the top-left pixel (the background). */
async function nonBackgroundFraction(page: Page): Promise<number> {
  return page.getByTestId('splat-canvas').evaluate((node) => {
    const canvas = node as HTMLCanvasElement;
    const img = new Image();
    const data = canvas.toDataURL('image/png');
    return new Promise<number>((resolve) => {
      img.onload = () => {
        const c = document.createElement('canvas');
        c.width = canvas.width;
        c.height = canvas.height;
        const ctx = c.getContext('2d') as CanvasRenderingContext2D;
        ctx.drawImage(img, 0, 0);
        const px = ctx.getImageData(0, 0, c.width, c.height).data;
        let differ = 0;
        for (let i = 0; i < px.length; i += 4) {
          if (Math.abs(px[i] - px[0]) + Math.abs(px[i + 1] - px[1]) + Math.abs(px[i + 2] - px[2]) > 24) differ++;
        }
        resolve(differ / (px.length / 4));
      };
      img.src = data;
    });
  });
}

describe.skipIf(!hasChromium)('workspace (browser mode)', () => {
  let served: ServedStudio;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    served = await startServe();
    browser = await launchChromium();
    page = await browser.newPage();
    await page.goto(served.pageUrl);
    await page.getByLabel('Portrait images for new projects').first().setInputFiles(fixture('portraits/hq-0002-matted-rgba.png'));
    await page.getByTestId('project-card').first().waitFor({ timeout: 30_000 });
    await page.getByRole('button', { name: 'Open hq-0002-matted-rgba' }).click();
    await page.getByRole('heading', { name: 'hq-0002-matted-rgba', level: 1 }).waitFor();
  });

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
  });

  it('runs the pipeline and shows what the engine recorded', async () => {
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await expect
      .poll(() => runsOnDisk(served.libraryRoot).find((r) => ['done', 'failed', 'cancelled'].includes(r.state))?.state ?? null, { timeout: RUN_TIMEOUT_MS, interval: 500 })
      .not.toBeNull();
    const run = runsOnDisk(served.libraryRoot)[0];
    expect(run.settings).toMatchObject({ seed: 1234, quality: 'draft' });
    await page.getByTestId('run-history').getByText('seed 1234').waitFor();

    if (run.state === 'failed') {
      // The engine's words, not a generic message; and no views are invented.
      const firstLine = (run.error ?? '').split('\n')[0];
      expect(firstLine.length).toBeGreaterThan(0);
      await page.getByRole('alert').filter({ hasText: 'Run failed' }).waitFor({ timeout: 15_000 });
      expect(await page.getByRole('alert').filter({ hasText: 'Run failed' }).textContent()).toContain(firstLine.slice(0, 60));
      expect(await page.getByTestId('view-tile').count()).toBe(0);
    } else {
      expect(run.state).toBe('done');
      const views = run.outputs?.views ?? [];
      await expect.poll(() => page.getByTestId('view-tile').count(), { timeout: 15_000 }).toBe(views.length);
      if (run.outputs?.headPly) {
        await expect.poll(() => nonBackgroundFraction(page), { timeout: 60_000, interval: 1000 }).toBeGreaterThan(0.01);
      }
    }
    await page.screenshot({ path: screenshotPath('workspace.png') });
  });

  it('opens the export dialog for a run with a head, and says why not otherwise', async () => {
    const run = runsOnDisk(served.libraryRoot)[0];
    const exportButton = page.getByRole('button', { name: 'Export' });
    if (!run.outputs?.headPly) {
      await expect(exportButton.isDisabled()).resolves.toBe(true);
      return;
    }
    await exportButton.click();
    await page.getByRole('dialog', { name: 'Export head' }).waitFor();
    await page.getByText(/Estimated size/).waitFor();
    await page.screenshot({ path: screenshotPath('export-dialog.png') });
    await page.getByRole('button', { name: 'Close' }).click();
  });

  it('keeps the edited settings across a reload', async () => {
    await page.reload();
    await page.getByRole('heading', { name: 'hq-0002-matted-rgba', level: 1 }).waitFor({ timeout: 15_000 });
    await expect(page.getByRole('spinbutton', { name: 'Seed' }).inputValue()).resolves.toBe('1234');
    await page.getByRole('button', { name: 'Unlock seed' }).waitFor();
  });

  it('logged no page errors', () => {
    expect(browser.errors).toEqual([]);
  });
});
