/**
 * Job lifecycle as the UI sees it, through the real dispatch (in-memory RPC pair) to a real Engine:
 *   - a run queued behind another announces 'running' the moment it leaves the queue, and run.json
 *     already says 'running' when that event arrives (the run history and gallery badge can trust it);
 *   - the gallery tells a queued job from a running one;
 *   - seed previews are a job: per-seed results as events, progress, and Cancel stops it between seeds;
 *   - duplicateProject is validated, dispatched and announced.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StudioApi, StudioEvent } from '../../src/shared/contracts/studio-api';
import { createMemoryChannelPair } from '../../src/shared/rpc/channel';
import { createRpcClient } from '../../src/shared/rpc/client';
import { serveRpc } from '../../src/shared/rpc/server';
import { Engine } from '../../src/engine/host/engine';
import { dispatchHandler } from '../../src/engine/host/dispatch';
import { runGenerate } from '../host/fixtures/test-pipeline';
import { errorCode, portraitBytes, tempLibrary, waitForEvent } from './helpers';

const settings = { elevationDeg: 'auto' as const, quality: 'draft' as const, backend: 'default' as const };

let library: string;
let engine: Engine;
let api: StudioApi;
let close: () => void;
let projectId: string;

beforeAll(async () => {
  library = tempLibrary();
  engine = await Engine.create({ libraryRoot: library, loadPipeline: async () => runGenerate });
  const [clientEnd, serverEnd] = createMemoryChannelPair();
  const conn = serveRpc(serverEnd, dispatchHandler(engine));
  api = createRpcClient(clientEnd);
  close = () => conn.close();
  projectId = (await api.createProject({ name: 'Queue', fileName: 'q.png', bytes: portraitBytes() })).id;
});

afterAll(() => {
  engine.shutdown();
  close();
  fs.rmSync(library, { recursive: true, force: true });
});

function runJsonState(runId: string): string {
  const file = path.join(library, 'projects', projectId, 'runs', runId, 'run.json');
  return (JSON.parse(fs.readFileSync(file, 'utf8')) as { state: string }).state;
}

describe('job lifecycle', () => {
  it('a queued run says "running" as soon as it starts, with run.json already saying so', async () => {
    const seen: { state: string; stage: string; onDisk: string }[] = [];
    let secondRunId = '';
    const off = api.onEvent((e) => {
      // Read run.json in the listener itself: what a UI reloading on this event would read.
      if (e.type === 'job-progress' && e.job.runId === secondRunId)
        seen.push({ state: e.job.state, stage: e.job.stage, onDisk: runJsonState(secondRunId) });
    });
    const first = await api.startRun({ projectId, settings: { ...settings, seed: 1, steps: 40 } });
    const second = await api.startRun({ projectId, settings: { ...settings, seed: 2, steps: 3 } });
    secondRunId = second.runId!;
    expect(second.state).toBe('queued');

    // While the first one works, the gallery shows the project's job with its state.
    const listed = (await api.listProjects()).find((p) => p.id === projectId);
    expect(listed?.activeJob).toMatchObject({ jobId: first.id, state: 'running', kind: 'generate' });
    expect((await api.getProject(projectId)).runs.find((r) => r.id === secondRunId)?.state).toBe('queued');

    await waitForEvent(api, (e) => e.type === 'job-finished' && e.job.id === second.id);
    off();
    const firstRunning = seen.findIndex((s) => s.state === 'running');
    expect(firstRunning).toBeGreaterThanOrEqual(0);
    // The announcement comes before any pipeline progress, and the record on disk agrees with it.
    expect(seen[firstRunning]).toEqual({ state: 'running', stage: 'starting', onDisk: 'running' });
    expect(seen.slice(0, firstRunning).every((s) => s.state === 'queued')).toBe(true);
    expect(runJsonState(secondRunId)).toBe('done');
  });

  it('a cancelled queued run never starts and is saved as cancelled', async () => {
    const first = await api.startRun({ projectId, settings: { ...settings, seed: 3, steps: 30 } });
    const second = await api.startRun({ projectId, settings: { ...settings, seed: 4, steps: 3 } });
    const running: string[] = [];
    const off = api.onEvent((e) => {
      if (e.type === 'job-progress' && e.job.id === second.id && e.job.state === 'running') running.push(e.job.stage);
    });
    expect((await api.cancelJob({ jobId: second.id })).state).toBe('cancelled');
    await waitForEvent(api, (e) => e.type === 'job-finished' && e.job.id === first.id);
    off();
    expect(running).toEqual([]);
    expect((await api.getProject(projectId)).runs.find((r) => r.id === second.runId)?.state).toBe('cancelled');
  });

  it('seed previews run as a job: one event per seed, progress, files on disk', async () => {
    const events: StudioEvent[] = [];
    const off = api.onEvent((e) => events.push(e));
    const job = await api.startSeedPreviews({ projectId, seeds: [11, 12], elevationDeg: 5, backend: 'default' });
    expect(job).toMatchObject({ kind: 'seed-previews', projectId, runId: null });
    const finished = await waitForEvent(api, (e) => e.type === 'job-finished' && e.job.id === job.id, 120_000);
    off();
    expect(finished.type === 'job-finished' && finished.job.state).toBe('done');
    const seeds = events.flatMap((e) => (e.type === 'seed-preview' && e.jobId === job.id ? [e] : []));
    expect(seeds.map((s) => [s.preview.seed, s.done, s.total])).toEqual([[11, 1, 2], [12, 2, 2]]);
    expect(seeds[0].preview.viewUrls).toHaveLength(16);
    const rel = decodeURIComponent(seeds[1].preview.viewUrls[15].replace(`/assets/${projectId}/`, ''));
    expect(fs.statSync(path.join(library, 'projects', projectId, rel)).size).toBeGreaterThan(100);
    const stages = events.flatMap((e) => (e.type === 'job-progress' && e.job.id === job.id ? [e.job.stage] : []));
    expect(stages).toContain('seed 2 of 2');
    // A seed job is not a run: no run record appears.
    expect((await api.getProject(projectId)).runs.every((r) => r.settings.seed !== 11)).toBe(true);
  });

  it('Cancel stops seed previews between seeds; the job ends cancelled', async () => {
    const seeds = [21, 22, 23, 24, 25, 26, 27, 28];
    const firstSeed = waitForEvent(api, (e) => e.type === 'seed-preview', 120_000);
    const job = await api.startSeedPreviews({ projectId, seeds, elevationDeg: 5, backend: 'default' });
    await firstSeed;
    const finished = waitForEvent(api, (e) => e.type === 'job-finished' && e.job.id === job.id, 60_000);
    await api.cancelJob({ jobId: job.id });
    const end = await finished;
    expect(end.type === 'job-finished' && end.job.state).toBe('cancelled');
    const made = fs.readdirSync(path.join(library, 'projects', projectId, 'seed-previews')).filter((n) => /^s2\d-/.test(n));
    expect(made.length).toBeGreaterThanOrEqual(1);
    expect(made.length).toBeLessThan(seeds.length);
  });

  it('duplicateProject goes through the schema and announces the new project', async () => {
    expect(await errorCode(api.duplicateProject({ id: '../x' }))).toBe('BAD_REQUEST');
    const changed = waitForEvent(api, (e) => e.type === 'projects-changed');
    const copy = await api.duplicateProject({ id: projectId });
    await changed;
    expect(copy.name).toBe('Queue copy');
    const runs = (await api.getProject(copy.id)).runs;
    expect(runs.length).toBeGreaterThan(0);
    expect(runs.every((r) => r.state === 'done' || r.state === 'cancelled')).toBe(true);
  });
});
