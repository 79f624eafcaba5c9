/**
 * StudioApi over the preload bridge (`window.headforge`): unwraps IpcEnvelopes into results, and
 * error envelopes into StudioErrors with the engine's code, so the UI handles both transports alike.
 */
import { STUDIO_METHODS, type StudioApi } from '../../shared/contracts/studio-api';
import { deserializeError } from '../../shared/rpc/errors';
import type { HeadforgeBridge } from '../../shared/contracts/ipc-bridge';
import type { IpcEnvelope } from '../../shared/contracts/ipc';

export function createIpcApi(bridge: HeadforgeBridge): StudioApi {
  const api: Record<string, unknown> = {};
  for (const method of STUDIO_METHODS) {
    api[method] = async (...args: unknown[]) => {
      const fn = bridge[method] as (...a: unknown[]) => Promise<IpcEnvelope>;
      const envelope = await fn(...args);
      if (envelope.ok) return envelope.result;
      throw deserializeError(envelope.error);
    };
  }
  api.onEvent = bridge.onEvent;
  return api as unknown as StudioApi;
}
