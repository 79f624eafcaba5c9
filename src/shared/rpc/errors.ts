/**
 * StudioError: an Error with a machine-readable code that survives every transport.
 * Serialised as { code, message, details? } — never the stack (stacks go to the engine log).
 */
import { isStudioErrorCode, type StudioErrorCode } from '../contracts/studio-errors';

export interface SerializedStudioError {
  code: StudioErrorCode;
  message: string;
  details?: unknown;
}

export class StudioError extends Error {
  readonly code: StudioErrorCode;
  readonly details?: unknown;

  constructor(code: StudioErrorCode, message: string, details?: unknown) {
    super(message);
    this.name = 'StudioError';
    this.code = code;
    if (details !== undefined) this.details = details;
  }
}

export function isStudioError(err: unknown): err is StudioError {
  return err instanceof StudioError;
}

/** Error -> wire form. Non-StudioErrors become INTERNAL with their message (no stack). */
export function serializeError(err: unknown): SerializedStudioError {
  if (err instanceof StudioError) {
    const out: SerializedStudioError = { code: err.code, message: err.message };
    if (err.details !== undefined) out.details = err.details;
    return out;
  }
  const message = err instanceof Error ? err.message : String(err);
  return { code: 'INTERNAL', message: message || 'internal error' };
}

/** Wire form -> StudioError; an unknown or missing code becomes INTERNAL rather than being trusted. */
export function deserializeError(raw: unknown): StudioError {
  if (raw && typeof raw === 'object') {
    const r = raw as Record<string, unknown>;
    const code = isStudioErrorCode(r.code) ? r.code : 'INTERNAL';
    const message = typeof r.message === 'string' ? r.message : 'unknown error';
    return new StudioError(code, message, r.details);
  }
  return new StudioError('INTERNAL', String(raw));
}
