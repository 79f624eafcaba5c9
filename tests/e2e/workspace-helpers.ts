/**
 * What the workspace e2e files share: the test runs' step counts, the project's runs as on disk
 * (run.json), and page probes (the preview canvas's picture, what is on screen, an upright head).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import type { Page } from 'playwright-core';
import { canvasForeground, profileCorrelation, referenceProfile, type Foreground } from './silhouette';

/** Optimisation steps of the test runs (the draft preset's 600 take minutes on 2 loaded cores). */
export const STEPS_FIRST = 160;
export const STEPS_SECOND = 120;
export const RUN_TIMEOUT_MS = 240_000;

export interface RunOnDisk {
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

export function projectDir(libraryRoot: string): string {
  const projects = path.join(libraryRoot, 'projects');
  const ids = existsSync(projects) ? readdirSync(projects).filter((n) => !n.startsWith('.')) : [];
  if (ids.length !== 1) throw new Error(`expected one project in the library, found ${ids.length}`);
  return path.join(projects, ids[0]);
}

/** The project's runs on disk (run.json), oldest first. */
export function runsOnDisk(libraryRoot: string): RunOnDisk[] {
  const runs = path.join(projectDir(libraryRoot), 'runs');
  const out: RunOnDisk[] = [];
  for (const r of existsSync(runs) ? readdirSync(runs) : []) {
    const file = path.join(runs, r, 'run.json');
    if (existsSync(file)) out.push(JSON.parse(readFileSync(file, 'utf8')) as RunOnDisk);
  }
  return out.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
}

export const runDir = (libraryRoot: string, runId: string): string =>
  path.join(projectDir(libraryRoot), 'runs', runId);

export async function waitForRunState(libraryRoot: string, index: number, states: string[]): Promise<RunOnDisk> {
  await expect
    .poll(() => runsOnDisk(libraryRoot)[index]?.state ?? 'none', { timeout: RUN_TIMEOUT_MS, interval: 500 })
    .toSatisfy((s: string) => states.includes(s) || s === 'failed');
  const run = runsOnDisk(libraryRoot)[index];
  // A failed run is a failure of this test, with the engine's words.
  expect(run.state, `run ${run.id} ended ${run.state}: ${run.error ?? ''}`).not.toBe('failed');
  return run;
}

export async function selectOption(page: Page, combobox: string, option: RegExp): Promise<void> {
  await page.getByRole('combobox', { name: combobox }).click();
  await page.getByRole('option', { name: option }).click();
}

/** The 3D preview shows a head: not blank, and upright (its silhouette matches the front image, not the flipped one). */
export async function expectUprightHead(page: Page, referencePng: string): Promise<Foreground> {
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
export async function onScreen(
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
export async function canvasSignature(page: Page): Promise<number[]> {
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

export const meanAbsDiff = (a: number[], b: number[]): number =>
  a.reduce((sum, v, i) => sum + Math.abs(v - b[i]), 0) / a.length;
