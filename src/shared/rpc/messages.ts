/**
 * RPC message shapes carried in frames (see codec.ts). Transport-neutral: the same messages flow over
 * the in-memory pair, Electron MessagePorts / child-process IPC and the WebSocket.
 *
 *   client -> server: request  { kind: 'request', id, method, args }
 *                     cancel   { kind: 'cancel', id }           (aborts the handler's AbortSignal)
 *   server -> client: response { kind: 'response', id, ok: true, result }
 *                     response { kind: 'response', id | null, ok: false, error }   (id null: undecodable frame)
 *                     event    { kind: 'event', event }
 */
import type { StudioEvent } from '../contracts/studio-api';
import type { SerializedStudioError } from './errors';

export interface RequestMessage {
  kind: 'request';
  id: number;
  method: string;
  args: unknown[];
}
export interface CancelMessage {
  kind: 'cancel';
  id: number;
}
export type ResponseMessage =
  | { kind: 'response'; id: number; ok: true; result: unknown }
  | { kind: 'response'; id: number | null; ok: false; error: SerializedStudioError };
export interface EventMessage {
  kind: 'event';
  event: StudioEvent;
}

export type ClientToServer = RequestMessage | CancelMessage;
export type ServerToClient = ResponseMessage | EventMessage;

/** Shape check of a decoded frame on the server side; returns a reason string when malformed. */
export function checkClientMessage(msg: unknown): ClientToServer | string {
  if (!msg || typeof msg !== 'object' || Array.isArray(msg)) return 'message must be an object';
  const m = msg as Record<string, unknown>;
  if (!Number.isSafeInteger(m.id)) return 'message needs an integer "id"';
  if (m.kind === 'cancel') return { kind: 'cancel', id: m.id as number };
  if (m.kind !== 'request') return `unknown message kind ${JSON.stringify(m.kind)}`;
  if (typeof m.method !== 'string') return 'request needs a string "method"';
  if (!Array.isArray(m.args)) return 'request needs an "args" array';
  return { kind: 'request', id: m.id as number, method: m.method, args: m.args };
}

/** Shape check on the client side. */
export function checkServerMessage(msg: unknown): ServerToClient | string {
  if (!msg || typeof msg !== 'object' || Array.isArray(msg)) return 'message must be an object';
  const m = msg as Record<string, unknown>;
  if (m.kind === 'event') {
    const ev = m.event as Record<string, unknown> | undefined;
    if (!ev || typeof ev.type !== 'string') return 'event needs a "type"';
    return msg as EventMessage;
  }
  if (m.kind !== 'response') return `unknown message kind ${JSON.stringify(m.kind)}`;
  if (!(m.id === null || Number.isSafeInteger(m.id))) return 'response needs an integer "id"';
  if (m.ok !== true && m.ok !== false) return 'response needs boolean "ok"';
  return msg as ResponseMessage;
}
