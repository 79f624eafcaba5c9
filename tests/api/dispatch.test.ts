/** dispatch(): the validation gate every transport (Electron IPC, WS, engine RPC) goes through. */
import { describe, expect, it } from 'vitest';
import type { StudioApi } from '../../src/shared/contracts/studio-api';
import { dispatch } from '../../src/engine/host/dispatch';

/** An API that records calls: dispatch must never reach it with bad arguments. */
function recordingApi(): { api: StudioApi; calls: unknown[][] } {
  const calls: unknown[][] = [];
  const api = new Proxy({} as StudioApi, {
    get:
      (_t, method) =>
      async (...args: unknown[]) => {
        calls.push([method, ...args]);
        return 'ok';
      },
  });
  return { api, calls };
}

describe('dispatch', () => {
  it('passes valid, parsed arguments through', async () => {
    const { api, calls } = recordingApi();
    expect(await dispatch(api, 'renameProject', [{ id: 'abc-123', name: '  New name ' }])).toBe('ok');
    expect(calls).toEqual([['renameProject', { id: 'abc-123', name: 'New name' }]]);
  });

  it.each([
    ['unknown method', 'rm -rf', [], /unknown method/],
    ['onEvent is not callable remotely', 'onEvent', [], /unknown method/],
    ['missing args', 'getProject', [], /expected array to have >=1 items/],
    ['extra args', 'listProjects', [1], /args/],
    ['args not an array', 'listProjects', { 0: 1 }, /args/],
    ['path as id', 'getProject', ['../secret'], /invalid project id/],
    ['unknown field', 'renameProject', [{ id: 'a', name: 'b', path: '/etc' }], /path/],
    [
      'bytes as a number list',
      'createProject',
      [{ name: 'a', fileName: 'a.png', bytes: [1, 2, 3] }],
      /Uint8Array/,
    ],
    [
      'empty image',
      'createProject',
      [{ name: 'a', fileName: 'a.png', bytes: new Uint8Array(0) }],
      /image is empty/,
    ],
    [
      'seed not an integer',
      'startRun',
      [{ projectId: 'a', settings: { elevationDeg: 0, seed: 1.5, quality: 'draft', backend: 'default' } }],
      /seed/,
    ],
    [
      'elevation out of range',
      'startRun',
      [{ projectId: 'a', settings: { elevationDeg: 41, seed: 1, quality: 'draft', backend: 'default' } }],
      /elevationDeg/,
    ],
    [
      'backend not a pack name',
      'startRun',
      [{ projectId: 'a', settings: { elevationDeg: 0, seed: 1, quality: 'draft', backend: 'pack:../x' } }],
      /backend/,
    ],
    ['bad colour', 'updateSettings', [{ previewBackground: 'javascript:alert(1)' }], /previewBackground/],
  ])('refuses %s with BAD_REQUEST naming the problem', async (_label, method, args, message) => {
    const { api, calls } = recordingApi();
    await expect(dispatch(api, method, args)).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      message: expect.stringMatching(message),
    });
    expect(calls).toEqual([]);
  });
});
