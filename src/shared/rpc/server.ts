/**
 * RPC server side: reads request frames from an RpcChannel, hands them to a handler (in the engine:
 * `dispatch`, which validates arguments with the zod schemas), and writes responses and events back.
 * A malformed frame gets an error reply (BAD_MESSAGE, id null when it had none) and the connection survives.
 */
import type { StudioEvent } from '../contracts/studio-api';
import type { RpcChannel } from './channel';
import { FrameDecodeError, decodeFrame, encodeFrame } from './codec';
import { StudioError, serializeError } from './errors';
import { checkClientMessage, type ServerToClient } from './messages';

export interface RpcHandler {
  call(method: string, args: unknown[], signal: AbortSignal): Promise<unknown>;
  /** Events to push to this connection; returns an unsubscribe function. */
  subscribe(listener: (event: StudioEvent) => void): () => void;
}

export interface RpcServerConnection {
  close(reason?: string): void;
}

export function serveRpc(channel: RpcChannel, handler: RpcHandler): RpcServerConnection {
  const inflight = new Map<number, AbortController>();
  let open = true;

  const send = (msg: ServerToClient): void => {
    if (!open) return;
    try {
      channel.send(encodeFrame(msg));
    } catch {
      // Peer went away between check and send; the close handler cleans up.
    }
  };

  const unsubscribe = handler.subscribe((event) => send({ kind: 'event', event }));

  channel.onFrame((frame) => {
    let raw: unknown;
    try {
      raw = decodeFrame(frame);
    } catch (err) {
      const reason = err instanceof FrameDecodeError ? err.message : String(err);
      send({
        kind: 'response',
        id: null,
        ok: false,
        error: { code: 'BAD_MESSAGE', message: `malformed message: ${reason}` },
      });
      return;
    }
    const msg = checkClientMessage(raw);
    if (typeof msg === 'string') {
      const id =
        raw && typeof raw === 'object' && Number.isSafeInteger((raw as { id?: unknown }).id)
          ? (raw as { id: number }).id
          : null;
      send({
        kind: 'response',
        id,
        ok: false,
        error: { code: 'BAD_MESSAGE', message: `malformed message: ${msg}` },
      });
      return;
    }
    if (msg.kind === 'cancel') {
      inflight.get(msg.id)?.abort(new StudioError('CANCELLED', 'request cancelled by the client'));
      return;
    }
    const controller = new AbortController();
    inflight.set(msg.id, controller);
    handler
      .call(msg.method, msg.args, controller.signal)
      .then(
        (result) =>
          send({ kind: 'response', id: msg.id, ok: true, result: result === undefined ? null : result }),
        (err: unknown) => send({ kind: 'response', id: msg.id, ok: false, error: serializeError(err) }),
      )
      .finally(() => inflight.delete(msg.id));
  });

  const shutdown = (): void => {
    if (!open) return;
    open = false;
    unsubscribe();
    for (const c of inflight.values()) c.abort(new StudioError('CANCELLED', 'connection closed'));
    inflight.clear();
  };
  channel.onClose(shutdown);

  return {
    close(reason = 'server closed') {
      shutdown();
      channel.close(reason);
    },
  };
}
