/**
 * Workspace e2e in browser mode, the run history: a first run (seed 1234, auto elevation), then in
 * order: flag a view as bad and re-run with another elevation and seed (settings on disk) -> compare
 * the two runs -> pin the first run as the gallery picture (the card shows it) -> revert to the first run and undo that ->
 * seed explorer previews (wording, rows), promote a seed -> seed previews with progress, cancelled
 * between seeds -> cancel a third run mid-way (UI and run.json) -> settings survive a reload.
 * Screenshots (docs/screenshots/): runs-compare.png, seed-explorer.png, seed-explorer-progress.png.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
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
import { WEIGHT_FREE_SEED_NOTE } from '../../src/renderer/workspace/SeedExplorer';
import { STEPS_FIRST, STEPS_SECOND, projectDir, runDir, waitForRunState, type RunOnDisk } from './workspace-helpers';

if (!hasChromium)
  console.warn(`[e2e] SKIPPED: ${CHROMIUM} is missing; install Debian's chromium to run the workspace test.`);

describe.skipIf(!hasChromium)('workspace run history (browser mode)', () => {
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

  it('makes a first run with a locked seed', async () => {
    await page.getByRole('button', { name: 'Lock seed' }).click();
    await page.getByRole('spinbutton', { name: 'Seed' }).fill('1234');
    await page.getByRole('button', { name: 'Advanced' }).click();
    await page.getByRole('spinbutton', { name: 'Optimisation steps' }).fill(String(STEPS_FIRST));
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    first = await waitForRunState(served.libraryRoot, 0, ['done']);
    expect(first.settings).toMatchObject({ seed: 1234, steps: STEPS_FIRST });
    await page.getByTestId('run-history').getByText('seed 1234').waitFor({ timeout: 15_000 });
    await expect.poll(() => page.getByTestId('view-tile').count(), { timeout: 15_000 }).toBe(16);
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

  it('pins the first run as the gallery picture: the card shows it, not the newer run', async () => {
    const history = page.getByTestId('run-history');
    await history.getByText('seed 1234').click();
    await page.getByRole('button', { name: 'Use as gallery picture', exact: true }).click();
    await history.getByTestId('run-cover').waitFor({ timeout: 15_000 });
    const onDisk = JSON.parse(readFileSync(path.join(projectDir(served.libraryRoot), 'project.json'), 'utf8')) as {
      coverRunId?: string;
    };
    expect(onDisk.coverRunId).toBe(first.id);
    // The gallery card's picture is the pinned run's front render though a newer run is done.
    await page.getByRole('button', { name: /All projects/i }).click();
    const card = page.getByTestId('project-card').first();
    await expect.poll(() => card.locator('img').first().getAttribute('src'), { timeout: 15_000 }).toContain(first.id);
    await page.getByRole('button', { name: 'Open hq-0002-matted-rgba' }).click();
    await page.getByRole('heading', { name: 'hq-0002-matted-rgba', level: 1 }).waitFor();
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
    // With the weight-free backend the rows look alike, and the dialog says why.
    expect(intro).toContain(WEIGHT_FREE_SEED_NOTE);
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
    // The last finished head stays usable while the new run goes (it used to sit under "No head yet"
    // with these disabled), and after the cancel.
    const headActions = async (): Promise<boolean[]> =>
      Promise.all(
        ['Export', 'Animate', 'Frontal view'].map((name) =>
          page.getByRole('button', { name, exact: true }).isEnabled(),
        ),
      );
    expect(await headActions()).toEqual([true, true, true]);
    await page.getByRole('button', { name: 'Cancel run' }).click();
    const third = await waitForRunState(served.libraryRoot, 2, ['cancelled', 'done']);
    expect(third.state).toBe('cancelled');
    expect(third.settings.seed).toBe(exploredSeed);
    await page.getByText('Run cancelled.').waitFor({ timeout: 15_000 });
    await page.getByTestId('run-history').getByText('cancelled').first().waitFor();
    await page.getByRole('button', { name: 'Run', exact: true }).waitFor();
    expect(await headActions()).toEqual([true, true, true]);
    await expect(page.getByTestId('stand-in-note').textContent()).resolves.toMatch(
      /^Showing run run-\S+: run \S+ was cancelled and has\s*no head yet/,
    );
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
