/** Shared helpers for the API/transport tests: temp libraries, fixture bytes, event waiting. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { StudioApi, StudioEvent } from '../../src/shared/contracts/studio-api';

export const repoRoot = path.resolve(__dirname, '../..');
export const PORTRAIT = path.resolve(repoRoot, '../shared/fixtures/portraits/hq-0002-matted-rgba.png');

export function tempLibrary(prefix = 'hf-lib-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function portraitBytes(): Uint8Array {
  return new Uint8Array(fs.readFileSync(PORTRAIT));
}

/** Resolve with the first event matching `pred` (rejects after `timeoutMs`). */
export function waitForEvent<T extends StudioEvent>(
  api: Pick<StudioApi, 'onEvent'>,
  pred: (e: StudioEvent) => e is T,
  timeoutMs?: number,
): Promise<T>;
export function waitForEvent(
  api: Pick<StudioApi, 'onEvent'>,
  pred: (e: StudioEvent) => boolean,
  timeoutMs?: number,
): Promise<StudioEvent>;
export function waitForEvent(
  api: Pick<StudioApi, 'onEvent'>,
  pred: (e: StudioEvent) => boolean,
  timeoutMs = 10_000,
): Promise<StudioEvent> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error('timed out waiting for event'));
    }, timeoutMs);
    const off = api.onEvent((e) => {
      if (!pred(e)) return;
      clearTimeout(timer);
      off();
      resolve(e);
    });
  });
}

/** Run `fn` and return the rejection's code (fails the test if it resolves). */
export async function errorCode(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (err) {
    return (err as { code?: string }).code ?? `no code: ${String(err)}`;
  }
  throw new Error('expected the call to fail');
}
