/**
 * The studio's batch in browser mode (real `headforge serve`, real engine, Debian Chromium): a folder
 * of three portraits, a text file and a hidden file is chosen in the Batch dialog; the dialog lists the
 * portraits and shows the text file as skipped (the hidden one not at all); one quality and seed for
 * all; queueing makes three projects whose runs carry those settings, and the gallery shows each
 * project's state on its card and the batch's counts in a strip. Screenshots:
 * docs/screenshots/gallery-batch-dialog.png, gallery-batch.png.
 */
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { CHROMIUM, fixture, hasChromium, launchChromium, screenshotPath, startServe, type Browser, type ServedStudio } from './harness';

if (!hasChromium) {
  console.warn(`[e2e] SKIPPED: ${CHROMIUM} is missing. Install Debian's chromium (apt-get install -y chromium) to run the browser-mode tests.`);
}

const CAST = ['hq-0001-matted-rgba.png', 'hq-0003-matted-rgba.png', 'pd-grace-hopper.jpg'];

/** Every run.json of the library: its project's name and the settings the run was queued with. */
function runsOnDisk(libraryRoot: string): { name: string; seed: number; quality: string }[] {
  const projects = path.join(libraryRoot, 'projects');
  if (!existsSync(projects)) return [];
  return readdirSync(projects)
    .filter((id) => !id.startsWith('.'))
    .flatMap((id) => {
      const dir = path.join(projects, id);
      const { name } = JSON.parse(readFileSync(path.join(dir, 'project.json'), 'utf8')) as { name: string };
      const runs = path.join(dir, 'runs');
      return (existsSync(runs) ? readdirSync(runs) : [])
        .filter((r) => existsSync(path.join(runs, r, 'run.json')))
        .map((r) => {
          const run = JSON.parse(readFileSync(path.join(runs, r, 'run.json'), 'utf8')) as { settings: { seed: number; quality: string } };
          return { name, seed: run.settings.seed, quality: run.settings.quality };
        });
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}

describe.skipIf(!hasChromium)('gallery batch (browser mode)', () => {
  let served: ServedStudio;
  let browser: Browser;
  let page: Page;
  let folder: string;

  beforeAll(async () => {
    folder = mkdtempSync(path.join(os.tmpdir(), 'headforge-e2e-cast-'));
    for (const f of CAST) copyFileSync(fixture(`portraits/${f}`), path.join(folder, f));
    writeFileSync(path.join(folder, 'casting-notes.txt'), 'three heads, draft\n');
    writeFileSync(path.join(folder, '.DS_Store'), 'finder');
    served = await startServe();
    browser = await launchChromium();
    page = await browser.newPage();
    await page.goto(served.pageUrl);
  });

  afterAll(async () => {
    await browser?.close();
    await served?.stop();
    if (folder) rmSync(folder, { recursive: true, force: true });
  });

  it('lists a chosen folder’s portraits, shows what it skips, and queues them with one quality and seed', async () => {
    await page.getByRole('heading', { name: 'Start with a portrait' }).waitFor({ timeout: 30_000 });
    await page.getByRole('button', { name: 'Batch' }).click();
    const dialog = page.getByRole('dialog', { name: 'Queue a batch' });
    await dialog.waitFor();
    await page.getByLabel('Portrait folder for a batch').setInputFiles(folder);

    const list = dialog.getByRole('list', { name: 'Batch portraits' });
    await list.getByText('pd-grace-hopper.jpg').waitFor();
    const items = await list.getByRole('listitem').allInnerTexts();
    expect(items.map((t) => t.split('\n')[0])).toEqual([...CAST, 'casting-notes.txt']);
    expect(items[3]).toContain('skipped: not an image');
    expect(items.join('\n')).not.toContain('.DS_Store');

    await dialog.getByLabel('Seed').fill('-1');
    await dialog.getByText(/A whole number from 0 to/).waitFor();
    expect(await dialog.getByRole('button', { name: 'Queue 3 heads' }).isDisabled()).toBe(true);
    await dialog.getByLabel('Seed').fill('7');
    await page.screenshot({ path: screenshotPath('gallery-batch-dialog.png') });
    await dialog.getByRole('button', { name: 'Queue 3 heads' }).click();

    await page.getByText('Queued 3 heads; they are made one after another.').waitFor({ timeout: 60_000 });
    await dialog.waitFor({ state: 'detached' });
    // Three projects, each with a run queued at draft, seed 7.
    expect(runsOnDisk(served.libraryRoot)).toEqual(
      CAST.map((f) => ({ name: f.replace(/\.[^.]+$/, ''), seed: 7, quality: 'draft' })),
    );
  });

  it('shows each project’s state on its card and the batch’s counts in a strip', async () => {
    const cards = page.getByTestId('project-card');
    await cards.nth(2).waitFor({ timeout: 30_000 });
    expect(await cards.count()).toBe(3);
    // The engine runs one job at a time: one card running, the others queued behind it.
    await page.getByText(/^Running: /).first().waitFor({ timeout: 60_000 });
    expect(await page.getByText(/^Running: /).count()).toBe(1);
    expect(await page.getByText('Queued', { exact: true }).count()).toBe(2);
    const strip = page.getByRole('status', { name: 'Batch progress' });
    await strip.getByText('0 of 3 done · 1 running · 2 queued · 0 failed').waitFor();
    await page.screenshot({ path: screenshotPath('gallery-batch.png') });

    // The strip survives a reload (the batch is remembered for the session) and can be put away.
    await page.reload();
    await strip.getByText(/of 3 done/).waitFor({ timeout: 30_000 });
    await strip.getByRole('button', { name: 'Hide' }).click();
    await strip.waitFor({ state: 'detached' });
  });
});
