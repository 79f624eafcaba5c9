/**
 * Gallery e2e in browser mode: real `headforge serve` + real engine + Debian Chromium.
 * Creates a project from a fixture portrait, sees it listed with its thumbnail, renames it (and undoes /
 * redoes the rename with the keyboard, across a reload), refuses a non-image and a 20x20 image in plain
 * words (the toast hides on a click and by itself), warns about a picture without a face (toast and
 * card), duplicates from the card
 * menu and with Ctrl+D, shows the shortcut cheat sheet, deletes with confirmation and Undo, and checks
 * each step on disk too. Screenshots: docs/screenshots/gallery.png, gallery-card-menu.png.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { IMPORT_TOAST_MS } from '../../src/renderer/gallery/import-result';
import { CHROMIUM, fixture, hasChromium, launchChromium, screenshotPath, startServe, type Browser, type ServedStudio } from './harness';

if (!hasChromium) {
  console.warn(`[e2e] SKIPPED: ${CHROMIUM} is missing. Install Debian's chromium (apt-get install -y chromium) to run the browser-mode tests.`);
}

const PORTRAIT = fixture('portraits/hq-0002-matted-rgba.png');

function projectNamesOnDisk(libraryRoot: string): string[] {
  return projectIdsOnDisk(libraryRoot)
    .map((id) => (JSON.parse(readFileSync(path.join(libraryRoot, 'projects', id, 'project.json'), 'utf8')) as { name: string }).name)
    .sort();
}

/** A plain one-colour picture: no face in it. */
async function solidPng(width: number, height: number): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: { r: 90, g: 140, b: 200 } } }).png().toBuffer();
}

function projectIdsOnDisk(libraryRoot: string): string[] {
  const dir = path.join(libraryRoot, 'projects');
  return existsSync(dir) ? readdirSync(dir).filter((n) => !n.startsWith('.')) : [];
}

describe.skipIf(!hasChromium)('gallery (browser mode)', () => {
  let served: ServedStudio;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    served = await startServe();
    browser = await launchChromium();
    page = await browser.newPage();
    await page.goto(served.pageUrl);
  });

  afterAll(async () => {
    await browser?.close();
    await served?.stop();
  });

  it('shows the empty state on a fresh library', async () => {
    await page.getByRole('heading', { name: 'Start with a portrait' }).waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('project-card').count()).toBe(0);
  });

  it('creates a project from a portrait and lists it with its thumbnail', async () => {
    await page.getByLabel('Portrait images for new projects').first().setInputFiles(PORTRAIT);
    const card = page.getByTestId('project-card');
    await card.first().waitFor({ timeout: 30_000 });
    expect(await card.count()).toBe(1);
    await expect(card.first().getByRole('heading').textContent()).resolves.toBe('hq-0002-matted-rgba');

    // The thumbnail really loaded through /assets (not a broken image).
    const img = card.first().getByRole('img', { name: /Portrait of/ });
    await img.waitFor();
    await page.waitForFunction((el) => (el as HTMLImageElement).complete && (el as HTMLImageElement).naturalWidth > 0, await img.elementHandle(), { timeout: 15_000 });

    const ids = projectIdsOnDisk(served.libraryRoot);
    expect(ids).toHaveLength(1);
    const projectJson = JSON.parse(readFileSync(path.join(served.libraryRoot, 'projects', ids[0], 'project.json'), 'utf8')) as { name: string };
    expect(projectJson.name).toBe('hq-0002-matted-rgba');

    await page.getByText('Project created').waitFor();
    await page.screenshot({ path: screenshotPath('gallery.png') });
  });

  it('renames a project and the new name survives a reload', async () => {
    await page.getByRole('button', { name: 'Rename hq-0002-matted-rgba' }).click();
    const field = page.getByLabel('Project name');
    await field.fill('Ravi, studio light');
    await field.press('Enter');
    await page.getByRole('heading', { name: 'Ravi, studio light' }).waitFor();
    await page.reload();
    await page.getByRole('heading', { name: 'Ravi, studio light' }).waitFor({ timeout: 15_000 });
  });

  it('undoes and redoes the rename with Ctrl+Z / Ctrl+Shift+Z, also after a reload', async () => {
    await page.locator('body').click({ position: { x: 5, y: 300 } });
    await page.keyboard.press('Control+z');
    await page.getByRole('heading', { name: 'hq-0002-matted-rgba' }).waitFor({ timeout: 15_000 });
    expect(projectNamesOnDisk(served.libraryRoot)).toEqual(['hq-0002-matted-rgba']);
    await page.reload();
    await page.getByRole('heading', { name: 'hq-0002-matted-rgba' }).waitFor({ timeout: 15_000 });
    await page.keyboard.press('Control+Shift+Z');
    await page.getByRole('heading', { name: 'Ravi, studio light' }).waitFor({ timeout: 15_000 });
    expect(projectNamesOnDisk(served.libraryRoot)).toEqual(['Ravi, studio light']);
  });

  it('refuses a non-image and a 20x20 image in plain words, creating nothing; the toast goes on a click or by itself', async () => {
    const input = page.getByLabel('Portrait images for new projects').first();
    const toast = page.locator('.MuiSnackbar-root [role="alert"]');
    await input.setInputFiles({ name: 'notes.png', mimeType: 'image/png', buffer: Buffer.from('this is not a png') });
    await toast.getByText('notes.png is not an image HeadForge can read; use a JPEG, PNG, WebP, TIFF, GIF, AVIF or HEIF portrait.', { exact: true }).waitFor({ timeout: 15_000 });
    await toast.click();
    await toast.waitFor({ state: 'detached' });
    await input.setInputFiles({ name: 'tiny.png', mimeType: 'image/png', buffer: await solidPng(20, 20) });
    await toast.getByText(/^tiny\.png is 20x20; portraits need at least 64 px on each side/).waitFor({ timeout: 15_000 });
    expect(projectIdsOnDisk(served.libraryRoot)).toHaveLength(1);
    await page.mouse.move(5, 300); // a toast under the pointer waits (MUI pauses its timer on hover)
    await toast.waitFor({ state: 'detached', timeout: IMPORT_TOAST_MS + 5000 });
  });

  it('filters by search', async () => {
    const search = page.getByLabel('Search projects');
    await search.fill('nobody');
    await page.getByText('No project matches “nobody”.').waitFor();
    expect(await page.getByTestId('project-card').count()).toBe(0);
    await search.fill('ravi');
    await page.getByTestId('project-card').first().waitFor();
    await search.fill('');
  });

  it('duplicates from the card menu and with Ctrl+D; copies are deleted from the keyboard', async () => {
    await page.getByRole('button', { name: 'More actions for Ravi, studio light' }).click();
    const menu = page.getByRole('menu', { name: 'Actions for Ravi, studio light' });
    await menu.getByRole('menuitem', { name: /Duplicate/ }).waitFor();
    // Let the menu finish fading in before the screenshot.
    await page.waitForFunction(() => getComputedStyle(document.querySelector('[role="menu"]')!.closest('.MuiPaper-root')!).opacity === '1');
    await page.screenshot({ path: screenshotPath('gallery-card-menu.png') });
    await menu.getByRole('menuitem', { name: /Duplicate/ }).click();
    await page.getByRole('heading', { name: 'Ravi, studio light copy' }).waitFor({ timeout: 30_000 });
    expect(projectNamesOnDisk(served.libraryRoot)).toEqual(['Ravi, studio light', 'Ravi, studio light copy']);
    const copyId = projectIdsOnDisk(served.libraryRoot).find((id) => id.startsWith('ravi-studio-light-copy'))!;
    expect(readFileSync(path.join(served.libraryRoot, 'projects', copyId, 'input.png')).equals(readFileSync(PORTRAIT))).toBe(true);

    // Keyboard: focus the original card, Ctrl+D makes "copy 2".
    await page.getByRole('button', { name: 'Open Ravi, studio light', exact: true }).focus();
    await page.keyboard.press('Control+d');
    await page.getByRole('heading', { name: 'Ravi, studio light copy 2' }).waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('project-card').count()).toBe(3);

    // The cheat sheet lists the gallery keys.
    await page.locator('body').click({ position: { x: 5, y: 300 } });
    await page.keyboard.press('?');
    const sheet = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await sheet.getByText('Duplicate the focused project').waitFor();
    await page.keyboard.press('Escape');
    await sheet.waitFor({ state: 'detached' });

    // Delete both copies from the keyboard (Delete on a focused card asks first).
    for (const name of ['Ravi, studio light copy 2', 'Ravi, studio light copy']) {
      await page.getByRole('button', { name: `Open ${name}`, exact: true }).focus();
      await page.keyboard.press('Delete');
      await page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click();
      await page.getByRole('heading', { name, exact: true }).waitFor({ state: 'detached' });
    }
    expect(await page.getByTestId('project-card').count()).toBe(1);
    await expect.poll(() => projectNamesOnDisk(served.libraryRoot), { timeout: 20_000, interval: 250 }).toEqual(['Ravi, studio light']);
    // Dismiss the queued toasts (duplicated, deleted), so the next test's Undo is its own: close what
    // shows until nothing has shown for a second (toasts come one after another, with a gap between).
    const toasts = page.locator('.MuiSnackbar-root [role="alert"]');
    for (let quiet = 0; quiet < 4; ) {
      if (await toasts.count()) {
        quiet = 0;
        await toasts.first().getByRole('button', { name: 'Close' }).click({ timeout: 2000 }).catch(() => undefined);
      } else quiet++;
      await page.waitForTimeout(250);
    }
  });

  it('deletes only after confirmation, offers Undo, then removes it from disk', async () => {
    await page.getByRole('button', { name: 'Delete Ravi, studio light' }).click();
    await page.getByRole('button', { name: 'Keep' }).click();
    expect(await page.getByTestId('project-card').count()).toBe(1);

    await page.getByRole('button', { name: 'Delete Ravi, studio light' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('button', { name: 'Undo' }).click();
    await page.getByTestId('project-card').first().waitFor();
    expect(projectIdsOnDisk(served.libraryRoot)).toHaveLength(1);

    await page.getByRole('button', { name: 'Delete Ravi, studio light' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('heading', { name: 'Start with a portrait' }).waitFor();
    // The deletion is committed after the Undo window (6 s).
    await expect.poll(() => projectIdsOnDisk(served.libraryRoot).length, { timeout: 15_000, interval: 250 }).toBe(0);
  });

  it('imports a picture without a face with a warning in the result and on its card', async () => {
    await page.getByLabel('Portrait images for new projects').first().setInputFiles({ name: 'wall.png', mimeType: 'image/png', buffer: await solidPng(300, 200) });
    await page.locator('.MuiSnackbar-root [role="alert"]').getByText(/No face was found in wall\.png: it was imported/).waitFor({ timeout: 30_000 });
    await page.getByTestId('project-card').getByTestId('no-face-badge').waitFor();
    expect(projectIdsOnDisk(served.libraryRoot)).toHaveLength(1);
  });

  it('says clearly when the page has the wrong token', async () => {
    const other = await browser.newPage();
    await other.goto(served.pageUrl.replace(/token=[^&]+/, 'token=wrong'));
    await other.getByText(/access token was refused/).waitFor({ timeout: 15_000 });
    await other.close();
  });

  it('logged no page errors', () => {
    // The wrong-token page logs a failed WebSocket by design; everything else must be clean.
    expect(browser.errors.filter((e) => !/WebSocket|401/.test(e))).toEqual([]);
  });
});
