/**
 * One reader for a run's head-fit.json (the mesh export, the expression rig and the evaluation report
 * use it): absent is undefined, a damaged or malformed file is DAMAGED and names what is wrong, never
 * silently a run without a fit.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readRunHeadFit } from '../../src/engine/run-folder/head-fit-file';
import type { HeadFit } from '../../src/engine/head-fit/types';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hf-head-fit-file-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const fit: HeadFit = {
  model: { name: 'ict-facekit', sha256: 'ab'.repeat(32) },
  identity: [0.5, -1.2],
  expression: { jawOpen: 0.3 },
  rotation: [1, 0, 0, 0, -1, 0, 0, 0, -1],
  translation: [0.5, -2, 60],
  focalPx: 900,
  cx: 256,
  cy: 256,
  cropFovyDeg: 31.7,
  lensSource: 'fitted',
  landmarkSource: 'detected',
  yawDeg: -1.3,
  pitchDeg: 8.2,
  rollDeg: 1.3,
  cameraElevationDeg: 8.2,
  meanErrorPx: 1.1,
  rmsErrorPx: 1.4,
  meanErrorIod: 0.012,
  interOcularPx: 92,
  landmarksUsed: 441,
  timeMs: 850,
};

function runWith(name: string, text: string | null): string {
  const dir = path.join(tmp, name);
  fs.mkdirSync(dir, { recursive: true });
  if (text !== null) fs.writeFileSync(path.join(dir, 'head-fit.json'), text);
  return dir;
}

describe('readRunHeadFit', () => {
  it('reads a head fit back as it was written', async () => {
    expect(await readRunHeadFit(runWith('ok', JSON.stringify(fit, null, 2)))).toEqual(fit);
  });

  it('says a run without a fit has none', async () => {
    expect(await readRunHeadFit(runWith('none', null))).toBeUndefined();
  });

  it('refuses a file that is not JSON, and one that is not a head fit, naming the field', async () => {
    await expect(readRunHeadFit(runWith('torn', '{"model": {"na'))).rejects.toMatchObject({
      code: 'DAMAGED',
    });
    const noPose = { ...fit } as Partial<HeadFit>;
    delete noPose.pitchDeg;
    await expect(readRunHeadFit(runWith('no-pitch', JSON.stringify(noPose)))).rejects.toMatchObject({
      code: 'DAMAGED',
      message: expect.stringMatching(/pitchDeg/),
    });
    // NaN is written as null by JSON.stringify: a fit with a NaN rotation is not a head fit.
    const nan = { ...fit, rotation: [NaN, 0, 0, 0, 1, 0, 0, 0, 1] };
    await expect(readRunHeadFit(runWith('nan', JSON.stringify(nan)))).rejects.toMatchObject({
      code: 'DAMAGED',
      message: expect.stringMatching(/rotation\.0/),
    });
  });
});
