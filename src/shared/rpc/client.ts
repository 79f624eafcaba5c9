/**
 * RPC client: turns an RpcChannel into a StudioApi. Every method sends a request frame and resolves
 * with the response; rejections are StudioErrors with the server's code. If the channel closes, every
 * pending call rejects (ENGINE_CRASHED, or UNAUTHORIZED when the server refused the token).
 */
import { STUDIO_METHODS, type StudioApi, type StudioEvent, type StudioMethod } from '../contracts/studio-api';
import type { ChannelCloseReason, RpcChannel } from './channel';
import { decodeFrame, encodeFrame } from './codec';
import { StudioError, deserializeError } from './errors';
import { Listeners } from '../listeners';
import { checkServerMessage, type ClientToServer } from './messages';

export interface RpcClient extends StudioApi {
  /** Low-level call; `signal` aborts the request (rejects CANCELLED, and the server aborts its handler). */
  call(method: StudioMethod, args: unknown[], signal?: AbortSignal): Promise<unknown>;
  /** Resolves/rejects... never: fires once when the channel closes, with the reason. */
  onClose(listener: (reason: ChannelCloseReason) => void): () => void;
  close(): void;
  readonly closedReason: ChannelCloseReason | null;
}

interface Pending {
  resolve(value: unknown): void;
  reject(err: StudioError): void;
  cleanup(): void;
}

export function createRpcClient(channel: RpcChannel): RpcClient {
  let nextId = 1;
  const pending = new Map<number, Pending>();
  // A listener's bug must not break delivery to the others (nor the client): errors are dropped here.
  const listeners = new Listeners<StudioEvent>(() => undefined);
  const closeListeners = new Set<(reason: ChannelCloseReason) => void>();
  let closedReason: ChannelCloseReason | null = null;

  const send = (msg: ClientToServer): void => channel.send(encodeFrame(msg));

  channel.onFrame((frame) => {
    let raw: unknown;
    try {
      raw = decodeFrame(frame);
    } catch {
      return; // A garbled frame from our own server cannot be attributed to a call; drop it.
    }
    const msg = checkServerMessage(raw);
    if (typeof msg === 'string') return;
    if (msg.kind === 'event') {
      listeners.emit(msg.event);
      return;
    }
    if (msg.id === null) return;
    const p = pending.get(msg.id);
    if (!p) return;
    pending.delete(msg.id);
    p.cleanup();
    if (msg.ok) p.resolve(msg.result);
    else p.reject(deserializeError(msg.error));
  });

  channel.onClose((reason) => {
    closedReason = reason;
    const err = reason.unauthorized
      ? new StudioError('UNAUTHORIZED', reason.message)
      : new StudioError('ENGINE_CRASHED', `connection to the engine closed: ${reason.message}`);
    for (const [, p] of pending) {
      p.cleanup();
      p.reject(err);
    }
    pending.clear();
    for (const l of [...closeListeners]) l(reason);
    closeListeners.clear();
  });

  const call = (method: StudioMethod, args: unknown[], signal?: AbortSignal): Promise<unknown> =>
    new Promise((resolve, reject) => {
      if (closedReason) {
        const code = closedReason.unauthorized ? 'UNAUTHORIZED' : 'ENGINE_CRASHED';
        reject(new StudioError(code, `connection to the engine closed: ${closedReason.message}`));
        return;
      }
      if (signal?.aborted) {
        reject(new StudioError('CANCELLED', `${method} cancelled`));
        return;
      }
      const id = nextId++;
      const onAbort = (): void => {
        if (!pending.has(id)) return;
        pending.delete(id);
        try {
          send({ kind: 'cancel', id });
        } catch {
          // Channel already gone: nothing to cancel remotely.
        }
        reject(new StudioError('CANCELLED', `${method} cancelled`));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      pending.set(id, { resolve, reject, cleanup: () => signal?.removeEventListener('abort', onAbort) });
      try {
        send({ kind: 'request', id, method, args });
      } catch (err) {
        pending.delete(id);
        reject(new StudioError('ENGINE_CRASHED', `could not send ${method}: ${(err as Error).message}`));
      }
    });

  const api: Record<string, unknown> = {};
  for (const method of STUDIO_METHODS) {
    api[method] = (...args: unknown[]) => call(method, args);
  }
  const client = Object.assign(api, {
    call,
    onEvent(listener: (event: StudioEvent) => void) {
      return listeners.add(listener);
    },
    onClose(listener: (reason: ChannelCloseReason) => void) {
      if (closedReason) {
        const r = closedReason;
        queueMicrotask(() => listener(r));
        return () => undefined;
      }
      closeListeners.add(listener);
      return () => void closeListeners.delete(listener);
    },
    close() {
      channel.close('client closed');
    },
    get closedReason() {
      return closedReason;
    },
  });
  return client as unknown as RpcClient;
}
