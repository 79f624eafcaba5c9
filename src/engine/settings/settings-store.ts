/**
 * Settings for the CLI and browser mode: one JSON file (settings.json) in the library, validated on
 * load, written atomically. (The Electron app keeps its settings in electron-store.)
 * A corrupt file is moved aside to settings.corrupt-<time>.json (kept, never overwritten) and defaults apply.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Settings } from '../../shared/contracts/studio-api';
import { settingsSchema } from '../../shared/contracts/studio-requests';
import { fsError, writeJsonAtomic, type LibraryFs } from '../run-folder/atomic-write';

export const DEFAULT_SETTINGS: Settings = {
  defaultQuality: 'standard',
  defaultBackend: 'default',
  previewBackground: '#202124',
  theme: 'dark',
};

export class SettingsStore {
  private cached: Settings | null = null;
  /** Set when the stored file was unusable and defaults were applied; for the log and `doctor`. */
  problem: string | null = null;

  constructor(
    readonly file: string,
    private readonly fsOps?: LibraryFs,
  ) {}

  static inLibrary(root: string, fsOps?: LibraryFs): SettingsStore {
    return new SettingsStore(path.join(root, 'settings.json'), fsOps);
  }

  async get(): Promise<Settings> {
    if (this.cached) return { ...this.cached };
    let raw: string;
    try {
      raw = await fs.readFile(this.file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw fsError(err, 'read settings');
      this.cached = { ...DEFAULT_SETTINGS };
      return { ...this.cached };
    }
    let parsed: Settings | null = null;
    try {
      // Unknown keys from newer versions are dropped; known keys must be valid.
      const result = settingsSchema.partial().strip().safeParse(JSON.parse(raw));
      if (result.success) parsed = { ...DEFAULT_SETTINGS, ...result.data };
      else this.problem = `settings.json is invalid (${result.error.issues[0].message})`;
    } catch (err) {
      this.problem = `settings.json is not valid JSON (${(err as Error).message})`;
    }
    if (!parsed) {
      const aside = this.file.replace(/\.json$/, `.corrupt-${Date.now()}.json`);
      await fs.rename(this.file, aside).catch(() => undefined);
      this.problem += `; kept as ${path.basename(aside)}, defaults in use`;
      parsed = { ...DEFAULT_SETTINGS };
    }
    this.cached = parsed;
    return { ...parsed };
  }

  async update(patch: Partial<Settings>): Promise<Settings> {
    const next = settingsSchema.parse({ ...(await this.get()), ...patch });
    await fs.mkdir(path.dirname(this.file), { recursive: true }).catch(() => undefined);
    await writeJsonAtomic(this.file, next, this.fsOps);
    this.cached = next;
    return { ...next };
  }
}
