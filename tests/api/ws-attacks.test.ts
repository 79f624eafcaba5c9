/**
 * Issue 20: nothing a stranger sends can stop `headforge serve`. A real `headforge serve` process
 * (bin/headforge.mjs, engine child with the test pipeline) takes scripted attacks without the token —
 * invalid frames, frame headers claiming hundreds of MB, upgrades to other paths followed by a TCP
 * reset, garbage HTTP, hundreds of connections opened and dropped — and the same with the token,
 * while a run is in progress. The process must stay up, the run must finish, the RPC must still answer
 * and the server's peak memory must stay under 500 MB.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { StudioEvent } from '../../src/shared/contracts/studio-api';
import { createWsClient, type WebSocketConstructor } from '../../src/shared/rpc/ws-client';
import type { RpcClient } from '../../src/shared/rpc/client';
import { redactUrl } from '../../src/engine/server/studio-server';
import { portraitBytes, repoRoot, tempLibrary } from './helpers';

const testPipeline = path.resolve(repoRoot, 'tests/host/fixtures/test-pipeline.ts');

let library: string;
let serve: ChildProcess;
let port = 0;
let token = '';
let exited: { code: number | null; signal: string | null } | null = null;
let stderr = '';

beforeAll(async () => {
  library = tempLibrary('hf-attack-');
  const rendererDir = path.join(library, 'renderer');
  fs.mkdirSync(rendererDir);
  fs.writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>HeadForge</title>');
  serve = spawn(
    process.execPath,
    [path.join(repoRoot, 'bin/headforge.mjs'), 'serve', '--library', library, '--renderer', rendererDir],
    {
      cwd: repoRoot,
      env: REAL_DRAFT ? { ...process.env } : { ...process.env, HEADFORGE_PIPELINE_MODULE: testPipeline },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  serve.on('exit', (code, signal) => (exited = { code, signal }));
  serve.stderr!.on('data', (c: Buffer) => (stderr = (stderr + c.toString()).slice(-8000)));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    serve.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /Open: (\S+)/.exec(out);
      if (m) resolve(m[1]);
    });
    serve.once('exit', () => reject(new Error(`serve exited early: ${stderr}`)));
  });
  const u = new URL(url);
  port = Number(u.port);
  token = u.searchParams.get('token')!;
}, 120_000);

afterAll(() => {
  serve?.kill('SIGKILL');
  fs.rmSync(library, { recursive: true, force: true });
});

/** Peak resident memory of the serve process (Linux /proc), in MB; null elsewhere. */
function peakRssMb(pid: number): number | null {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const m = /VmHWM:\s+(\d+) kB/.exec(status);
    return m ? Number(m[1]) / 1024 : null;
  } catch {
    return null;
  }
}

/** Peak RSS of serve's children (the engine process that runs the pipeline), in MB. */
function childPeaksMb(pid: number): number[] {
  try {
    const kids = fs.readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/);
    return kids.filter(Boolean).map((k) => peakRssMb(Number(k)) ?? NaN);
  } catch {
    return [];
  }
}

/** Open a raw TCP socket and send a WebSocket upgrade request for `pathAndQuery`; resolves after the 101. */
function rawUpgrade(pathAndQuery: string): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.on('error', () => undefined); // the server may reset us: that is fine
    socket.on('close', () => reject(new Error('closed before the upgrade')));
    let head = '';
    const onData = (c: Buffer): void => {
      head += c.toString('latin1');
      if (!head.includes('\r\n\r\n')) return;
      socket.off('data', onData);
      if (head.startsWith('HTTP/1.1 101')) resolve(socket);
      else reject(new Error(`no upgrade: ${head.split('\r\n')[0]}`));
    };
    socket.on('data', onData);
    socket.on('connect', () =>
      socket.write(
        `GET ${pathAndQuery} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\n` +
          'Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n' +
          'Sec-WebSocket-Version: 13\r\n\r\n',
      ),
    );
  });
}

/** A masked client frame header: opcode byte as given, payload length as claimed (64-bit form). */
function frameHeader(firstByte: number, claimedLength: number): Buffer {
  const b = Buffer.alloc(2 + 8 + 4);
  b[0] = firstByte;
  b[1] = 0x80 | 127;
  b.writeBigUInt64BE(BigInt(claimedLength), 2);
  b.writeUInt32BE(0x01020304, 10);
  return b;
}

const INVALID_FRAME = Buffer.from([0xf3, 0x80, 1, 2, 3, 4]); // RSV bits + reserved opcode 3
/**
 * HF_ATTACK_REAL_DRAFT=1: the real pipeline runs a draft while under attack (a measurement, not in the
 * normal run: 158 s on the 2-core shared box with HF_ATTACK_CHURN=10000, serve peak 132 MB, engine
 * child 487 MB; the attacks took 29 s and ended with the run still going).
 */
const REAL_DRAFT = process.env.HF_ATTACK_REAL_DRAFT === '1';
/** Connections opened and dropped; HF_ATTACK_CHURN=10000 for the full count. */
const CHURN = Number(process.env.HF_ATTACK_CHURN ?? 400);
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Each attack: do the damage, then drop the connection (reset where the issue says reset). */
const attacks: Record<string, () => Promise<void>> = {
  'no token, then an invalid frame': async () => {
    const s = await rawUpgrade('/rpc');
    s.write(INVALID_FRAME);
    await sleep(50);
    s.destroy();
  },
  'no token, then a frame header claiming 300 MB': async () => {
    const s = await rawUpgrade('/rpc?token=wrong');
    s.write(frameHeader(0x82, 300_000_000));
    await sleep(50);
    s.resetAndDestroy();
  },
  'no token, then the start of a 257 MB message': async () => {
    const s = await rawUpgrade('/rpc');
    s.write(frameHeader(0x82, 257 * 1024 * 1024));
    s.write(Buffer.alloc(4 * 1024 * 1024, 7));
    await sleep(50);
    s.resetAndDestroy();
  },
  'upgrade to another path, then a TCP reset': async () => {
    const s = net.connect(port, '127.0.0.1');
    s.on('error', () => undefined);
    await new Promise((r) => s.once('connect', r));
    s.write(
      `GET /elsewhere HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
        'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n',
    );
    s.resetAndDestroy();
    await sleep(20);
  },
  'upgrade to another path, read nothing, reset later': async () => {
    const s = net.connect(port, '127.0.0.1');
    s.on('error', () => undefined);
    await new Promise((r) => s.once('connect', r));
    s.write(`GET /x HTTP/1.1\r\nHost: x\r\nUpgrade: foo\r\nConnection: Upgrade\r\n\r\n`);
    await sleep(30);
    s.resetAndDestroy();
  },
  'upgrade without a key, then a reset': async () => {
    const s = net.connect(port, '127.0.0.1');
    s.on('error', () => undefined);
    await new Promise((r) => s.once('connect', r));
    s.write(`GET /rpc HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n`);
    s.resetAndDestroy();
    await sleep(20);
  },
  'garbage HTTP, then a reset': async () => {
    const s = net.connect(port, '127.0.0.1');
    s.on('error', () => undefined);
    await new Promise((r) => s.once('connect', r));
    s.write('\x00\x01\x02 not http at all\r\n\r\n');
    await sleep(20);
    s.resetAndDestroy();
  },
  'bad percent-encoding in a page path': async () => {
    const res = await fetch(`http://127.0.0.1:${port}/%E0%A4%A`);
    expect(res.status).toBe(400);
    await res.arrayBuffer();
  },
  'with the token: an invalid frame': async () => {
    const s = await rawUpgrade(`/rpc?token=${token}`);
    s.write(INVALID_FRAME);
    await sleep(50);
    s.destroy();
  },
  'with the token: a frame header claiming 300 MB, then a reset': async () => {
    const s = await rawUpgrade(`/rpc?token=${token}`);
    s.write(frameHeader(0x82, 300_000_000));
    await sleep(50);
    s.resetAndDestroy();
  },
  'with the token: a 1 MB frame referencing its blob 1,000 times': async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/rpc?token=${token}`);
    ws.on('error', () => undefined);
    await new Promise((r) => ws.once('open', r));
    // Job events stream to every authorised socket: wait for the response itself.
    const reply = new Promise<string>((r) =>
      ws.on('message', (d: Buffer) => {
        const text = d.toString('latin1');
        if (text.includes('"kind":"response"')) r(text);
      }),
    );
    ws.send(amplifyingFrame(1 << 20, 1000));
    expect(await reply).toContain('BAD_MESSAGE');
    ws.close();
  },
};

/** A request frame whose JSON references one `blobBytes` blob `refs` times (codec amplification). */
function amplifyingFrame(blobBytes: number, refs: number): Buffer {
  const args = Array.from({ length: refs }, () => ({ $ta: 'Uint8Array', o: 0, n: blobBytes }));
  const json = Buffer.from(JSON.stringify({ kind: 'request', id: 1, method: 'listProjects', args }));
  const blobStart = (8 + json.length + 7) & ~7;
  const frame = Buffer.alloc(blobStart + blobBytes);
  frame.write('HFR1', 0, 'latin1');
  frame.writeUInt32LE(json.length, 4);
  json.copy(frame, 8);
  return frame;
}

async function connectClient(): Promise<RpcClient> {
  return createWsClient(`ws://127.0.0.1:${port}/rpc`, token, WebSocket as unknown as WebSocketConstructor);
}

describe('headforge serve under attack (real process, real sockets)', () => {
  it(
    'survives every attack while a run is in progress; the run finishes and memory stays low',
    async () => {
      const client = await connectClient();
      const project = await client.createProject({
        name: 'victim',
        fileName: 'p.png',
        bytes: portraitBytes(),
      });
      let finishedYet = false;
      const finished = new Promise<StudioEvent>((resolve) =>
        client.onEvent((e) => {
          if (e.type === 'job-finished') {
            finishedYet = true;
            resolve(e);
          }
        }),
      );
      // 600 steps of 10 ms (or a real draft run): the run is still going while the attacks land.
      const t0 = performance.now();
      const job = await client.startRun({
        projectId: project.id,
        settings: {
          elevationDeg: 'auto',
          quality: 'draft',
          backend: 'default',
          seed: 3,
          ...(REAL_DRAFT ? {} : { steps: 600 }),
        },
      });
      for (const [name, attack] of Object.entries(attacks)) {
        for (let i = 0; i < 3; i++) {
          await attack().catch((err: Error) => {
            throw new Error(`${name}: ${err.message} (serve exited: ${JSON.stringify(exited)}) ${stderr}`);
          });
        }
        expect(exited, `after "${name}": ${stderr}`).toBeNull();
      }
      // Many connections opened and dropped, half of them reset mid-handshake.
      const churn = [];
      for (let i = 0; i < CHURN; i++) {
        churn.push(
          new Promise<void>((resolve) => {
            const s = net.connect(port, '127.0.0.1');
            s.on('error', () => resolve());
            s.on('close', () => resolve());
            s.on('connect', () => {
              if (i % 2) s.write('GET /rpc HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n');
              s.resetAndDestroy();
            });
          }),
        );
        if (churn.length % 50 === 0) await Promise.all(churn.splice(0));
      }
      await Promise.all(churn);
      const attacksS = (performance.now() - t0) / 1000;
      const runningDuringAttacks = !finishedYet;
      const done = await finished;
      expect(done.type === 'job-finished' && done.job.id).toBe(job.id);
      expect(done.type === 'job-finished' && done.job.state).toBe('done');
      expect(exited, stderr).toBeNull();
      // Still serving: a fresh client gets answers.
      const again = await connectClient();
      expect((await again.listProjects()).map((p) => p.id)).toContain(project.id);
      again.close();
      client.close();
      const peak = peakRssMb(serve.pid!);
      if (process.env.HF_ATTACK_CHURN || REAL_DRAFT)
        console.log(
          `serve peak RSS ${peak?.toFixed(0)} MB (engine child ${childPeaksMb(serve.pid!)
            .map((m) => m.toFixed(0))
            .join(', ')} MB) after ${CHURN} drops; run still going when the attacks ended: ` +
            `${runningDuringAttacks}; attacks ${attacksS.toFixed(0)} s, run ${((performance.now() - t0) / 1000).toFixed(0)} s`,
        );
      if (peak !== null) expect(peak).toBeLessThan(500);
      // A real draft (minutes here) must still be running when the last attack lands.
      if (REAL_DRAFT) expect(runningDuringAttacks).toBe(true);
    },
    REAL_DRAFT ? 1_800_000 : 180_000,
  );
});

describe('the token never reaches a log', () => {
  it('redactUrl removes the token parameter wherever it is', () => {
    expect(redactUrl('/assets/p/x.png?token=s3cret')).toBe('/assets/p/x.png?token=<redacted>');
    expect(redactUrl('/?a=1&token=s3cret&b=2')).toBe('/?a=1&token=<redacted>&b=2');
    expect(redactUrl('/?TOKEN=s3cret#frag')).toBe('/?TOKEN=<redacted>#frag');
    expect(redactUrl(undefined)).toBe('/');
  });
});
