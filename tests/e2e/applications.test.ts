/**
 * The paper's applications in the studio (issue 9), browser mode: real `headforge serve`, real
 * pipeline (draft preset, few steps), Debian Chromium. One artist session, in order:
 *   the Stylize panel lists an installed style pack's styles (the tiny style pack in $HEADFORGE_MODELS)
 *   and previews one -> preview a 2D style on the portrait (before/after images from the engine) and use it for the run
 *   -> the run applies it before the multi-view stage (styled512.png, style in run.json); it stays
 *      for the next runs, shown by Run as such, and one click clears it
 *   -> 3D restyle: a grey palette desaturates the head in the live preview at once; saved as a new run
 *      (restyle.json names the source; the run history says "Restyled from run 1")
 *   -> Animate dialog: 1 s, 128 px MP4 as a job with progress; the file in the run's exports is H.264,
 *      128x128, 24 frames, and its frames change as the camera turns (ffprobe/ffmpeg)
 *   -> Frontal view export: a 512 px PNG in the exports.
 * Screenshots (docs/screenshots/): stylize-pack-menu.png, stylize-panel.png, restyle.png, animate-dialog.png.
 * Look at them. (The expression sliders have their own test, expression-studio.test.ts: they need a run
 * with its fitted head, which a restyled variant does not carry.)
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { CHROMIUM, createAndOpenProject, hasChromium, launchChromium, screenshotPath, startServe, type Browser, type ServedStudio } from './harness';
import { decodeFrames, meanAbsDiff, probeVideo, requireFfmpeg } from '../animation/media-probe';
import { writeTinyStylePack } from '../../scripts/make-tiny-style-pack';

if (!hasChromium) console.warn(`[e2e] SKIPPED: ${CHROMIUM} is missing; install Debian's chromium to run the applications test.`);

/** Optimisation steps of the one run: enough for a recognisable head, short on 2 loaded cores. */
const STEPS = 100;
const RUN_TIMEOUT_MS = 240_000;

interface RunOnDisk {
  id: string;
  state: string;
  createdAt: string;
  error?: string;
  settings: { seed: number; style?: { name: string; strength: number } };
}

function projectDir(libraryRoot: string): string {
  const projects = path.join(libraryRoot, 'projects');
  const ids = readdirSync(projects).filter((n) => !n.startsWith('.'));
  if (ids.length !== 1) throw new Error(`expected one project in the library, found ${ids.length}`);
  return path.join(projects, ids[0]);
}

function runsOnDisk(libraryRoot: string): RunOnDisk[] {
  const runs = path.join(projectDir(libraryRoot), 'runs');
  return readdirSync(runs)
    .filter((r) => existsSync(path.join(runs, r, 'run.json')))
    .map((r) => JSON.parse(readFileSync(path.join(runs, r, 'run.json'), 'utf8')) as RunOnDisk)
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt));
}

const runDir = (libraryRoot: string, runId: string): string => path.join(projectDir(libraryRoot), 'runs', runId);

async function selectOption(page: Page, combobox: string, option: RegExp): Promise<void> {
  await page.getByRole('combobox', { name: combobox }).click();
  await page.getByRole('option', { name: option }).click();
}

/** Mean colourfulness (max - min channel, 0..255) of the preview's non-background pixels, and their count. */
async function previewColourfulness(page: Page): Promise<{ chroma: number; pixels: number }> {
  return page.getByTestId('splat-canvas').evaluate((node) => {
    const src = node as HTMLCanvasElement;
    const c = document.createElement('canvas');
    c.width = src.width;
    c.height = src.height;
    const ctx = c.getContext('2d') as CanvasRenderingContext2D;
    ctx.drawImage(src, 0, 0);
    const px = ctx.getImageData(0, 0, c.width, c.height).data;
    const bg = [px[0], px[1], px[2]]; // top-left corner is background
    let chroma = 0;
    let pixels = 0;
    for (let i = 0; i < px.length; i += 4) {
      if (Math.abs(px[i] - bg[0]) + Math.abs(px[i + 1] - bg[1]) + Math.abs(px[i + 2] - bg[2]) < 30) continue;
      chroma += Math.max(px[i], px[i + 1], px[i + 2]) - Math.min(px[i], px[i + 1], px[i + 2]);
      pixels++;
    }
    return { chroma: pixels ? chroma / pixels : 0, pixels };
  });
}

/** The preview canvas as RGBA bytes. */
describe.skipIf(!hasChromium)('applications in the studio (browser mode)', () => {
  let served: ServedStudio;
  let browser: Browser;
  let page: Page;
  let source: RunOnDisk;
  let variant: RunOnDisk;
  let models: string;
  const savedModelsEnv = process.env.HEADFORGE_MODELS;

  beforeAll(async () => {
    requireFfmpeg();
    // An installed style pack where the studio looks for models (serve inherits the environment).
    models = mkdtempSync(path.join(os.tmpdir(), 'headforge-e2e-models-'));
    writeTinyStylePack(path.join(models, 'tiny-styles'));
    process.env.HEADFORGE_MODELS = models;
    served = await startServe();
    browser = await launchChromium();
    page = await browser.newPage();
    await page.goto(served.pageUrl);
    await createAndOpenProject(page, 'portraits/hq-0002-matted-rgba.png');
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await served?.stop();
    if (savedModelsEnv === undefined) delete process.env.HEADFORGE_MODELS;
    else process.env.HEADFORGE_MODELS = savedModelsEnv;
    if (models) rmSync(models, { recursive: true, force: true });
  });

  it("lists an installed style pack's styles next to the built-in ones, and previews one", async () => {
    const panel = page.getByTestId('stylize-panel');
    await page.getByRole('combobox', { name: 'Style' }).click();
    const sepia = page.getByRole('option', { name: 'Sepia (tiny test network) (tiny-styles)' });
    await sepia.waitFor({ timeout: 30_000 });
    // The menu fades in: wait until it is fully drawn before the picture.
    await page.waitForFunction(() => {
      const paper = document.querySelector('[role="listbox"]')?.parentElement;
      return paper !== null && paper !== undefined && getComputedStyle(paper).opacity === '1';
    });
    await page.screenshot({ path: screenshotPath('stylize-pack-menu.png') });
    await sepia.click();
    await panel.getByRole('button', { name: 'Preview style' }).click();
    const after = panel.getByRole('img', { name: /in the pack:tiny-styles\/sepia style at 70%/ });
    await after.waitFor({ timeout: 60_000 });
    await after.evaluate((img) => (img as HTMLImageElement).decode());
    await panel.screenshot({ path: screenshotPath('stylize-panel-pack.png') });
  });

  it('previews a 2D style before and after on the portrait, and uses it for the next run', async () => {
    const panel = page.getByTestId('stylize-panel');
    await selectOption(page, 'Style', /Cel \/ toon/);
    const strength = panel.getByRole('slider', { name: /Strength/ });
    await strength.focus();
    await page.keyboard.press('ArrowLeft'); // 70% -> 65%: keyboard-operable
    await expect(strength.getAttribute('aria-valuenow')).resolves.toBe('0.65');
    const after = panel.getByRole('img', { name: /in the cel style at 65%/ });
    await after.waitFor({ timeout: 60_000 });
    const sizes = await panel.getByRole('img').evaluateAll(async (imgs) => {
      await Promise.all(imgs.map((i) => (i as HTMLImageElement).decode()));
      return imgs.map((i) => (i as HTMLImageElement).naturalWidth);
    });
    expect(sizes).toEqual([256, 256]);
    await panel.screenshot({ path: screenshotPath('stylize-panel.png') });

    await panel.getByRole('button', { name: 'Use for next run' }).click();
    await panel.getByText('Next run: cel 65%').waitFor();
  });

  it('the run applies the style before the views and finishes a head', async () => {
    await page.getByRole('button', { name: 'Advanced' }).click();
    await page.getByRole('spinbutton', { name: 'Optimisation steps' }).fill(String(STEPS));
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await expect
      .poll(() => runsOnDisk(served.libraryRoot)[0]?.state ?? 'none', { timeout: RUN_TIMEOUT_MS, interval: 500 })
      .toSatisfy((s: string) => s === 'done' || s === 'failed');
    source = runsOnDisk(served.libraryRoot)[0];
    expect(source.state, source.error).toBe('done');
    expect(source.settings.style).toEqual({ name: 'cel', strength: 0.65 });
    const styled = await sharp(path.join(runDir(served.libraryRoot, source.id), 'preprocess/styled512.png')).metadata();
    expect([styled.width, styled.height]).toEqual([512, 512]);
    await page.getByRole('status').filter({ hasText: `Run ${source.id}` }).waitFor({ timeout: 60_000 });

    // The seed left unlocked: the box shows the seed the run used (it once kept showing 42), and says
    // the next Run picks another.
    await expect(page.getByRole('spinbutton', { name: 'Seed' }).inputValue()).resolves.toBe(String(source.settings.seed));
    await page.getByText('Used by the last run; Run picks a new seed').waitFor();

    // The style is kept for the runs after it, and says so by Run, with one click to clear it.
    const carries = page.getByTestId('next-run-carries');
    await expect(carries.textContent()).resolves.toMatch(/Kept for every next run until cleared:.*Style cel 65%/);
    await carries
      .getByRole('button', { name: 'Next runs use the cel style; clear it' })
      .locator('.MuiChip-deleteIcon')
      .click();
    await carries.waitFor({ state: 'detached' });
    expect(await page.getByTestId('stylize-panel').getByText(/Next run: cel/).count()).toBe(0);
  });

  it('restyles the head in 3D live in the preview, and saves it as a new run', async () => {
    await expect.poll(async () => (await previewColourfulness(page)).pixels, { timeout: 60_000 }).toBeGreaterThan(2000);
    const before = await previewColourfulness(page);
    await selectOption(page, 'Palette', /Noir/);
    await page.getByRole('status').filter({ hasText: 'restyled (not saved)' }).waitFor({ timeout: 30_000 });
    // Three greys: the head loses its colour (canvas read back after the viewer redrew).
    await expect.poll(async () => (await previewColourfulness(page)).chroma, { timeout: 30_000 }).toBeLessThan(before.chroma / 3);
    // The picture shows the restyled head and the controls together: a tall window (the preview fills
    // the centre column's height, the controls come below it), scrolled so the controls end at the
    // bottom and the preview's middle, where the head is, stays on screen.
    await page.setViewportSize({ width: 1280, height: 1600 });
    await page.getByTestId('restyle-controls').evaluate((el) => el.scrollIntoView({ block: 'end' }));
    await expect.poll(async () => (await previewColourfulness(page)).chroma, { timeout: 60_000 }).toBeLessThan(before.chroma / 3);
    const middle = await page
      .getByTestId('splat-canvas')
      .evaluate((el) => el.getBoundingClientRect().top + el.getBoundingClientRect().height / 2);
    expect(middle).toBeGreaterThan(300);
    await page.screenshot({ path: screenshotPath('restyle.png') });
    await page.setViewportSize({ width: 1280, height: 800 });

    await page.getByRole('button', { name: 'Save as new run' }).click();
    await page.getByText(/Saved the restyled head as run/).waitFor({ timeout: 60_000 });
    const runs = runsOnDisk(served.libraryRoot);
    expect(runs).toHaveLength(2);
    variant = runs[1];
    expect(variant.state).toBe('done');
    const record = JSON.parse(readFileSync(path.join(runDir(served.libraryRoot, variant.id), 'restyle.json'), 'utf8')) as { sourceRunId: string; ops: { kind: string }[] };
    expect(record.sourceRunId).toBe(source.id);
    expect(record.ops.map((o) => o.kind)).toEqual(['palette']);
    await page.getByTestId('run-history').getByText('Restyled from run 1').waitFor({ timeout: 15_000 });
    // The saved variant is shown (controls back to neutral: it is already restyled).
    await page.getByRole('status').filter({ hasText: `Run ${variant.id}` }).waitFor({ timeout: 60_000 });
  });

  it('exports a 1 s, 128 px MP4 through the Animate dialog as a job; ffprobe reads it back', async () => {
    await page.getByRole('button', { name: 'Animate' }).click();
    const dialog = page.getByRole('dialog', { name: 'Animate head' });
    await selectOption(page, 'Camera path', /Turntable/);
    await selectOption(page, 'Format', /MP4/);
    await selectOption(page, 'Size', /^128 × 128/);
    await dialog.getByRole('spinbutton', { name: 'Frames per second' }).fill('24');
    await dialog.getByRole('spinbutton', { name: 'Duration (seconds)' }).fill('1');
    await dialog.getByRole('button', { name: 'Export animation' }).click();
    await dialog.getByRole('progressbar').waitFor();
    await dialog.getByText('Done.').waitFor({ timeout: 120_000 });
    await dialog.getByRole('link', { name: 'Download' }).waitFor();
    await page.getByText(/Animation saved: animation-turntable-128px-\d{14}-[0-9a-f]{4}\.mp4/).waitFor();
    await dialog.screenshot({ path: screenshotPath('animate-dialog.png') });

    const exportsDir = path.join(runDir(served.libraryRoot, variant.id), 'exports');
    const files = readdirSync(exportsDir);
    const mp4 = files.find((f) => f.endsWith('.mp4'));
    expect(mp4, `exports: ${files.join(', ')}`).toBeDefined();
    expect(files.filter((f) => f.startsWith('.'))).toEqual([]);
    const file = path.join(exportsDir, mp4!);
    expect(probeVideo(file)).toMatchObject({ codec: 'h264', width: 128, height: 128, frames: 24 });
    const frames = decodeFrames(file, 128, 128);
    expect(frames).toHaveLength(24);
    // The head turns: every frame differs from the one before, the back (frame 12) most from the front.
    for (let i = 1; i < frames.length; i++) expect(meanAbsDiff(frames[i - 1], frames[i])).toBeGreaterThan(1);
    expect(meanAbsDiff(frames[0], frames[12])).toBeGreaterThan(meanAbsDiff(frames[0], frames[1]));
    await dialog.getByRole('button', { name: 'Close' }).click();
  });

  it('exports the frontal view as a PNG', async () => {
    await page.getByRole('button', { name: 'Frontal view' }).click();
    const dialog = page.getByRole('dialog', { name: 'Frontal view' });
    await dialog.getByText('Saved frontal-512px.png').waitFor({ timeout: 60_000 });
    const meta = await sharp(path.join(runDir(served.libraryRoot, variant.id), 'exports/frontal-512px.png')).metadata();
    expect([meta.width, meta.height]).toEqual([512, 512]);
    await dialog.getByRole('button', { name: 'Close' }).click();
    expect(browser.errors).toEqual([]);
  });
});
