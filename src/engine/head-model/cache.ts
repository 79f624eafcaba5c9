/**
 * Import once, load many times: tests, CI, `npm run demo` and `generate --head-model DIR` import the
 * kit at `srcDir` into `<cacheDir>/<key>/`, where the key hashes the source files' names, sizes and
 * mtimes and the importer version; later calls just load (and validate) the cached asset. Concurrent
 * processes (vitest workers) wait for the one that imports.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { HEAD_MODEL_MANIFEST, loadHeadModel } from './asset';
import {
  HEAD_MODEL_IMPORTER_VERSION,
  importHeadModel,
  kitSourceFiles,
  type ImportHeadModelOptions,
} from './importer';
import type { HeadModel } from './types';

/** Default cache folder (relative to the working directory): node_modules/.cache/headforge/head-models. */
export const DEFAULT_HEAD_MODEL_CACHE = path.join('node_modules', '.cache', 'headforge', 'head-models');

/** Cache key of the kit at `srcDir`: importer version + each source file's name, size and mtime. */
export function headModelCacheKey(srcDir: string): string {
  const h = crypto.createHash('sha256');
  h.update(`importer ${HEAD_MODEL_IMPORTER_VERSION}\n`);
  for (const f of kitSourceFiles(srcDir)) {
    const st = fs.statSync(f);
    h.update(`${path.basename(f)} ${st.size} ${Math.round(st.mtimeMs)}\n`);
  }
  return h.digest('hex').slice(0, 16);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A lock folder (mkdir is atomic); a lock older than `staleMs` is taken over. */
async function withLock<T>(
  lockDir: string,
  staleMs: number,
  fn: () => Promise<T>,
  ready: () => boolean,
): Promise<T | null> {
  for (;;) {
    try {
      fs.mkdirSync(lockDir);
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      if (ready()) return null;
      try {
        if (Date.now() - fs.statSync(lockDir).mtimeMs > staleMs)
          fs.rmSync(lockDir, { recursive: true, force: true });
      } catch {
        // gone meanwhile
      }
      await sleep(250);
    }
  }
  try {
    return await fn();
  } finally {
    fs.rmSync(lockDir, { recursive: true, force: true });
  }
}

/** Older cache entries imported from the same kit folder (other importer versions, changed files). */
function removeStaleEntries(cacheDir: string, keep: string, from: unknown): void {
  if (typeof from !== 'string') return;
  for (const e of fs.readdirSync(cacheDir, { withFileTypes: true })) {
    const d = path.join(cacheDir, e.name);
    if (!e.isDirectory() || d === keep || e.name.endsWith('.lock')) continue;
    try {
      const m = JSON.parse(fs.readFileSync(path.join(d, HEAD_MODEL_MANIFEST), 'utf8')) as {
        importInfo?: { from?: unknown };
      };
      if (m.importInfo?.from === from) fs.rmSync(d, { recursive: true, force: true });
    } catch {
      // not a cache entry of ours, or one being written: leave it
    }
  }
}

export interface LoadOrImportResult {
  model: HeadModel;
  dir: string;
  /** True when this call ran the importer. */
  imported: boolean;
}

/** The kit at `srcDir` as a loaded HeadModel, importing it into `cacheDir` first if needed. */
export async function loadOrImportHeadModel(
  srcDir: string,
  cacheDir: string = DEFAULT_HEAD_MODEL_CACHE,
  opts: ImportHeadModelOptions = {},
): Promise<LoadOrImportResult> {
  const dir = path.resolve(cacheDir, headModelCacheKey(srcDir));
  const ready = () => fs.existsSync(path.join(dir, HEAD_MODEL_MANIFEST));
  if (ready()) {
    try {
      return { model: loadHeadModel(dir), dir, imported: false };
    } catch {
      // damaged cache entry: import again below
      fs.rmSync(path.join(dir, HEAD_MODEL_MANIFEST), { force: true });
    }
  }
  fs.mkdirSync(path.dirname(dir), { recursive: true });
  const result = await withLock(
    `${dir}.lock`,
    10 * 60_000,
    () => (ready() ? Promise.resolve(null) : importHeadModel(srcDir, dir, opts)),
    ready,
  );
  if (result) {
    removeStaleEntries(path.dirname(dir), dir, result.manifest.importInfo?.from);
    return { model: loadHeadModel(dir), dir, imported: true };
  }
  return { model: loadHeadModel(dir), dir, imported: false };
}
