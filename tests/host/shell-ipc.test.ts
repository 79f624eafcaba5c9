/**
 * The desktop "Show in folder" IPC handler in main, with Electron's ipcMain stood in for: a trusted
 * page naming an export by ids gets the file revealed; an untrusted frame, a path, or a file outside
 * the library gets a coded error and nothing is revealed.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { tempLibrary } from '../api/helpers';

type Handler = (event: unknown, ...args: unknown[]) => Promise<unknown>;
const handlers = new Map<string, Handler>();
vi.mock('electron', () => ({
  ipcMain: {
    handle: (channel: string, fn: Handler) => handlers.set(channel, fn),
    removeHandler: (channel: string) => handlers.delete(channel),
  },
}));

const { registerShellHandlers } = await import('../../src/main/ipc-handlers');
const { IPC_SHOW_EXPORT_CHANNEL } = await import('../../src/shared/contracts/ipc');

let root: string;
const revealed: string[] = [];
const trusted = { trusted: true };

beforeAll(() => {
  root = tempLibrary();
  const exportsDir = path.join(root, 'projects', 'mira-a1b2c3', 'runs', 'run-7', 'exports');
  fs.mkdirSync(exportsDir, { recursive: true });
  fs.writeFileSync(path.join(exportsDir, 'head-godot-spz.spz'), 'spz');
  registerShellHandlers(root, (event) => event === (trusted as unknown), (p) => revealed.push(p));
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe('desktop shell IPC', () => {
  it('reveals an export named by ids, resolved inside the library', async () => {
    const reply = await handlers.get(IPC_SHOW_EXPORT_CHANNEL)!(trusted, { projectId: 'mira-a1b2c3', runId: 'run-7', fileName: 'head-godot-spz.spz' });
    expect(reply).toEqual({ ok: true, result: null });
    expect(revealed).toEqual([path.join(root, 'projects', 'mira-a1b2c3', 'runs', 'run-7', 'exports', 'head-godot-spz.spz')]);
  });

  it('refuses untrusted frames, paths and missing files with a code, revealing nothing', async () => {
    revealed.length = 0;
    const call = (event: unknown, args: unknown) => handlers.get(IPC_SHOW_EXPORT_CHANNEL)!(event, args) as Promise<{ ok: boolean; error?: { code: string } }>;
    const good = { projectId: 'mira-a1b2c3', runId: 'run-7', fileName: 'head-godot-spz.spz' };
    expect((await call({ trusted: false }, good)).error?.code).toBe('UNAUTHORIZED');
    expect((await call(trusted, { ...good, fileName: '../../../project.json' })).error?.code).toBe('BAD_REQUEST');
    expect((await call(trusted, path.join(root, 'projects'))).error?.code).toBe('BAD_REQUEST');
    expect((await call(trusted, { ...good, fileName: 'head-unity-ply.ply' })).error?.code).toBe('NOT_FOUND');
    expect(revealed).toEqual([]);
  });
});
