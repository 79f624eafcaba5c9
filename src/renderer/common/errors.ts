/** Words for errors: the engine's StudioError codes turned into what the user should know or do. */
import type { StudioErrorCode } from '../../shared/contracts/studio-errors';
import { isStudioError } from '../../shared/rpc/errors';

const HINTS: Partial<Record<StudioErrorCode, string>> = {
  PIPELINE_UNAVAILABLE: 'A part the generate pipeline needs is missing: `headforge doctor` says which.',
  BACKEND_UNAVAILABLE: 'The selected model pack or execution provider is not installed.',
  INVALID_IMAGE: 'That file is not an image HeadForge can read.',
  DAMAGED: 'The project file is damaged; it was left untouched.',
  DISK_FULL: 'The disk is full; nothing was written.',
  ENGINE_CRASHED: 'The engine stopped unexpectedly and is restarting; your projects are safe.',
  UNAUTHORIZED: 'The engine refused this page: open the exact URL printed by `headforge serve`.',
};

/**
 * Codes whose engine message is itself a sentence for the artist (naming the file and what to do, e.g.
 * "tiny.png is 20x20; portraits need at least 64 px on each side..."): shown as is, without the hint.
 */
const WORDED_FOR_ARTIST: ReadonlySet<StudioErrorCode> = new Set(['INVALID_IMAGE']);

export function errorMessage(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  if (isStudioError(err)) {
    if (WORDED_FOR_ARTIST.has(err.code) && message) return message;
    const hint = HINTS[err.code];
    return hint && !message.includes(hint) ? `${hint} (${message})` : message;
  }
  return message;
}

export function errorCode(err: unknown): StudioErrorCode | null {
  return isStudioError(err) ? err.code : null;
}
