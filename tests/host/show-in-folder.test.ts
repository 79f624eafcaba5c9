/**
 * "Show in folder" (desktop): the page names an export by project id, run id and file name; main
 * resolves it inside the library or refuses. No path from the page is ever used.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveExportFile } from '../../src/main/show-in-folder';
import { errorCode, tempLibrary } from '../api/helpers';

let root: string;
const exportsDir = (): string => path.join(root, 'projects', 'anna-abc123', 'runs', 'run-1', 'exports');

beforeAll(() => {
  root = tempLibrary();
  fs.mkdirSync(exportsDir(), { recursive: true });
  fs.writeFileSync(path.join(exportsDir(), 'head-unity-ply.ply'), 'ply');
  fs.symlinkSync('/etc/hostname', path.join(exportsDir(), 'link.ply'));
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe('show export in folder', () => {
  it('resolves an existing export inside the library', async () => {
    const file = await resolveExportFile(root, { projectId: 'anna-abc123', runId: 'run-1', fileName: 'head-unity-ply.ply' });
    expect(file).toBe(path.join(exportsDir(), 'head-unity-ply.ply'));
  });

  it('refuses paths, traversal, links out of the library, missing files and extra fields', async () => {
    const ask = (args: unknown) => errorCode(resolveExportFile(root, args));
    expect(await ask({ projectId: 'anna-abc123', runId: 'run-1', fileName: '../run.json' })).toBe('BAD_REQUEST');
    expect(await ask({ projectId: 'anna-abc123', runId: 'run-1', fileName: '/etc/passwd' })).toBe('BAD_REQUEST');
    expect(await ask({ projectId: '..', runId: 'run-1', fileName: 'head.ply' })).toBe('BAD_REQUEST');
    expect(await ask({ projectId: 'anna-abc123', runId: 'run-1', fileName: 'head.ply', path: '/tmp' })).toBe('BAD_REQUEST');
    expect(await ask('/home/user/head.ply')).toBe('BAD_REQUEST');
    expect(await ask({ projectId: 'anna-abc123', runId: 'run-1', fileName: 'link.ply' })).toBe('PATH_ESCAPE');
    expect(await ask({ projectId: 'anna-abc123', runId: 'run-1', fileName: 'missing.ply' })).toBe('NOT_FOUND');
    expect(await ask({ projectId: 'other-000000', runId: 'run-1', fileName: 'head-unity-ply.ply' })).toBe('NOT_FOUND');
  });
});
