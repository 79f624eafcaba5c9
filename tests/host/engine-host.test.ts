/**
 * The engine in a real child process (forked through tsx), driven by EngineHost: calls over IPC,
 * a crash mid-job (SIGKILL) and an out-of-memory death, each failing the job with the reason,
 * restarting the engine and keeping the projects.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StudioEvent } from '../../src/shared/contracts/studio-api';
import { EngineHost } from '../../src/engine/host/engine-host';
import { forkEngine } from '../../src/engine/host/engine-process';
import { portraitBytes, tempLibrary, waitForEvent } from '../api/helpers';

const testPipeline = path.resolve(__dirname, 'fixtures/test-pipeline.ts');
const settings = { elevationDeg: 'auto' as const, quality: 'draft' as const, backend: 'default' as const };

let library: string;
let host: EngineHost;
let projectId: string;

beforeAll(async () => {
  library = tempLibrary();
  host = new EngineHost({
    libraryRoot: library,
    spawn: () =>
      forkEngine({
        libraryRoot: library,
        maxOldSpaceMb: 256,
        echoStderr: false,
        env: { HEADFORGE_PIPELINE_MODULE: testPipeline },
      }),
  });
  projectId = (await host.createProject({ name: 'crash test', fileName: 'p.png', bytes: portraitBytes() }))
    .id;
});

afterAll(() => {
  host.stop();
  fs.rmSync(library, { recursive: true, force: true });
});

async function runUntilRunning(seed: number, steps: number): Promise<{ jobId: string; runId: string }> {
  const running = waitForEvent(
    host,
    (e) => e.type === 'job-progress' && e.job.state === 'running' && e.job.fraction > 0,
    30_000,
  );
  const job = await host.startRun({ projectId, settings: { ...settings, seed, steps } });
  await running;
  return { jobId: job.id, runId: job.runId! };
}

describe('engine host (child process)', () => {
  it('serves calls from a child process and writes a session log named with its pid', async () => {
    const pid = host.enginePid!;
    expect(pid).not.toBe(process.pid);
    expect((await host.listProjects()).map((p) => p.id)).toEqual([projectId]);
    const job = await host.startRun({ projectId, settings: { ...settings, seed: 1, steps: 3 } });
    const done = await waitForEvent(host, (e) => e.type === 'job-finished' && e.job.id === job.id, 30_000);
    expect(done.type === 'job-finished' && done.job.state).toBe('done');
    const logs = fs.readdirSync(path.join(library, 'logs'));
    const log = logs.find((f) => f.endsWith(`-pid${pid}.log`));
    expect(log).toBeDefined();
    expect(fs.readFileSync(path.join(library, 'logs', log!), 'utf8')).toMatch(
      /test pipeline finished 3 steps/,
    );
  });

  it('engine killed mid-job: job failed with the reason, engine restarted, project kept', async () => {
    const oldPid = host.enginePid;
    const events: StudioEvent[] = [];
    const off = host.onEvent((e) => events.push(e));
    const { jobId, runId } = await runUntilRunning(2, 100_000);
    const finished = waitForEvent(host, (e) => e.type === 'job-finished' && e.job.id === jobId, 30_000);
    const restarted = waitForEvent(host, (e) => e.type === 'engine-restarted', 30_000);
    host.killEngine();
    const fin = await finished;
    expect(fin.type === 'job-finished' && fin.job).toMatchObject({
      state: 'failed',
      errorCode: 'ENGINE_CRASHED',
      error: expect.stringMatching(/engine crashed: .*SIGKILL/),
    });
    expect(await restarted).toMatchObject({ reason: expect.stringMatching(/SIGKILL/) });
    off();
    // job-finished (failed) comes before engine-restarted, and the run on disk already says failed.
    expect(events.findIndex((e) => e.type === 'job-finished')).toBeLessThan(
      events.findIndex((e) => e.type === 'engine-restarted'),
    );
    expect(host.enginePid).not.toBe(oldPid);
    const project = await host.getProject(projectId);
    expect(project.status).toBe('ok');
    expect(project.runs.find((r) => r.id === runId)).toMatchObject({
      state: 'failed',
      error: expect.stringMatching(/SIGKILL/),
    });
    // The new engine runs jobs.
    const job = await host.startRun({ projectId, settings: { ...settings, seed: 3, steps: 2 } });
    const done = await waitForEvent(host, (e) => e.type === 'job-finished' && e.job.id === job.id, 30_000);
    expect(done.type === 'job-finished' && done.job.state).toBe('done');
  });

  it('engine out of memory: job failed "ran out of memory", engine restarted', async () => {
    const finished = waitForEvent(
      host,
      (e) => e.type === 'job-finished' && e.job.state !== 'running',
      60_000,
    );
    const restarted = waitForEvent(host, (e) => e.type === 'engine-restarted', 60_000);
    await host.startRun({ projectId, settings: { ...settings, seed: 99, steps: 1000 } });
    const fin = await finished;
    expect(fin.type === 'job-finished' && fin.job).toMatchObject({
      state: 'failed',
      error: expect.stringMatching(/out of memory/),
    });
    await restarted;
    expect((await host.listProjects()).map((p) => p.id)).toEqual([projectId]);
  });
});
