/**
 * Gallery e2e in browser mode: real `headforge serve` + real engine + Debian Chromium.
 * Creates a project from a fixture portrait, sees it listed with its thumbnail, renames it, refuses a
 * non-image, deletes with confirmation and Undo, and checks each step on disk too.
 * Screenshot: docs/screenshots/gallery.png.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { CHROMIUM, fixture, hasChromium, launchChromium, screenshotPath, startServe, type Browser, type ServedStudio } from './harness';

if (!hasChromium) {
  console.warn(`[e2e] SKIPPED: ${CHROMIUM} is missing. Install Debian's chromium (apt-get install -y chromium) to run the browser-mode tests.`);
}

const PORTRAIT = fixture('portraits/hq-0002-matted-rgba.png');

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

  it('refuses a file that is not an image, with a message, and creates nothing', async () => {
    await page.getByLabel('Portrait images for new projects').first().setInputFiles({ name: 'notes.png', mimeType: 'image/png', buffer: Buffer.from('this is not a png') });
    await page.getByText(/could not be imported/).waitFor({ timeout: 15_000 });
    expect(projectIdsOnDisk(served.libraryRoot)).toHaveLength(1);
    await page.getByRole('alert').getByRole('button', { name: 'Close' }).click();
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
