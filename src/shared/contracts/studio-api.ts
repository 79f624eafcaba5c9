/**
 * StudioApi: the one contract between the UI and the engine, whatever the transport (Electron IPC via
 * preload/main/utility process, or WebSocket on 127.0.0.1 in browser mode). Its methods are the rows
 * of the table in studio-methods.ts; the argument types come from the zod schemas in
 * studio-requests.ts, the results and events from studio-results.ts, the error codes from
 * studio-errors.ts. This file derives the API's types from the table and re-exports the rest, so
 * callers import the contract from one place.
 */
import type { z } from 'zod';
import { studioMethods, type Resolves } from './studio-methods';
import type { StudioEvent } from './studio-results';

export * from './studio-errors';
export * from './studio-requests';
export * from './studio-results';
export { studioMethods } from './studio-methods';

type MethodTable = typeof studioMethods;

/** Method names of StudioApi that are request/response calls (everything except onEvent). */
export type StudioMethod = keyof MethodTable;
/** The argument list of a method, as its zod tuple parses it. */
export type StudioArgs<M extends StudioMethod> = z.infer<MethodTable[M]['args']>;
/** What a method resolves with. */
export type StudioResult<M extends StudioMethod> = MethodTable[M]['result'] extends Resolves<infer T> ? T : never;

/** Every request/response method as a function (what forwarders and transports implement). */
export type StudioCalls = {
  [M in StudioMethod]: (...args: StudioArgs<M>) => Promise<StudioResult<M>>;
};

export interface StudioApi extends StudioCalls {
  /** Subscribe to engine events; returns an unsubscribe function. */
  onEvent(listener: (event: StudioEvent) => void): () => void;
}

/** Every request/response method, in the table's order: what transports and forwarders iterate over. */
export const STUDIO_METHODS = Object.keys(studioMethods) as StudioMethod[];

/** WebSocket close code sent when the token is wrong or missing. */
export const WS_CLOSE_UNAUTHORIZED = 4401;
/** Path of the RPC WebSocket endpoint on the browser-mode server (ws://127.0.0.1:PORT/rpc?token=T). */
export const WS_RPC_PATH = '/rpc';
