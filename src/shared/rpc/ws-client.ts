/**
 * WebSocket transport, client side, usable in the browser (global WebSocket) and in Node (the `ws`
 * package's WebSocket, passed in). Pure TS: the socket is described by the minimal interface below,
 * not by the DOM lib.
 */
import { WS_CLOSE_UNAUTHORIZED, WS_RPC_PATH } from '../contracts/studio-api';
import { ChannelHandlers, type RpcChannel } from './channel';
import { createRpcClient, type RpcClient } from './client';

/** What we need from a WebSocket (browser WebSocket and ws.WebSocket both provide it). */
export interface MinimalWebSocket {
  binaryType: string;
  readonly readyState: number;
  send(data: Uint8Array | string): void;
  close(code?: number, reason?: string): void;
  addEventListener(type: string, listener: (event: never) => void): void;
}
export type WebSocketConstructor = new (url: string) => MinimalWebSocket;

const OPEN = 1;

/** Adapt a (possibly still connecting) WebSocket to an RpcChannel; frames sent before open are queued. */
export function wsChannel(socket: MinimalWebSocket): RpcChannel {
  const handlers = new ChannelHandlers();
  const queue: Uint8Array[] = [];
  socket.binaryType = 'arraybuffer';
  socket.addEventListener('open', () => {
    for (const frame of queue.splice(0)) socket.send(frame);
  });
  socket.addEventListener('message', (event: { data: unknown }) => {
    const data = event.data;
    if (typeof data === 'string') handlers.emitFrame(data);
    else if (data instanceof ArrayBuffer) handlers.emitFrame(new Uint8Array(data));
    else if (ArrayBuffer.isView(data))
      handlers.emitFrame(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  });
  socket.addEventListener('close', (event: { code: number; reason: string }) => {
    const unauthorized = event.code === WS_CLOSE_UNAUTHORIZED;
    const reason = event.reason || `WebSocket closed (code ${event.code})`;
    handlers.emitClose({ message: reason, unauthorized });
  });
  // 'error' is always followed by 'close' with the code, which carries the useful reason.
  socket.addEventListener('error', () => undefined);
  return {
    send(frame) {
      if (handlers.closed) throw new Error(`WebSocket closed: ${handlers.closed.message}`);
      if (socket.readyState === OPEN) socket.send(frame);
      else queue.push(frame);
    },
    onFrame: (h) => handlers.onFrame(h),
    onClose: (h) => handlers.onClose(h),
    close(reason = 'client closed') {
      socket.close(1000, reason);
    },
  };
}

/**
 * Connect to a browser-mode server. `url` is the server's ws:// base (ws://127.0.0.1:PORT) or the full
 * RPC URL; the token is appended as ?token=. Wrong token: pending and later calls reject UNAUTHORIZED.
 */
export function createWsClient(url: string, token: string, WebSocketImpl?: WebSocketConstructor): RpcClient {
  const Ctor = WebSocketImpl ?? (globalThis as unknown as { WebSocket?: WebSocketConstructor }).WebSocket;
  if (!Ctor) throw new Error('no WebSocket implementation available: pass one (e.g. the ws package)');
  return createRpcClient(wsChannel(new Ctor(rpcUrl(url, token))));
}

/** ws://host:port[/rpc] + token -> the RPC endpoint URL. */
export function rpcUrl(base: string, token: string): string {
  const trimmed = base.replace(/\/+$/, '');
  const withPath = trimmed.endsWith(WS_RPC_PATH) ? trimmed : trimmed + WS_RPC_PATH;
  return `${withPath}?token=${encodeURIComponent(token)}`;
}

/**
 * Where the renderer finds its engine in browser mode: the page is served as
 * http://127.0.0.1:PORT/?token=T, so the WS endpoint is ws://127.0.0.1:PORT/rpc and the token comes
 * from the query. Returns null when the page URL carries no token.
 */
export function wsEndpointFromPage(page: {
  protocol: string;
  host: string;
  search: string;
}): { url: string; token: string } | null {
  const match = /[?&]token=([^&]+)/.exec(page.search);
  if (!match) return null;
  const scheme = page.protocol === 'https:' ? 'wss:' : 'ws:';
  return { url: `${scheme}//${page.host}${WS_RPC_PATH}`, token: decodeURIComponent(match[1]) };
}
