/** The gallery badge: a queued job says Queued, a started one says Running with its stage, outcomes after. */
import { describe, expect, it } from 'vitest';
import type { ProjectSummary } from '../../src/shared/contracts/studio-api';
import { projectBadge } from '../../src/renderer/gallery/project-badge';

const base: ProjectSummary = { id: 'p', name: 'P', createdAt: '', updatedAt: '', thumbnailUrl: null, runCount: 1, status: 'ok', lastRunState: 'done' };

describe('project badge', () => {
  it('tells a job waiting in the queue from one at work, whatever the last run did', () => {
    const job = { jobId: 'j', stage: 'queued', fraction: 0 };
    expect(projectBadge({ ...base, activeJob: { ...job, state: 'queued', kind: 'generate' } })).toEqual({ tone: 'queued', label: 'Queued' });
    expect(projectBadge({ ...base, activeJob: { ...job, stage: 'starting', state: 'running', kind: 'generate' } })).toEqual({ tone: 'running', label: 'Running: starting' });
    expect(projectBadge({ ...base, activeJob: { ...job, stage: 'seed 2 of 4', state: 'running', kind: 'seed-previews' } })?.label).toBe('Seed previews: seed 2 of 4');
    // An engine that predates `state` still shows its job as running.
    expect(projectBadge({ ...base, activeJob: { ...job, stage: 'optimise' } })?.tone).toBe('running');
  });

  it('shows damage first and the last outcome when nothing runs', () => {
    expect(projectBadge({ ...base, status: 'damaged', activeJob: { jobId: 'j', stage: 'x', fraction: 0 } })?.tone).toBe('damaged');
    expect(projectBadge({ ...base, lastRunState: 'failed' })?.label).toBe('Last run failed');
    expect(projectBadge({ ...base, lastRunState: 'done' })?.label).toBe('Head ready');
    expect(projectBadge({ ...base, lastRunState: null })).toBeNull();
  });
});
