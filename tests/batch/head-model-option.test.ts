/**
 * `batch --head-model DIR` hands the folder to each head's pipeline (as generate does) and leaves
 * HEADFORGE_HEAD_MODEL alone: an in-process caller (the tests, a later command) must not inherit it.
 * The pipeline is a stub that records its context and fails the head, so no head is trained.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import type { RunGenerateContext } from '../../src/shared/contracts/run';
import { runCli } from '../cli/run-cli';
import { inputFolder, removeTempDirs, tempDir } from './fixtures';

const seen = vi.hoisted(() => [] as (string | undefined)[]);
vi.mock('../../src/engine/pipeline/generate', () => ({
  runGenerate: (ctx: RunGenerateContext) => {
    seen.push(ctx.headModelDir);
    return Promise.reject(new Error('stub pipeline: no head made'));
  },
}));
vi.mock('../../src/engine/projects/face-check', () => ({ findFaceInPortrait: async () => true }));

afterAll(removeTempDirs);

describe('batch --head-model', () => {
  it("reaches the head's pipeline and never the environment", async () => {
    const input = await inputFolder(['hq-0001-matted-rgba.png'], false);
    const out = await tempDir('out');
    const kit = await tempDir('kit');
    await fs.writeFile(path.join(kit, 'marker'), '');
    const before = process.env.HEADFORGE_HEAD_MODEL;
    process.env.HEADFORGE_HEAD_MODEL = '/env/head-model';
    try {
      const res = await runCli(['batch', input, '--out', out, '--head-model', kit]);
      // The stub failed the head (not a bad input): exit 1, the head named.
      expect(res.code, res.err).toBe(1);
      expect(res.err).toMatch(/failed: hq-0001-matted-rgba\.png seed 0: stub pipeline/);
      expect(seen).toEqual([path.resolve(kit)]);
      expect(process.env.HEADFORGE_HEAD_MODEL).toBe('/env/head-model');

      // Without the flag the pipeline gets none (it falls back to the environment's, then the installed one).
      seen.length = 0;
      await runCli(['batch', input, '--out', await tempDir('out2')]);
      expect(seen).toEqual([undefined]);
    } finally {
      if (before === undefined) delete process.env.HEADFORGE_HEAD_MODEL;
      else process.env.HEADFORGE_HEAD_MODEL = before;
    }
  }, 60_000);
});
