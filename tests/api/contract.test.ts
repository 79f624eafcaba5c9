/**
 * One contract suite, run over every transport: (a) an in-memory channel pair, (b) the real WebSocket
 * server on 127.0.0.1. The API behind both is the real Engine on a temp library, with the test
 * pipeline standing in for generate.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { StudioApi, StudioEvent } from '../../src/shared/contracts/studio-api';
import { createMemoryChannelPair } from '../../src/shared/rpc/channel';
import { createRpcClient, type RpcClient } from '../../src/shared/rpc/client';
import { serveRpc } from '../../src/shared/rpc/server';
import { createWsClient, type WebSocketConstructor } from '../../src/shared/rpc/ws-client';
import { Engine } from '../../src/engine/host/engine';
import { dispatchHandler } from '../../src/engine/host/dispatch';
import { startStudioServer } from '../../src/engine/server/studio-server';
import { runGenerate, PREVIEW_POSITIONS } from '../host/fixtures/test-pipeline';
import { errorCode, portraitBytes, tempLibrary, waitForEvent } from './helpers';

interface Transport {
  client: RpcClient;
  engine: Engine;
  library: string;
  close(): Promise<void>;
}

async function makeEngine(): Promise<{ engine: Engine; library: string }> {
  const library = tempLibrary();
  const engine = await Engine.create({
    libraryRoot: library,
    loadPipeline: async () => runGenerate,
    // A slow info call, so request cancellation has something to cancel.
    engineInfo: async () => {
      await new Promise((r) => setTimeout(r, 300));
      return {
        version: 't',
        node: process.versions.node,
        electron: null,
        executionProviders: ['cpu'],
        gpu: null,
        nativeAddon: 'missing',
        modelPacks: [],
        pipeline: { available: true },
      };
    },
  });
  return { engine, library };
}

const transports: Record<string, () => Promise<Transport>> = {
  'in-memory pair': async () => {
    const { engine, library } = await makeEngine();
    const [clientEnd, serverEnd] = createMemoryChannelPair();
    const conn = serveRpc(serverEnd, dispatchHandler(engine));
    const client = createRpcClient(clientEnd);
    return { client, engine, library, close: async () => conn.close() };
  },
  'WebSocket on 127.0.0.1': async () => {
    const { engine, library } = await makeEngine();
    const server = await startStudioServer({ api: engine, libraryRoot: library, rendererDir: null });
    const client = createWsClient(server.wsUrl, server.token, WebSocket as unknown as WebSocketConstructor);
    return { client, engine, library, close: () => (client.close(), server.close()) };
  },
};

for (const [name, make] of Object.entries(transports)) {
  describe(`StudioApi contract over ${name}`, () => {
    let t: Transport;
    let api: StudioApi;
    beforeAll(async () => {
      t = await make();
      api = t.client;
    });
    afterAll(async () => {
      t.engine.shutdown();
      await t.close();
      fs.rmSync(t.library, { recursive: true, force: true });
    });

    it('creates a project from image bytes and lists it', async () => {
      expect(await api.listProjects()).toEqual([]);
      const created = await api.createProject({
        name: 'Portrait two',
        fileName: 'hq-0002.png',
        bytes: portraitBytes(),
      });
      expect(created).toMatchObject({ name: 'Portrait two', status: 'ok', runCount: 0 });
      expect(created.id).toMatch(/^portrait-two-[0-9a-f]{6}$/);
      const listed = await api.listProjects();
      expect(listed.map((p) => p.id)).toEqual([created.id]);
      const detail = await api.getProject(created.id);
      expect(detail.inputUrl).toBe(`/assets/${created.id}/input.png`);
      expect(
        fs
          .readFileSync(path.join(t.library, 'projects', created.id, 'input.png'))
          .equals(Buffer.from(portraitBytes())),
      ).toBe(true);
    });

    it('renames, keeps settings, and deletes', async () => {
      const p = await api.createProject({ name: 'temp', fileName: 'a.png', bytes: portraitBytes() });
      expect((await api.renameProject({ id: p.id, name: 'Renamed' })).name).toBe('Renamed');
      expect((await api.getProject(p.id)).name).toBe('Renamed');
      expect(await api.updateSettings({ theme: 'light' })).toMatchObject({
        theme: 'light',
        defaultQuality: 'standard',
      });
      expect((await api.getSettings()).theme).toBe('light');
      await api.deleteProject({ id: p.id });
      expect(await errorCode(api.getProject(p.id))).toBe('NOT_FOUND');
    });

    it('rejects with a code: unknown id, bad arguments, non-image, unknown method', async () => {
      expect(await errorCode(api.getProject('no-such-project'))).toBe('NOT_FOUND');
      expect(await errorCode(api.getProject('../../etc'))).toBe('BAD_REQUEST');
      expect(
        await errorCode(
          api.startRun({
            projectId: 'x',
            settings: { elevationDeg: 90, seed: 1, quality: 'draft', backend: 'default' },
          }),
        ),
      ).toBe('BAD_REQUEST');
      const notImage = new TextEncoder().encode('this is not a picture');
      expect(await errorCode(api.createProject({ name: 'bad', fileName: 'bad.png', bytes: notImage }))).toBe(
        'INVALID_IMAGE',
      );
      expect(await errorCode(t.client.call('nope' as never, []))).toBe('BAD_REQUEST');
      try {
        await api.createProject({ name: 'bad', fileName: 'bad.png', bytes: notImage });
      } catch (err) {
        expect((err as Error).message).toMatch(/bad\.png is not an image/);
      }
    });

    it('runs a job: progress with ETA, a typed-array preview, finished, run saved', async () => {
      const project = (await api.listProjects())[0];
      const events: StudioEvent[] = [];
      const off = api.onEvent((e) => events.push(e));
      const preview = waitForEvent(api, (e) => e.type === 'job-preview');
      const job = await api.startRun({
        projectId: project.id,
        settings: { elevationDeg: 'auto', seed: 1, quality: 'draft', backend: 'default', steps: 20 },
      });
      const finished = await waitForEvent(api, (e) => e.type === 'job-finished' && e.job.id === job.id);
      off();
      expect(finished.type === 'job-finished' && finished.job.state).toBe('done');
      const p = await preview;
      if (p.type !== 'job-preview') throw new Error('unreachable');
      expect(p.positions).toBeInstanceOf(Float32Array);
      expect(Array.from(p.positions.subarray(0, 7))).toEqual(
        Array.from(new Float32Array(PREVIEW_POSITIONS.slice(0, 7))),
      );
      expect(Number.isNaN(p.positions[7])).toBe(true); // binary, not JSON (JSON would have made it null)
      expect(Array.from(p.opacities)).toEqual([0.5, 0.5, 0.5]); // sigmoid(0)
      expect(p.rotations[0]).toBe(1);
      const progress = events.filter((e) => e.type === 'job-progress' && e.job.state === 'running');
      expect(progress.length).toBeGreaterThan(1);
      expect(
        progress.some(
          (e) => e.type === 'job-progress' && e.job.stage === 'stage-b' && e.job.etaSeconds !== null,
        ),
      ).toBe(true);
      const detail = await api.getProject(project.id);
      expect(detail.runs[0]).toMatchObject({ state: 'done', timings: { test: 0.2 } });
    });

    it('a failing pipeline marks the job and run failed with the reason', async () => {
      const project = (await api.listProjects())[0];
      const job = await api.startRun({
        projectId: project.id,
        settings: { elevationDeg: 10, seed: 13, quality: 'draft', backend: 'default', steps: 5 },
      });
      const finished = await waitForEvent(api, (e) => e.type === 'job-finished' && e.job.id === job.id);
      expect(finished.type === 'job-finished' && finished.job).toMatchObject({
        state: 'failed',
        error: 'test pipeline failure',
        errorCode: 'INTERNAL',
      });
      const run = (await api.getProject(project.id)).runs.find((r) => r.id === job.runId);
      expect(run).toMatchObject({ state: 'failed', error: 'test pipeline failure' });
    });

    it('cancels a running job', async () => {
      const project = (await api.listProjects())[0];
      const running = waitForEvent(
        api,
        (e) => e.type === 'job-progress' && e.job.state === 'running' && e.job.fraction > 0,
      );
      const job = await api.startRun({
        projectId: project.id,
        settings: { elevationDeg: 0, seed: 2, quality: 'draft', backend: 'default', steps: 10_000 },
      });
      await running;
      expect((await api.listJobs()).find((j) => j.id === job.id)?.state).toBe('running');
      const finished = waitForEvent(api, (e) => e.type === 'job-finished' && e.job.id === job.id);
      await api.cancelJob({ jobId: job.id });
      const done = await finished;
      expect(done.type === 'job-finished' && done.job.state).toBe('cancelled');
      const run = (await api.getProject(project.id)).runs.find((r) => r.id === job.runId);
      expect(run?.state).toBe('cancelled');
    });

    it('cancels an in-flight request through an AbortSignal', async () => {
      const controller = new AbortController();
      const call = t.client.call('getEngineInfo', [], controller.signal);
      setTimeout(() => controller.abort(), 20);
      expect(await errorCode(call)).toBe('CANCELLED');
      // The connection still serves calls afterwards.
      expect((await api.getEngineInfo()).executionProviders).toEqual(['cpu']);
    });
  });
}
