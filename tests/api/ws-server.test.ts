/**
 * Browser-mode server specifics: token checks, malformed messages, assets with escape checks, the
 * renderer page.
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { WS_CLOSE_UNAUTHORIZED } from '../../src/shared/contracts/studio-api';
import { decodeFrame, encodeFrame } from '../../src/shared/rpc/codec';
import {
  createWsClient,
  wsEndpointFromPage,
  type WebSocketConstructor,
} from '../../src/shared/rpc/ws-client';
import { Engine } from '../../src/engine/host/engine';
import { startStudioServer, type StudioServer } from '../../src/engine/server/studio-server';
import { errorCode, portraitBytes, tempLibrary } from './helpers';

let library: string;
let rendererDir: string;
let engine: Engine;
let server: StudioServer;
let projectId: string;

beforeAll(async () => {
  library = tempLibrary();
  rendererDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hf-renderer-'));
  fs.writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>HeadForge</title>');
  fs.mkdirSync(path.join(rendererDir, 'assets'));
  fs.writeFileSync(path.join(rendererDir, 'assets', 'app.js'), 'console.log(1)');
  engine = await Engine.create({ libraryRoot: library });
  server = await startStudioServer({ api: engine, libraryRoot: library, rendererDir });
  projectId = (await engine.createProject({ name: 'p', fileName: 'p.png', bytes: portraitBytes() })).id;
});

afterAll(async () => {
  await server.close();
  fs.rmSync(library, { recursive: true, force: true });
  fs.rmSync(rendererDir, { recursive: true, force: true });
});

/** Open a raw socket and collect decoded replies. */
async function rawSocket(url: string): Promise<{ ws: WebSocket; next(): Promise<Record<string, unknown>> }> {
  const ws = new WebSocket(url);
  const queue: Record<string, unknown>[] = [];
  const waiters: ((m: Record<string, unknown>) => void)[] = [];
  ws.on('message', (data: Buffer) => {
    const msg = decodeFrame(new Uint8Array(data)) as Record<string, unknown>;
    const w = waiters.shift();
    if (w) w(msg);
    else queue.push(msg);
  });
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  return {
    ws,
    next: () => new Promise((resolve) => (queue.length ? resolve(queue.shift()!) : waiters.push(resolve))),
  };
}

/** GET with the path sent exactly as written (fetch would normalise dot segments first). */
function rawGet(pathAndQuery: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port: server.port, path: pathAndQuery, method: 'GET' },
      (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

describe('browser-mode server', () => {
  it('binds 127.0.0.1 and prints a URL carrying the token', () => {
    expect(server.pageUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]{20,}$/);
    expect(
      wsEndpointFromPage({
        protocol: 'http:',
        host: `127.0.0.1:${server.port}`,
        search: `?token=${server.token}`,
      }),
    ).toEqual({ url: server.wsUrl, token: server.token });
  });

  it('closes a connection with a wrong token (code 4401) and calls reject UNAUTHORIZED', async () => {
    const ws = new WebSocket(`${server.wsUrl}?token=wrong`);
    const closed = await new Promise<{ code: number; reason: string }>((resolve) =>
      ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })),
    );
    expect(closed).toEqual({ code: WS_CLOSE_UNAUTHORIZED, reason: 'unauthorized: missing or wrong token' });
    const client = createWsClient(server.wsUrl, 'also-wrong', WebSocket as unknown as WebSocketConstructor);
    expect(await errorCode(client.listProjects())).toBe('UNAUTHORIZED');
    const noToken = new WebSocket(server.wsUrl);
    expect(await new Promise((resolve) => noToken.on('close', resolve))).toBe(WS_CLOSE_UNAUTHORIZED);
  });

  it('answers malformed messages with BAD_MESSAGE and keeps the connection', async () => {
    const { ws, next } = await rawSocket(`${server.wsUrl}?token=${server.token}`);
    ws.send('{"this is": not json');
    expect(await next()).toMatchObject({
      kind: 'response',
      id: null,
      ok: false,
      error: { code: 'BAD_MESSAGE' },
    });
    ws.send(Buffer.from([0x48, 0x46, 0x52, 0x31, 0xff, 0xff, 0xff, 0x7f]));
    expect(await next()).toMatchObject({
      id: null,
      error: { code: 'BAD_MESSAGE', message: expect.stringMatching(/claims/) },
    });
    ws.send(JSON.stringify({ kind: 'request', id: 7, method: 'listProjects' }));
    expect(await next()).toMatchObject({
      id: 7,
      ok: false,
      error: { code: 'BAD_MESSAGE', message: expect.stringMatching(/args/) },
    });
    ws.send(JSON.stringify({ kind: 'request', id: 8, method: 'getProject', args: [{ evil: true }] }));
    expect(await next()).toMatchObject({ id: 8, ok: false, error: { code: 'BAD_REQUEST' } });
    ws.send(encodeFrame({ kind: 'request', id: 9, method: 'listProjects', args: [] }));
    const ok = await next();
    expect(ok).toMatchObject({ id: 9, ok: true });
    expect((ok.result as { id: string }[]).map((p) => p.id)).toEqual([projectId]);
    ws.close();
  });

  it('serves project assets only with the token and only inside the project', async () => {
    const base = `http://127.0.0.1:${server.port}`;
    const good = await fetch(`${base}/assets/${projectId}/input.png?token=${server.token}`);
    expect(good.status).toBe(200);
    expect(good.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await good.arrayBuffer()).equals(Buffer.from(portraitBytes()))).toBe(true);
    expect((await fetch(`${base}/assets/${projectId}/input.png`)).status).toBe(401);
    const t = `?token=${server.token}`;
    // Escapes: encoded ../, encoded separators, absolute, other projects' ids that are paths.
    expect((await fetch(`${base}/assets/${projectId}/..%2Fproject.json${t}`)).status).toBe(403);
    // Raw request so the client does not normalise %2E%2E away: nothing outside the project comes back.
    await engine.updateSettings({ theme: 'light' });
    const dotted = await rawGet(`/assets/${projectId}/%2E%2E/%2E%2E/settings.json${t}`);
    expect(dotted.body).not.toContain('previewBackground');
    expect((await rawGet(`/assets/${projectId}/../../settings.json${t}`)).body).not.toContain(
      'previewBackground',
    );
    expect((await fetch(`${base}/assets/..%2F..%2Fetc/passwd${t}`)).status).toBe(403);
    expect((await fetch(`${base}/assets/${projectId}/nope.png${t}`)).status).toBe(404);
    // A symlink inside the project pointing outside the library is refused.
    fs.symlinkSync('/etc/hostname', path.join(library, 'projects', projectId, 'leak.txt'));
    expect((await fetch(`${base}/assets/${projectId}/leak.txt${t}`)).status).toBe(403);
  });

  it('serves the renderer, sets the token cookie for assets, falls back to index.html', async () => {
    const base = `http://127.0.0.1:${server.port}`;
    const page = await fetch(`${base}/?token=${server.token}`);
    expect(await page.text()).toContain('<title>HeadForge</title>');
    const cookie = page.headers.get('set-cookie')!;
    expect(cookie).toMatch(/HttpOnly/);
    const viaCookie = await fetch(`${base}/assets/${projectId}/input.png`, {
      headers: { cookie: cookie.split(';')[0] },
    });
    expect(viaCookie.status).toBe(200);
    expect((await fetch(`${base}/?token=wrong`)).headers.get('set-cookie')).toBeNull();
    expect(await (await fetch(`${base}/assets-not/app.js`)).text()).toContain('<title>HeadForge</title>');
    expect(await (await fetch(`${base}/assets/app.js`)).text()).not.toContain('console.log');
  });

  it('explains how to build the renderer when it is missing', async () => {
    const bare = await startStudioServer({
      api: engine,
      libraryRoot: library,
      rendererDir: path.join(rendererDir, 'nope'),
    });
    const res = await fetch(`http://127.0.0.1:${bare.port}/`);
    expect(res.status).toBe(503);
    expect(await res.text()).toMatch(/npm run build/);
    await bare.close();
  });
});
