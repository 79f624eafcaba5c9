/**
 * The gallery card's picture: the newest finished run's front view unless the user pins a run as the
 * cover; a pinned cover stays through newer runs (a throwaway restyle no longer becomes the thumbnail),
 * unpinning goes back to the newest, and only a finished run of the project can be pinned.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ProjectLibrary } from '../../src/engine/projects/library';
import { errorCode, portraitBytes, tempLibrary } from '../api/helpers';

const roots: string[] = [];
afterEach(() => {
  for (const r of roots.splice(0)) fs.rmSync(r, { recursive: true, force: true });
});

const settings = { elevationDeg: 12, seed: 5, quality: 'draft' as const, backend: 'default' as const };

async function doneRun(lib: ProjectLibrary, projectId: string, seed: number): Promise<string> {
  const run = await lib.createRun(projectId, { ...settings, seed });
  fs.writeFileSync(path.join(run.runDir, 'views', 'view-00.png'), `view of seed ${seed}`);
  fs.writeFileSync(path.join(run.runDir, 'head.ply'), 'head');
  await lib.updateRun(projectId, run.runId, {
    state: 'done',
    outputs: { views: ['views/view-00.png'], headPly: 'head.ply', renders: [], metrics: {}, timings: {}, warnings: [] },
  });
  return run.runId;
}

describe('project cover', () => {
  it('shows the pinned run through newer runs, and the newest again once unpinned', async () => {
    const root = tempLibrary();
    roots.push(root);
    const lib = new ProjectLibrary({ root });
    const p = await lib.create({ name: 'Mira', fileName: 'mira.png', bytes: portraitBytes() });
    const keeper = await doneRun(lib, p.id, 1);
    const pinned = await lib.setCover(p.id, keeper);
    expect(pinned.coverRunId).toBe(keeper);
    // A newer throwaway run does not take over the card.
    const throwaway = await doneRun(lib, p.id, 2);
    const [card] = await lib.list();
    expect(card.thumbnailUrl).toContain(`runs/${keeper}/views/view-00.png`);
    expect(card.coverRunId).toBe(keeper);
    // Unpinned: the newest finished run again.
    await lib.setCover(p.id, null);
    const [after] = await lib.list();
    expect(after.thumbnailUrl).toContain(`runs/${throwaway}/views/view-00.png`);
    expect(after.coverRunId).toBeNull();
    expect(JSON.parse(fs.readFileSync(path.join(root, 'projects', p.id, 'project.json'), 'utf8'))).not.toHaveProperty('coverRunId');
  });

  it('refuses a run that is not finished or not the project’s, and changes nothing', async () => {
    const root = tempLibrary();
    roots.push(root);
    const lib = new ProjectLibrary({ root });
    const p = await lib.create({ name: 'Mira', fileName: 'mira.png', bytes: portraitBytes() });
    const failed = await lib.createRun(p.id, settings);
    await lib.updateRun(p.id, failed.runId, { state: 'failed', error: 'out of memory' });
    expect(await errorCode(lib.setCover(p.id, failed.runId))).toBe('BAD_REQUEST');
    expect(await errorCode(lib.setCover(p.id, 'run-20990101000000-none'))).toBe('NOT_FOUND');
    const [card] = await lib.list();
    expect(card.coverRunId).toBeNull();
  });
});
