/**
 * A head's HeadResult as the batch keeps it, from its spec: the one place that copies a spec's
 * identity (id, key, portrait, seed) into a result, for the head made here, on a worker, or failed on
 * the queue; and a finished head read back from the batch's storage (heads/<id>/head.json).
 */
import { headFileKey, HEAD_RESULT_FILE, type BatchStorage } from './storage/batch-storage';
import type { HeadResult, HeadSpec } from './types';

/** The spec's identity with the rest of a result. */
export function headResult(
  spec: HeadSpec,
  rest: Omit<HeadResult, 'id' | 'key' | 'inputName' | 'inputSha256' | 'seed'>,
): HeadResult {
  return {
    id: spec.id,
    key: spec.key,
    inputName: spec.inputName,
    inputSha256: spec.inputSha256,
    seed: spec.seed,
    ...rest,
  };
}

/** A head that was not made: why, and whether the portrait itself is to blame (retrying cannot help). */
export function failedHead(
  spec: HeadSpec,
  error: string,
  extra: { badInput?: boolean; seconds?: number; worker?: string; attempts?: number } = {},
): HeadResult {
  return headResult(spec, {
    state: 'failed',
    seconds: extra.seconds ?? 0,
    warnings: [],
    error,
    badInput: extra.badInput ?? false,
    ...(extra.worker !== undefined ? { worker: extra.worker } : {}),
    ...(extra.attempts !== undefined ? { attempts: extra.attempts } : {}),
  });
}

/** A finished head's result from an earlier call or another worker, or null when it is not (all) there. */
export async function readFinishedHead(storage: BatchStorage, spec: HeadSpec): Promise<HeadResult | null> {
  const text = await storage.readText(headFileKey(spec.id, HEAD_RESULT_FILE));
  if (text === null) return null;
  try {
    const r = JSON.parse(text) as HeadResult;
    return r.key === spec.key && r.state === 'done' ? r : null;
  } catch {
    return null;
  }
}
