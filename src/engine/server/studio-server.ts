/**
 * Browser-mode server on 127.0.0.1 only:
 *   GET  /?token=T           the built renderer (out/renderer); sets an HttpOnly cookie with the token
 *   GET  /assets/<id>/<rel>  project files (token via cookie or ?token=), same escape checks as Electron
 *   WS   /rpc?token=T        StudioApi RPC (binary frames, see src/shared/rpc/codec.ts)
 * The token is random per launch; a wrong or missing token closes the socket with 4401 and a reason.
 *
 * Nothing a connection does may stop the process (issue 20): every raw socket and WebSocket has an
 * 'error' listener before anything can fail on it, upgrades to other paths are answered and destroyed,
 * a refused (tokenless) WebSocket may send at most REFUSED_MAX_PAYLOAD bytes per frame (ws refuses
 * larger frame headers before allocating) and is terminated if it does not finish closing, and the
 * token never reaches the log.
 */
import http from 'node:http';
import path from 'node:path';
import fs from 'node:fs';
import type { Duplex } from 'node:stream';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { WebSocketServer } from 'ws';
import { WS_CLOSE_UNAUTHORIZED, WS_RPC_PATH, type StudioApi } from '../../shared/contracts/studio-api';
import { serveRpc } from '../../shared/rpc/server';
import { isStudioError } from '../../shared/rpc/errors';
import { dispatchHandler } from '../host/dispatch';
import { parseAssetUrlPath, resolveAssetPath, resolveInside } from '../projects/paths';
import { nullLogger, type Logger } from '../logging/logger';
import { serverWsChannel } from './ws-channel';
import { sendFile, sendText } from './static-files';

export interface StudioServerOptions {
  api: StudioApi;
  libraryRoot: string;
  /** Built renderer folder (index.html inside); null or missing -> a page explaining how to build it. */
  rendererDir: string | null;
  /** What that page says (serve names the exact command: rendererNotBuiltMessage); checked per request. */
  rendererMissingText?: string;
  /** 0 = any free port. */
  port?: number;
  token?: string;
  logger?: Logger;
}

export interface StudioServer {
  port: number;
  token: string;
  /** http://127.0.0.1:PORT/?token=T — what the user opens. */
  pageUrl: string;
  /** ws://127.0.0.1:PORT/rpc (without the token). */
  wsUrl: string;
  close(): Promise<void>;
}

const HOST = '127.0.0.1';
const COOKIE = 'headforge_token';
/** 256 MB: a portrait upload plus headroom; larger frames are refused by ws with close code 1009. */
export const MAX_FRAME_BYTES = 256 * 1024 * 1024;
/** A refused connection only needs to send its close frame (<= 125 bytes payload). */
export const REFUSED_MAX_PAYLOAD = 1024;
/** A refused connection that has not finished closing after this long is cut. */
const REFUSED_CLOSE_MS = 2000;

const ignoreError = (): void => undefined;

/** The request URL for logs: the token query parameter replaced. */
export function redactUrl(url: string | undefined): string {
  return (url ?? '/').replace(/([?&]token=)[^&#]*/gi, '$1<redacted>');
}

export async function startStudioServer(options: StudioServerOptions): Promise<StudioServer> {
  const token = options.token ?? randomBytes(24).toString('base64url');
  const logger = options.logger ?? nullLogger;
  const tokenOk = (candidate: string | null | undefined): boolean => {
    if (!candidate) return false;
    const a = Buffer.from(candidate);
    const b = Buffer.from(token);
    return a.length === b.length && timingSafeEqual(a, b);
  };

  const server = http.createServer((req, res) => {
    handleHttp(req, res).catch((err) => {
      logger.error(`HTTP ${redactUrl(req.url)}`, err);
      sendText(res, 500, 'internal error');
    });
  });
  // A listening server's own errors (EMFILE on accept, ...) are logged, never thrown.
  server.on('error', (err) => logger.error('browser-mode server', err));
  server.on('clientError', (err: NodeJS.ErrnoException, socket) => {
    socket.on('error', ignoreError);
    if (socket.writable && err.code !== 'ECONNRESET') socket.end('HTTP/1.1 400 Bad Request\r\n\r\n');
    socket.destroy();
  });

  async function handleHttp(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    if (req.method !== 'GET' && req.method !== 'HEAD') return sendText(res, 405, 'method not allowed');
    const url = new URL(req.url ?? '/', `http://${HOST}`);
    const queryToken = url.searchParams.get('token');
    if (url.pathname.startsWith('/assets/')) {
      if (!tokenOk(queryToken) && !tokenOk(cookieToken(req.headers.cookie)))
        return sendText(res, 401, 'unauthorized: missing or wrong token');
      try {
        const parsed = parseAssetUrlPath(url.pathname);
        if (!parsed) return sendText(res, 404, 'not found');
        const file = await resolveAssetPath(options.libraryRoot, parsed.projectId, parsed.relativePath);
        return sendFile(res, file, { 'Cache-Control': 'no-cache' });
      } catch (err) {
        if (isStudioError(err)) return sendText(res, err.code === 'PATH_ESCAPE' ? 403 : 404, err.message);
        throw err;
      }
    }
    return serveRenderer(url, queryToken, res);
  }

  function serveRenderer(url: URL, queryToken: string | null, res: http.ServerResponse): void {
    const dir = options.rendererDir;
    const indexFile = dir ? path.join(dir, 'index.html') : null;
    if (!dir || !indexFile || !fs.existsSync(indexFile)) {
      return sendText(
        res,
        503,
        options.rendererMissingText ??
          'The renderer is not built. Run `npm run build` in the HeadForge folder, then reload this page.',
      );
    }
    // Opening the printed URL hands the token to the page as a cookie, so <img src="/assets/..."> works.
    const cookie = tokenOk(queryToken)
      ? { 'Set-Cookie': `${COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/` }
      : undefined;
    const rel = url.pathname.replace(/^\/+/, '');
    if (rel === '' || rel === 'index.html')
      return sendFile(res, indexFile, { ...cookie, 'Cache-Control': 'no-cache' });
    let decoded: string;
    try {
      decoded = decodeURIComponent(rel);
    } catch {
      return sendText(res, 400, 'bad request: the path is not valid percent-encoding');
    }
    resolveInside(dir, decoded)
      .then((file) => {
        if (fs.existsSync(file) && fs.statSync(file).isFile()) sendFile(res, file);
        else sendFile(res, indexFile, { ...cookie, 'Cache-Control': 'no-cache' }); // SPA fallback
      })
      .catch(() => sendText(res, 403, 'forbidden'));
  }

  // Refusals are logged at most once a minute with a count: a flood of tokenless connections must not
  // become a flood of log lines on disk.
  let refusedSinceLog = 0;
  let lastRefusedLog = -Infinity;
  const refusedLog = (): void => {
    refusedSinceLog++;
    const now = Date.now();
    if (now - lastRefusedLog < 60_000) return;
    logger.warn(`WebSocket refused: wrong or missing token (${refusedSinceLog} since the last such line)`);
    refusedSinceLog = 0;
    lastRefusedLog = now;
  };

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });
  // Tokenless connections go through their own server whose frame limit is a close frame's size.
  const refusedWss = new WebSocketServer({ noServer: true, maxPayload: REFUSED_MAX_PAYLOAD });
  wss.on('error', ignoreError);
  refusedWss.on('error', ignoreError);
  server.on('upgrade', (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    // Node removes its own listeners from an upgraded socket: without this a reset kills the process.
    socket.on('error', ignoreError);
    let url: URL;
    try {
      url = new URL(req.url ?? '/', `http://${HOST}`);
    } catch {
      return refuseUpgrade(socket, '400 Bad Request');
    }
    if (url.pathname !== WS_RPC_PATH) return refuseUpgrade(socket, '404 Not Found');
    const authorized = tokenOk(url.searchParams.get('token'));
    const target = authorized ? wss : refusedWss;
    try {
      target.handleUpgrade(req, socket, head, (ws) => {
        ws.on('error', ignoreError); // 'close' follows; a bad frame must not become an uncaught error
        if (!authorized) {
          // Accept then close with a code, so a browser client can tell "wrong token" from "server down".
          refusedLog();
          ws.close(WS_CLOSE_UNAUTHORIZED, 'unauthorized: missing or wrong token');
          const timer = setTimeout(() => ws.terminate(), REFUSED_CLOSE_MS);
          timer.unref();
          ws.once('close', () => clearTimeout(timer));
          return;
        }
        serveRpc(serverWsChannel(ws), dispatchHandler(options.api));
      });
    } catch (err) {
      logger.warn(`WebSocket upgrade failed: ${(err as Error).message}`);
      socket.destroy();
    }
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, HOST, () => resolve());
  });
  const port = (server.address() as { port: number }).port;
  logger.info(`browser-mode server on http://${HOST}:${port}`);
  return {
    port,
    token,
    pageUrl: `http://${HOST}:${port}/?token=${encodeURIComponent(token)}`,
    wsUrl: `ws://${HOST}:${port}${WS_RPC_PATH}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of wss.clients) client.terminate();
        for (const client of refusedWss.clients) client.terminate();
        wss.close();
        refusedWss.close();
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}

/** Answer an upgrade we will not serve with a status line, then cut the socket (its error listener is set). */
function refuseUpgrade(socket: Duplex, status: string): void {
  if (!socket.writable) return void socket.destroy();
  socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`, () => socket.destroy());
  setTimeout(() => socket.destroy(), 1000).unref(); // a peer that never reads cannot hold it open
}

function cookieToken(header: string | undefined): string | null {
  if (!header) return null;
  for (const part of header.split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === COOKIE) return v.join('=');
  }
  return null;
}
