/** Which head the workspace shows: a run without a head (running, failed) leaves the last head on screen. */
import { describe, expect, it } from 'vitest';
import type { JobInfo, RunSummary } from '../../src/shared/contracts/studio-api';
import { comparableRuns, shownRun } from '../../src/renderer/workspace/shown-run';

const run = (id: string, createdAt: string, extra: Partial<RunSummary> = {}): RunSummary =>
  ({
    id,
    projectId: 'p',
    createdAt,
    state: 'done',
    settings: { elevationDeg: 'auto', seed: 1, quality: 'draft', backend: 'default' },
    ...extra,
  }) as RunSummary;

const done = run('run-a', '2026-01-01T00:00:00Z', { splatUrl: 'a.ply', viewUrls: ['v'] });
const queued = run('run-b', '2026-01-02T00:00:00Z', { state: 'queued' });

describe('shownRun', () => {
  it('shows the newest head while the newest run has none, and says which run stands in', () => {
    const s = shownRun([done, queued], null, null);
    expect(s.picked?.id).toBe('run-b');
    expect(s.shown?.id).toBe('run-a');
    expect(s.standIn?.id).toBe('run-b');
  });

  it("takes the live job's state over run.json's", () => {
    const job = { id: 'j', kind: 'generate', projectId: 'p', runId: 'run-b', state: 'running', stage: 'multiview', fraction: 0.3, etaSeconds: 60 } as JobInfo;
    expect(shownRun([done, queued], job, null).standIn?.state).toBe('running');
  });

  it('a picked run with a head is shown itself; only runs with views or renders compare', () => {
    const s = shownRun([done, queued], null, 'run-a');
    expect(s.shown?.id).toBe('run-a');
    expect(s.standIn).toBeNull();
    expect(comparableRuns([done, queued]).map((r) => r.id)).toEqual(['run-a']);
  });
});
