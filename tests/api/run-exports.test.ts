/**
 * listRunExports, end to end in one process: EngineHost's generated forwarder -> RPC -> dispatch()
 * (the contract table's schema) -> the Engine -> StudioApplications. The method is one row in the
 * contract table plus its implementation; this shows both ends reach it with no other code.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryChannelPair } from '../../src/shared/rpc/channel';
import { serveRpc } from '../../src/shared/rpc/server';
import { dispatchHandler } from '../../src/engine/host/dispatch';
import { Engine } from '../../src/engine/host/engine';
import { EngineHost } from '../../src/engine/host/engine-host';
import { encodeSplat } from '../../src/shared/splat';
import { runGenerate } from '../host/fixtures/test-pipeline';
import { makeHeadCloud } from '../animation/head-cloud';
import { errorCode, portraitBytes, tempLibrary } from './helpers';

let engine: Engine;
let host: EngineHost;
let library: string;
let projectId: string;
let runId: string;

beforeAll(async () => {
  library = tempLibrary('hf-exports-');
  engine = await Engine.create({ libraryRoot: library, loadPipeline: async () => runGenerate });
  host = new EngineHost({
    libraryRoot: library,
    spawn: () => {
      const [hostEnd, engineEnd] = createMemoryChannelPair();
      serveRpc(engineEnd, dispatchHandler(engine));
      return { pid: process.pid, channel: hostEnd, kill: () => hostEnd.close('killed'), onExit: () => undefined };
    },
  });
  projectId = (await host.createProject({ name: 'Exports', fileName: 'p.png', bytes: portraitBytes() })).id;
  const created = await engine.library.createRun(projectId, { elevationDeg: 0, seed: 1, quality: 'draft', backend: 'default' });
  runId = created.runId;
  fs.writeFileSync(path.join(created.runDir, 'head.ply'), encodeSplat(makeHeadCloud(500).cloud, 'ply'));
  await engine.library.updateRun(projectId, runId, {
    state: 'done',
    outputs: { views: [], headPly: 'head.ply', renders: [], metrics: { gaussians: 500 }, timings: {}, warnings: [] },
  });
}, 60_000);

afterAll(() => {
  host?.stop();
  engine?.shutdown();
  fs.rmSync(library, { recursive: true, force: true });
});

describe('listRunExports', () => {
  it('is empty before the first export, then lists each export with its size and download URL', async () => {
    expect(await host.listRunExports({ projectId, runId })).toEqual([]);
    const splat = await host.exportRun({ projectId, runId, format: 'splat', preset: 'none' });
    const ply = await host.exportRun({ projectId, runId, format: 'ply', preset: 'blender' });
    const listed = await host.listRunExports({ projectId, runId });
    expect(listed.map((f) => f.fileName).sort()).toEqual([splat.fileName, ply.fileName].sort());
    for (const made of [splat, ply]) {
      const entry = listed.find((f) => f.fileName === made.fileName);
      expect(entry).toMatchObject({ bytes: made.bytes, url: made.url });
      expect(Number.isNaN(Date.parse(entry!.modifiedAt))).toBe(false);
    }
  }, 60_000);

  it('refuses an unknown run and a path-like id with the contract codes', async () => {
    expect(await errorCode(host.listRunExports({ projectId, runId: 'no-such-run' }))).toBe('NOT_FOUND');
    expect(await errorCode(host.listRunExports({ projectId, runId: '../..' }))).toBe('BAD_REQUEST');
  });
});
