/**
 * Browser-mode e2e harness: a real `headforge serve` (child process) on a temporary library, driven by
 * Debian's Chromium through playwright-core (flags from DESIGN.md section 7, fresh profile per run).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { CHROMIUM_ARGS } from '../../src/engine/animation/chromium-encoder';

export const repoRoot = path.resolve(import.meta.dirname, '../..');
export const CHROMIUM = '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM);
export const fixture = (rel: string): string => path.resolve(repoRoot, '../shared/fixtures', rel);
export const screenshotPath = (name: string): string => path.join(repoRoot, 'docs/screenshots', name);

const CHROMIUM_FLAGS = ['--headless', ...CHROMIUM_ARGS];

export interface ServedStudio {
  libraryRoot: string;
  pageUrl: string;
  output(): string;
  stop(): Promise<void>;
}

/**
 * Start `headforge serve` on a fresh library (HEADFORGE_LIBRARY) and an OS-chosen port, and wait for
 * the URL it prints. HEADFORGE_E2E_SERVE (a JSON argv) replaces the command, e.g. to drive an
 * installed headforge instead of this checkout.
 */
export async function startServe(timeoutMs = 90_000): Promise<ServedStudio> {
  if (!existsSync(path.join(repoRoot, 'out/renderer/index.html'))) {
    throw new Error('out/renderer is not built: run `npx electron-vite build` (npm test does) before the e2e tests');
  }
  const libraryRoot = mkdtempSync(path.join(os.tmpdir(), 'headforge-e2e-lib-'));
  const argv: string[] = process.env.HEADFORGE_E2E_SERVE
    ? (JSON.parse(process.env.HEADFORGE_E2E_SERVE) as string[])
    : [process.execPath, '--import', 'tsx', path.join(repoRoot, 'src/cli/index.ts'), 'serve', '--port', '0'];
  const child: ChildProcess = spawn(argv[0], argv.slice(1), {
    cwd: repoRoot,
    env: { ...process.env, HEADFORGE_LIBRARY: libraryRoot, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stdout?.on('data', (d: Buffer) => (log += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (log += d.toString()));

  const pageUrl = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`headforge serve printed no URL within ${timeoutMs} ms:\n${log}`)), timeoutMs);
    const check = (): void => {
      const m = /http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_%-]+/.exec(log);
      if (m) {
        clearTimeout(timer);
        resolve(m[0]);
      }
    };
    child.stdout?.on('data', check);
    child.stderr?.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`headforge serve exited with code ${code} before printing its URL:\n${log}`));
    });
  });

  return {
    libraryRoot,
    pageUrl,
    output: () => log,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(timer);
      }
      // serve's engine child exits just after serve and may still append its last log line: retry for a few seconds.
      for (let attempt = 0; ; attempt++) {
        try {
          rmSync(libraryRoot, { recursive: true, force: true });
          break;
        } catch (err) {
          if (attempt >= 20) throw err;
          await new Promise((r) => setTimeout(r, 250));
        }
      }
    },
  };
}

export interface Browser {
  context: BrowserContext;
  /** Console errors and page errors seen so far (a clean UI has none). */
  errors: string[];
  newPage(): Promise<Page>;
  close(): Promise<void>;
}

export async function launchChromium(): Promise<Browser> {
  const profile = mkdtempSync(path.join(os.tmpdir(), 'headforge-e2e-profile-'));
  // launchPersistentContext owns --user-data-dir: a fresh folder = a fresh profile.
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    args: CHROMIUM_FLAGS,
    viewport: { width: 1280, height: 800 },
    colorScheme: 'dark',
  });
  const errors: string[] = [];
  const watch = (page: Page): void => {
    page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
    page.on('console', (m) => {
      // "Failed to load resource: 404" names no URL in its text; for network errors the message's
      // location is the failing resource: record it (issue 20).
      const where = m.location()?.url;
      if (m.type() === 'error') errors.push(`console: ${m.text()}${where ? ` (${where})` : ''}`);
    });

  };
  context.pages().forEach(watch);
  context.on('page', watch);
  return {
    context,
    errors,
    newPage: () => context.newPage(),
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/**
 * From the gallery: import a fixture portrait as a new project and open its workspace (waits for the
 * card and the workspace heading). The project is named after the file without its extension.
 */
export async function createAndOpenProject(page: Page, fixtureRel: string): Promise<void> {
  const name = path.basename(fixtureRel).replace(/\.[^.]+$/, '');
  await page.getByLabel('Portrait images for new projects').first().setInputFiles(fixture(fixtureRel));
  await page.getByTestId('project-card').first().waitFor({ timeout: 30_000 });
  await page.getByRole('button', { name: `Open ${name}` }).click();
  await page.getByRole('heading', { name, level: 1 }).waitFor();
}
