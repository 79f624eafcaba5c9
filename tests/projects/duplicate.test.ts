/**
 * Duplicate project: a new project "<name> copy" with the portrait and the finished runs (settings,
 * preprocessing, views, metrics), not the run in progress, not exports, not links; the original is
 * untouched; a full disk leaves nothing behind.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ProjectLibrary, copyName } from '../../src/engine/projects/library';
import { nodeLibraryFs, type LibraryFs } from '../../src/engine/run-folder/atomic-write';
import { errorCode, portraitBytes, tempLibrary } from '../api/helpers';

const roots: string[] = [];
function newLibrary(fsOps?: LibraryFs): ProjectLibrary {
  const root = tempLibrary();
  roots.push(root);
  return new ProjectLibrary({ root, fs: fsOps });
}
afterEach(() => {
  for (const r of roots.splice(0)) fs.rmSync(r, { recursive: true, force: true });
});

const settings = { elevationDeg: 12, seed: 5, quality: 'draft' as const, backend: 'default' as const };

/** A project with one done run (preprocess + views + an export + a link), one running and one failed. */
async function projectWithRuns(lib: ProjectLibrary): Promise<{ id: string; done: string; running: string; failed: string }> {
  const p = await lib.create({ name: 'Mira', fileName: 'mira.png', bytes: portraitBytes() });
  const done = await lib.createRun(p.id, settings);
  fs.mkdirSync(path.join(done.runDir, 'preprocess'));
  fs.writeFileSync(path.join(done.runDir, 'preprocess', 'face.json'), JSON.stringify({ face: { yawDeg: 3, pitchDeg: -2 }, estimatedElevationDeg: 7.5, warnings: [] }));
  fs.writeFileSync(path.join(done.runDir, 'preprocess', 'crop512.png'), 'crop');
  fs.writeFileSync(path.join(done.runDir, 'views', 'view-00.png'), 'view zero');
  fs.writeFileSync(path.join(done.runDir, 'head.ply'), 'head');
  fs.writeFileSync(path.join(done.runDir, 'exports', 'head-unity-ply.ply'), 'export');
  fs.symlinkSync('/etc/passwd', path.join(done.runDir, 'views', 'escape.png'));
  await lib.updateRun(p.id, done.runId, {
    state: 'done',
    outputs: { views: ['views/view-00.png'], headPly: 'head.ply', renders: [], metrics: { meanPsnr: 24.5, gaussians: 100 }, timings: {}, warnings: [] },
  });
  const running = await lib.createRun(p.id, { ...settings, seed: 6 });
  await lib.updateRun(p.id, running.runId, { state: 'running' });
  const failed = await lib.createRun(p.id, { ...settings, seed: 7 });
  await lib.updateRun(p.id, failed.runId, { state: 'failed', error: 'out of memory' });
  return { id: p.id, done: done.runId, running: running.runId, failed: failed.runId };
}

describe('duplicate project', () => {
  it('copies the portrait and finished runs into "<name> copy"; the original is untouched', async () => {
    const lib = newLibrary();
    const src = await projectWithRuns(lib);
    const before = await lib.get(src.id);

    const copy = await lib.duplicate(src.id);
    expect(copy.name).toBe('Mira copy');
    expect(copy.id).toMatch(/^mira-copy-[0-9a-f]{6}$/);
    expect(copy.id).not.toBe(src.id);

    const detail = await lib.get(copy.id);
    // The finished runs with their settings, state, error and metrics; the running one stays behind.
    expect(detail.runs.map((r) => [r.id, r.state, r.settings.seed]).sort()).toEqual(
      [[src.done, 'done', 5], [src.failed, 'failed', 7]].sort(),
    );
    expect(detail.runs.find((r) => r.id === src.failed)?.error).toBe('out of memory');
    expect(detail.runs.find((r) => r.id === src.done)?.metrics?.meanPsnr).toBe(24.5);
    // Preprocessing comes along, so the copy's input panel shows the same pose and elevation.
    expect(detail.preprocessed).toMatchObject({ yawDeg: 3, pitchDeg: -2, elevationDeg: 7.5 });
    // URLs point into the copy, and the copy's thumbnail is its own.
    expect(detail.runs.find((r) => r.id === src.done)?.viewUrls).toEqual([`/assets/${copy.id}/runs/${src.done}/views/view-00.png`]);

    const dir = path.join(lib.root, 'projects', copy.id);
    expect(fs.readFileSync(path.join(dir, 'input.png')).equals(Buffer.from(portraitBytes()))).toBe(true);
    expect(fs.readFileSync(path.join(dir, 'runs', src.done, 'views', 'view-00.png'), 'utf8')).toBe('view zero');
    expect(fs.readdirSync(path.join(dir, 'runs', src.done, 'exports'))).toEqual([]); // exports are re-made, not copied
    expect(fs.existsSync(path.join(dir, 'runs', src.done, 'views', 'escape.png'))).toBe(false); // links are never copied
    const json = JSON.parse(fs.readFileSync(path.join(dir, 'project.json'), 'utf8')) as { id: string; name: string; input: { originalName: string } };
    expect(json).toMatchObject({ id: copy.id, name: 'Mira copy', input: { originalName: 'mira.png' } });

    const after = await lib.get(src.id);
    expect(after.runs).toEqual(before.runs);
    expect(after.name).toBe('Mira');
  });

  it('numbers a second copy, and refuses a damaged or unknown project', async () => {
    const lib = newLibrary();
    const p = await lib.create({ name: 'Solo', fileName: 's.png', bytes: portraitBytes() });
    expect((await lib.duplicate(p.id)).name).toBe('Solo copy');
    expect((await lib.duplicate(p.id)).name).toBe('Solo copy 2');
    expect(copyName('A', new Set(['A copy', 'A copy 2']))).toBe('A copy 3');

    fs.writeFileSync(path.join(lib.root, 'projects', p.id, 'project.json'), '{ broken');
    expect(await errorCode(lib.duplicate(p.id))).toBe('DAMAGED');
    expect(await errorCode(lib.duplicate('no-such-project'))).toBe('NOT_FOUND');
    expect(await errorCode(lib.duplicate('../escape'))).toBe('PATH_ESCAPE');
  });

  it('full disk: DISK_FULL and no half-made copy left in the library', async () => {
    let writes = 0;
    const failsOnThirdWrite: LibraryFs = {
      ...nodeLibraryFs,
      async writeNew(file, data) {
        if (++writes >= 3) throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
        return nodeLibraryFs.writeNew(file, data);
      },
    };
    const setup = newLibrary();
    const src = await projectWithRuns(setup);
    const lib = new ProjectLibrary({ root: setup.root, fs: failsOnThirdWrite });
    expect(await errorCode(lib.duplicate(src.id))).toBe('DISK_FULL');
    expect(fs.readdirSync(path.join(setup.root, 'projects'))).toEqual([src.id]);
  });
});
