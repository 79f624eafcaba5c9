/**
 * record.json through the run folder's one schema: a record as the pipeline writes it reads back
 * unchanged (unknown fields kept); a missing record is NOT_FOUND; a record that is not JSON, holds
 * null, or has a wrong-typed field is DAMAGED with the field named; writing validates.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { RUN_FILES, runExportPath, runPath } from '../../src/engine/run-folder/layout';
import {
  readRunRecord,
  readRunRecordIfAny,
  writeRunRecord,
  type RunRecord,
} from '../../src/engine/run-folder/record';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hf-record-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

// The shape generate.ts writes (abridged views/renders).
const RECORD: RunRecord = {
  pipelineVersion: '0.1.0',
  input: { sha256: 'a'.repeat(64), bytes: 12345 },
  settings: { elevationDeg: 'auto', seed: 7, quality: 'draft', backend: 'default', steps: 300 },
  resolved: {
    elevationDeg: 4.5,
    preset: { viewSize: 256, steps: 600, maxGaussians: 32768 },
    fovyDeg: 30,
    viewAzimuthsDeg: [0, 22.5],
    inputCamera: { azimuthDeg: 0, elevationDeg: 4.5, fovyDeg: 30, distance: 1.5 },
  },
  backend: { id: 'default', backend: 'cpu' },
  trainer: { steps: 300 },
  outputs: {
    headPly: 'head.ply',
    headPlySha256: 'b'.repeat(64),
    views: ['views/view-00.png'],
    renders: ['renders/render-00.png'],
  },
  timings: { preprocess: 1.5, multiview: 2, optimise: 30, evaluate: 3 },
  versions: { node: 'v20.20.2', platform: 'linux-x64' },
  warnings: [],
  futureField: { kept: true },
};

function runDirWith(name: string, text?: string): string {
  const dir = path.join(tmp, name);
  fs.mkdirSync(dir, { recursive: true });
  if (text !== undefined) fs.writeFileSync(path.join(dir, RUN_FILES.record), text);
  return dir;
}

describe('record.json', () => {
  it('a record as the pipeline writes it reads back unchanged, unknown fields included', async () => {
    const dir = runDirWith('ok');
    await writeRunRecord(dir, RECORD);
    expect(await readRunRecord(dir)).toEqual(RECORD);
    expect(fs.readdirSync(dir)).toEqual(['record.json']);
  });

  it('no record.json: NOT_FOUND (and undefined for callers with defaults)', async () => {
    const dir = runDirWith('none');
    await expect(readRunRecord(dir)).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: expect.stringMatching(/not a finished run folder/),
    });
    expect(await readRunRecordIfAny(dir)).toBeUndefined();
  });

  it.each([
    ['not JSON', '{"resolved": ', /not valid JSON/],
    ['null', 'null', /\(the whole file\)/],
    ['a wrong-typed field', JSON.stringify({ resolved: { elevationDeg: 'high' } }), /resolved\.elevationDeg/],
    [
      'a camera without its distance',
      JSON.stringify({ resolved: { inputCamera: { azimuthDeg: 0, elevationDeg: 0, fovyDeg: 30 } } }),
      /resolved\.inputCamera\.distance/,
    ],
  ])('%s: DAMAGED, naming what is wrong', async (name, text, message) => {
    const dir = runDirWith(`bad-${name.replace(/\W+/g, '-')}`, text);
    await expect(readRunRecord(dir)).rejects.toMatchObject({
      code: 'DAMAGED',
      message: expect.stringMatching(message),
    });
  });

  it('writing a record with a wrong-typed field throws and leaves no file', async () => {
    const dir = runDirWith('write-bad');
    await expect(
      writeRunRecord(dir, { ...RECORD, timings: { optimise: 'long' } } as unknown as RunRecord),
    ).rejects.toThrow();
    expect(fs.readdirSync(dir)).toEqual([]);
  });
});

describe('run folder layout', () => {
  it('paths of the files a run holds', () => {
    expect(runPath('/lib/p/runs/r1', 'crop512')).toBe(
      path.join('/lib/p/runs/r1', 'preprocess', 'crop512.png'),
    );
    expect(runPath('/lib/p/runs/r1', 'headPly')).toBe(path.join('/lib/p/runs/r1', 'head.ply'));
    expect(runExportPath('/lib/p/runs/r1', 'head.spz')).toBe(
      path.join('/lib/p/runs/r1', 'exports', 'head.spz'),
    );
  });

  it('an export name that would leave exports/ is refused', () => {
    for (const bad of ['../run.json', 'a/b.ply', '..', ''])
      expect(() => runExportPath('/r', bad)).toThrow(/plain file name/);
  });
});
