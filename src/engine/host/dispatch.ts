/**
 * The one server-side entry for StudioApi calls arriving over any transport (Electron IPC handlers in
 * src/main, the engine process's RPC server, the WebSocket server): checks the method name, validates
 * the argument tuple with the method's zod tuple from the contract table, then calls the API. Bad arguments -> BAD_REQUEST naming the field.
 */
import {
  STUDIO_METHODS,
  describeZodError,
  studioMethods,
  type StudioApi,
  type StudioMethod,
} from '../../shared/contracts/studio-api';
import { StudioError } from '../../shared/rpc/errors';
import type { RpcHandler } from '../../shared/rpc/server';

const METHODS: ReadonlySet<string> = new Set(STUDIO_METHODS);

export function isStudioMethod(method: unknown): method is StudioMethod {
  return typeof method === 'string' && METHODS.has(method);
}

/** Validate `args` for `method` and call it on `api`. Throws StudioError (BAD_REQUEST) on bad input. */
export async function dispatch(api: StudioApi, method: unknown, args: unknown): Promise<unknown> {
  if (!isStudioMethod(method))
    throw new StudioError('BAD_REQUEST', `unknown method ${JSON.stringify(method)}`);
  const parsed = studioMethods[method].args.safeParse(args);
  if (!parsed.success) throw new StudioError('BAD_REQUEST', `${method}: ${describeZodError(parsed.error)}`);
  const fn = api[method] as (...a: unknown[]) => Promise<unknown>;
  return fn.apply(api, parsed.data as unknown[]);
}

/** RpcHandler for serveRpc(): every call through dispatch(), every API event to the connection. */
export function dispatchHandler(api: StudioApi): RpcHandler {
  return {
    call: (method, args) => dispatch(api, method, args),
    subscribe: (listener) => api.onEvent(listener),
  };
}
