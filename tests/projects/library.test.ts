/**
 * Project library: layout on disk, image validation, damaged projects, atomic writes under a full
 * disk, path escapes, settings.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ProjectLibrary } from '../../src/engine/projects/library';
import { nodeLibraryFs, writeFileAtomic, type LibraryFs } from '../../src/engine/run-folder/atomic-write';
import { SettingsStore, DEFAULT_SETTINGS } from '../../src/engine/settings/settings-store';
import { errorCode, portraitBytes, tempLibrary } from '../api/helpers';

const roots: string[] = [];
function newLibrary(fsOps?: LibraryFs): ProjectLibrary {
  const root = tempLibrary();
  roots.push(root);
  return new ProjectLibrary({ root, fs: fsOps });
}
afterEach(() => {
  for (const r of roots.splice(0)) {
    fs.chmodSync(r, 0o755);
    fs.rmSync(r, { recursive: true, force: true });
  }
});

/** Everything under a folder, relative, sorted (to assert "nothing was written"). */
function tree(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return (fs.readdirSync(dir, { recursive: true }) as string[]).sort();
}

const ENOSPC = (): NodeJS.ErrnoException =>
  Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });

/** Writes half of the data to the temp file, then fails like a full disk. */
const fullDiskFs: LibraryFs = {
  ...nodeLibraryFs,
  async writeNew(file, data) {
    fs.writeFileSync(file, data.subarray(0, data.length >> 1));
    throw ENOSPC();
  },
};

describe('project library', () => {
  it('creates project.json (schemaVersion 1), the input image and runs/', async () => {
    const lib = newLibrary();
    const p = await lib.create({ name: '  Anna K. (final)  ', fileName: 'anna.png', bytes: portraitBytes() });
    expect(p.id).toMatch(/^anna-k-final-[0-9a-f]{6}$/);
    const dir = path.join(lib.root, 'projects', p.id);
    expect(tree(dir)).toEqual(['input.png', 'project.json', 'runs']);
    const json = JSON.parse(fs.readFileSync(path.join(dir, 'project.json'), 'utf8'));
    expect(json).toMatchObject({
      schemaVersion: 1,
      id: p.id,
      name: 'Anna K. (final)',
      input: { file: 'input.png', format: 'png', originalName: 'anna.png' },
    });
    expect(json.input.width).toBeGreaterThan(100);
  });

  it('refuses a non-image and a truncated image with a clear error, writing nothing', async () => {
    const lib = newLibrary();
    await lib.init();
    const before = tree(lib.root);
    const text = new TextEncoder().encode('hello, I am a text file');
    await expect(lib.create({ name: 'x', fileName: 'notes.txt', bytes: text })).rejects.toMatchObject({
      code: 'INVALID_IMAGE',
      message: expect.stringMatching(/notes\.txt is not an image/),
    });
    const bytes = portraitBytes();
    await expect(
      lib.create({ name: 'x', fileName: 'cut.png', bytes: bytes.subarray(0, bytes.length >> 1) }),
    ).rejects.toMatchObject({ code: 'INVALID_IMAGE', message: expect.stringMatching(/cut\.png is damaged/) });
    expect(tree(lib.root)).toEqual(before);
  });

  it('lists a project with corrupt or missing project.json as damaged, and never rewrites it', async () => {
    const lib = newLibrary();
    const good = await lib.create({ name: 'good', fileName: 'a.png', bytes: portraitBytes() });
    const bad = await lib.create({ name: 'bad', fileName: 'b.png', bytes: portraitBytes() });
    const badJson = path.join(lib.root, 'projects', bad.id, 'project.json');
    fs.writeFileSync(badJson, '{"schemaVersion": 1, "id": "tru');
    const invalid = await lib.create({ name: 'invalid', fileName: 'c.png', bytes: portraitBytes() });
    const invalidJson = path.join(lib.root, 'projects', invalid.id, 'project.json');
    fs.writeFileSync(invalidJson, JSON.stringify({ schemaVersion: 99, id: invalid.id }));
    fs.mkdirSync(path.join(lib.root, 'projects', 'stray-folder'));

    const list = await lib.list();
    const byId = Object.fromEntries(list.map((p) => [p.id, p]));
    expect(list).toHaveLength(4);
    expect(byId[good.id].status).toBe('ok');
    expect(byId[bad.id]).toMatchObject({
      status: 'damaged',
      damage: expect.stringMatching(/not valid JSON/),
    });
    expect(byId[invalid.id]).toMatchObject({
      status: 'damaged',
      damage: expect.stringMatching(/schemaVersion/),
    });
    expect(byId['stray-folder']).toMatchObject({ status: 'damaged', damage: 'project.json is missing' });
    expect((await lib.get(bad.id)).status).toBe('damaged');

    await expect(lib.rename(bad.id, 'fixed?')).rejects.toMatchObject({ code: 'DAMAGED' });
    await expect(
      lib.createRun(bad.id, { elevationDeg: 0, seed: 0, quality: 'draft', backend: 'default' }),
    ).rejects.toMatchObject({ code: 'DAMAGED' });
    expect(fs.readFileSync(badJson, 'utf8')).toBe('{"schemaVersion": 1, "id": "tru');
    await lib.delete(bad.id); // an explicit delete still works
    expect((await lib.list()).map((p) => p.id)).not.toContain(bad.id);
  });

  it('refuses ids and paths that escape the library (.., absolute, backslash, NUL, symlinks)', async () => {
    const lib = newLibrary();
    const p = await lib.create({ name: 'p', fileName: 'a.png', bytes: portraitBytes() });
    const { resolveAssetPath, resolveInside, resolveProjectDir } =
      await import('../../src/engine/projects/paths');
    for (const id of ['..', '../x', '/etc', 'a/b', 'A', '', 'x\0']) {
      expect(await errorCode(resolveProjectDir(lib.root, id))).toBe('PATH_ESCAPE');
    }
    for (const rel of [
      '../project.json',
      'runs/../../x',
      '/etc/passwd',
      'C:/Windows',
      'a\\..\\b',
      'a//b',
      './a',
      'a\0b',
    ]) {
      expect(await errorCode(resolveAssetPath(lib.root, p.id, rel))).toBe('PATH_ESCAPE');
    }
    expect(await resolveAssetPath(lib.root, p.id, 'input.png')).toBe(
      path.join(lib.root, 'projects', p.id, 'input.png'),
    );
    expect(await errorCode(resolveAssetPath(lib.root, p.id, 'runs'))).toBe('NOT_FOUND');

    // Symlinks: a link to a folder outside, and a link to another project, both refused.
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'hf-outside-'));
    roots.push(outside);
    fs.writeFileSync(path.join(outside, 'secret.txt'), 'secret');
    fs.symlinkSync(outside, path.join(lib.root, 'projects', p.id, 'linkdir'));
    expect(await errorCode(resolveAssetPath(lib.root, p.id, 'linkdir/secret.txt'))).toBe('PATH_ESCAPE');
    expect(await errorCode(resolveInside(path.join(lib.root, 'projects', p.id), 'linkdir/new-file'))).toBe(
      'PATH_ESCAPE',
    );
    const other = await lib.create({ name: 'other', fileName: 'a.png', bytes: portraitBytes() });
    fs.symlinkSync(
      path.join(lib.root, 'projects', other.id, 'input.png'),
      path.join(lib.root, 'projects', p.id, 'theirs.png'),
    );
    expect(await errorCode(resolveAssetPath(lib.root, p.id, 'theirs.png'))).toBe('PATH_ESCAPE');
  });

  it('full disk: DISK_FULL with a clear message, the partial temp file removed, no project left', async () => {
    const lib = newLibrary(fullDiskFs);
    await lib.init();
    const err = await lib
      .create({ name: 'p', fileName: 'a.png', bytes: portraitBytes() })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'DISK_FULL', message: expect.stringMatching(/disk is full/) });
    expect(tree(path.join(lib.root, 'projects'))).toEqual([]);
  });

  it('full disk during an atomic overwrite leaves the old file intact and no temp file', async () => {
    const dir = tempLibrary();
    roots.push(dir);
    const file = path.join(dir, 'run.json');
    fs.writeFileSync(file, 'old contents');
    await expect(writeFileAtomic(file, 'new contents that will not fit', fullDiskFs)).rejects.toMatchObject({
      code: 'DISK_FULL',
    });
    expect(fs.readFileSync(file, 'utf8')).toBe('old contents');
    expect(fs.readdirSync(dir)).toEqual(['run.json']);
  });

  it('runs: created queued, updated atomically, interrupted ones failed with the reason', async () => {
    const lib = newLibrary();
    const p = await lib.create({ name: 'p', fileName: 'a.png', bytes: portraitBytes() });
    const run = await lib.createRun(p.id, {
      elevationDeg: 'auto',
      seed: 3,
      quality: 'draft',
      backend: 'default',
    });
    expect(tree(run.runDir)).toEqual(['exports', 'run.json', 'views']);
    expect(run.inputPath).toBe(path.join(lib.root, 'projects', p.id, 'input.png'));
    await lib.updateRun(p.id, run.runId, { state: 'running' });
    expect(await lib.failInterruptedRuns('engine crashed (SIGKILL)')).toBe(1);
    expect(await lib.readRun(p.id, run.runId)).toMatchObject({
      state: 'failed',
      error: 'engine crashed (SIGKILL)',
    });
    expect((await lib.get(p.id)).runs[0]).toMatchObject({ id: run.runId, state: 'failed' });
    expect(await errorCode(lib.readRun(p.id, 'run-nope'))).toBe('NOT_FOUND');
    expect(await errorCode(lib.runDir(p.id, '../..'))).toBe('PATH_ESCAPE');
  });

  it('a library path that is not a folder gives a clear IO error (works as root too)', async () => {
    const lib = newLibrary();
    fs.writeFileSync(path.join(lib.root, 'projects'), 'not a folder');
    await expect(lib.list()).rejects.toMatchObject({
      code: 'IO',
      message: expect.stringMatching(/could not read the project library/),
    });
    await expect(lib.init()).rejects.toMatchObject({
      code: 'IO',
      message: expect.stringMatching(/create the project library/),
    });
  });

  it.skipIf(process.getuid?.() === 0)('an unreadable library folder gives a clear IO error', async () => {
    const lib = newLibrary();
    await lib.init();
    fs.chmodSync(path.join(lib.root, 'projects'), 0o000);
    try {
      await expect(lib.list()).rejects.toMatchObject({
        code: 'IO',
        message: expect.stringMatching(/permission denied/),
      });
    } finally {
      fs.chmodSync(path.join(lib.root, 'projects'), 0o755);
    }
  });
});

describe('settings store', () => {
  it('defaults, validated updates, a corrupt file kept aside', async () => {
    const dir = tempLibrary();
    roots.push(dir);
    const store = SettingsStore.inLibrary(dir);
    expect(await store.get()).toEqual(DEFAULT_SETTINGS);
    expect(await store.update({ theme: 'light' })).toMatchObject({ theme: 'light' });
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'settings.json'), 'utf8')).theme).toBe('light');
    await expect(store.update({ previewBackground: 'red' })).rejects.toThrow();

    fs.writeFileSync(path.join(dir, 'settings.json'), '{ broken');
    const fresh = SettingsStore.inLibrary(dir);
    expect(await fresh.get()).toEqual(DEFAULT_SETTINGS);
    expect(fresh.problem).toMatch(/not valid JSON.*kept as settings\.corrupt-\d+\.json/);
    const aside = fs.readdirSync(dir).find((f) => f.startsWith('settings.corrupt-'))!;
    expect(fs.readFileSync(path.join(dir, aside), 'utf8')).toBe('{ broken');
  });
});
