import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeTinyPack } from '../../scripts/make-tiny-pack';
import { generatePackViews, generatePackViewsByName, releasePackPipelines } from '../../src/engine/multiview/packs';
import { VIEW_AZIMUTHS_DEG } from '../../src/shared/camera';
import type { PreprocessResult } from '../../src/shared/contracts/preprocess';
import { createRgba } from '../../src/shared/image';

let root: string;
let dir: string;
// Only the fields the pack backend reads; the rest of PreprocessResult is irrelevant to it.
const pre = { image512: createRgba(512, 512, [210, 160, 130, 255]), idCrop112: createRgba(112, 112, [200, 150, 120, 255]) } as PreprocessResult;

beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'hf-mv-'));
  dir = path.join(root, 'tiny');
  writeTinyPack(dir);
});
afterAll(async () => {
  await releasePackPipelines();
  fs.rmSync(root, { recursive: true, force: true });
});

describe('pack multi-view backend', () => {
  it('returns the MultiViewResult contract at the requested size, with the reconstructor cloud and provider log lines', async () => {
    const log: string[] = [];
    const seen: number[] = [];
    const r = await generatePackViews(dir, pre, { elevationDeg: 12, seed: 9, size: 96 }, { provider: 'cpu', log: (m) => log.push(m), onView: (i) => seen.push(i) });
    expect(r.views).toHaveLength(16);
    expect(r.views.every((v) => v.width === 96 && v.height === 96 && v.data.length === 96 * 96 * 4)).toBe(true);
    expect(r.azimuthsDeg).toEqual([...VIEW_AZIMUTHS_DEG]);
    expect(r.elevationDeg).toBe(12);
    expect(r.fovyDeg).toBe(10);
    expect(r.initialCloud?.count).toBe(1024);
    expect(seen).toEqual([...Array(16).keys()]);
    expect(log).toContain('tiny-test unetStage1: CPU (requested)');
    expect(log.some((l) => /^stage1 step 4\/4: \d+ ms \(network \d+ ms\)$/.test(l))).toBe(true);
    expect(r.warnings.join(' ')).toMatch(/alpha is 255/);
  });

  it("'pack:<name>' resolves through discovery and fails clearly when the pack is not installed", async () => {
    const opts = { provider: 'cpu' as const, log: () => undefined, stage1Only: true, search: { extraDirs: [root], userDir: path.join(root, 'none') } };
    const r = await generatePackViewsByName('tiny-test', pre, { elevationDeg: 0, seed: 1, size: 64 }, opts);
    expect(r.views).toHaveLength(16);
    expect(r.initialCloud).toBeUndefined();
    await expect(generatePackViewsByName('hq-head', pre, { elevationDeg: 0, seed: 1, size: 64 }, opts)).rejects.toThrow(/model pack 'hq-head' is not installed/);
  });
});
