/**
 * Sessions cached across runs, keyed by (model file, provider preference). Creating a session for a
 * multi-GB U-Net takes seconds, so the cache keeps them until `release*` is called (on cancel, on pack
 * change, or on shutdown). Concurrent requests for the same key share one creation.
 */
import type * as ort from 'onnxruntime-node';
import { createSessionWithFallback, type ProviderChoice, type ProviderPreference } from './providers';

export interface CachedSession {
  session: ort.InferenceSession;
  choice: ProviderChoice;
  file: string;
}

export class SessionCache {
  private readonly entries = new Map<string, Promise<CachedSession>>();

  async get(file: string, preference: ProviderPreference): Promise<CachedSession> {
    const key = `${preference}\u0000${file}`;
    let entry = this.entries.get(key);
    if (!entry) {
      entry = createSessionWithFallback(file, preference).then(({ session, choice }) => ({ session, choice, file }));
      // A failed creation must not poison the cache.
      entry.catch(() => this.entries.delete(key));
      this.entries.set(key, entry);
    }
    return entry;
  }

  get size(): number {
    return this.entries.size;
  }

  /** Release every session whose file lies under `dirPrefix` (a pack folder). */
  async releaseUnder(dirPrefix: string): Promise<number> {
    let n = 0;
    for (const [key, entry] of [...this.entries]) {
      const file = key.slice(key.indexOf('\u0000') + 1);
      if (!file.startsWith(dirPrefix)) continue;
      this.entries.delete(key);
      n++;
      await entry.then((e) => e.session.release()).catch(() => undefined);
    }
    return n;
  }

  async releaseAll(): Promise<void> {
    const all = [...this.entries.values()];
    this.entries.clear();
    await Promise.all(all.map((e) => e.then((s) => s.session.release()).catch(() => undefined)));
  }
}

/** The process-wide cache the engine uses. */
export const sessionCache = new SessionCache();
