/**
 * Pick the transport: the Electron preload bridge when present, else the browser-mode WebSocket.
 * Browser mode finds its server from the page URL: `headforge serve` prints
 * http://127.0.0.1:PORT/?token=T (endpoint ws://127.0.0.1:PORT/rpc); `?ws=<ws url>&token=T` points the
 * page at another server explicitly.
 */
import type { StudioApi } from '../../shared/contracts/studio-api';
import type { ChannelCloseReason } from '../../shared/rpc/channel';
import { createWsClient, wsEndpointFromPage } from '../../shared/rpc/ws-client';
import type { HeadforgeBridge } from '../../shared/contracts/ipc-bridge';
import { createIpcApi } from './ipc-api';

export interface StudioConnection {
  api: StudioApi;
  transport: 'ipc' | 'websocket';
  /** Fires when the transport is lost for good (WebSocket closed / token refused). */
  onLost(listener: (reason: ChannelCloseReason) => void): () => void;
  /** Token to append to asset URLs in browser mode (the server checks it on /assets too). */
  assetToken: string | null;
}

export class ConnectionError extends Error {}

export function wsEndpointFromLocation(loc: Location): { url: string; token: string } | null {
  const params = new URLSearchParams(loc.search);
  const ws = params.get('ws');
  const token = params.get('token');
  if (ws && token) return { url: ws, token };
  return wsEndpointFromPage(loc);
}

export function connectStudio(): StudioConnection {
  const bridge = (window as unknown as { headforge?: HeadforgeBridge }).headforge;
  if (bridge) {
    return { api: createIpcApi(bridge), transport: 'ipc', onLost: () => () => undefined, assetToken: null };
  }
  const endpoint = wsEndpointFromLocation(window.location);
  if (!endpoint) {
    throw new ConnectionError(
      'This page was opened without its access token. Open the exact URL that `npx headforge serve` printed (it ends in ?token=…).',
    );
  }
  const client = createWsClient(endpoint.url, endpoint.token);
  return { api: client, transport: 'websocket', onLost: (l) => client.onClose(l), assetToken: endpoint.token };
}
