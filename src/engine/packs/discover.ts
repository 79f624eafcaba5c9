/**
 * Where model packs are looked for (DESIGN.md 3): the app's resources, the user's model folder and
 * any `--models DIR`. A search root is either a pack itself (has pack.json) or a folder of packs.
 * Discovery only lists candidates; callers validate before use.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PACK_MANIFEST_FILE } from './manifest-file';

export interface PackSearchOptions {
  /** The app's bundled resources folder (Electron: process.resourcesPath); packs under <it>/models. */
  resourcesDir?: string;
  /** User model folder; default $HEADFORGE_MODELS or ~/.headforge/models. */
  userDir?: string;
  /** Extra folders from `--models DIR` (highest priority). */
  extraDirs?: string[];
}

export interface PackCandidate {
  dir: string;
  origin: 'cli' | 'user' | 'resources';
}

export function defaultUserModelDir(): string {
  return process.env.HEADFORGE_MODELS ?? path.join(os.homedir(), '.headforge', 'models');
}

/** Candidate pack folders in priority order (--models, user, resources), without duplicates. */
export function discoverPacks(options: PackSearchOptions = {}): PackCandidate[] {
  const roots: PackCandidate[] = [
    ...(options.extraDirs ?? []).map((dir) => ({ dir, origin: 'cli' as const })),
    { dir: options.userDir ?? defaultUserModelDir(), origin: 'user' },
    ...(options.resourcesDir ? [{ dir: path.join(options.resourcesDir, 'models'), origin: 'resources' as const }] : []),
  ];
  const seen = new Set<string>();
  const out: PackCandidate[] = [];
  const add = (dir: string, origin: PackCandidate['origin']) => {
    const abs = path.resolve(dir);
    if (!seen.has(abs)) {
      seen.add(abs);
      out.push({ dir: abs, origin });
    }
  };
  for (const root of roots) {
    if (!fs.existsSync(root.dir) || !fs.statSync(root.dir).isDirectory()) continue;
    if (fs.existsSync(path.join(root.dir, PACK_MANIFEST_FILE))) {
      add(root.dir, root.origin);
      continue;
    }
    for (const entry of fs.readdirSync(root.dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      if (entry.isDirectory() && fs.existsSync(path.join(root.dir, entry.name, PACK_MANIFEST_FILE))) add(path.join(root.dir, entry.name), root.origin);
    }
  }
  return out;
}

/** The first discovered pack whose manifest names itself `name` (manifest read, not validated), or null. */
export function findPackByName(name: string, options: PackSearchOptions = {}): PackCandidate | null {
  for (const c of discoverPacks(options)) {
    try {
      const m = JSON.parse(fs.readFileSync(path.join(c.dir, PACK_MANIFEST_FILE), 'utf8')) as { name?: unknown };
      if (m.name === name) return c;
    } catch {
      // An unreadable manifest is not this pack; `models list` reports it.
    }
  }
  return null;
}
