/**
 * `generate --head-model DIR` hands the folder to its runs instead of setting HEADFORGE_HEAD_MODEL for
 * the rest of the process (an in-process caller, the tests, a later command, kept it); and
 * `generate --backend pack:<name>` with no such pack says so before a project is created or
 * preprocessing runs.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { RunGenerateContext } from '../../src/shared/contracts/run';
import { Engine } from '../../src/engine/host/engine';
import { runGenerate } from '../host/fixtures/test-pipeline';
import { PORTRAIT, portraitBytes, tempLibrary, waitForEvent } from '../api/helpers';
import { runCli } from './run-cli';

const libraries: string[] = [];
afterAll(() => libraries.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));
const library = (): string => {
  const d = tempLibrary('hf-head-model-');
  libraries.push(d);
  return d;
};

describe('generate --head-model', () => {
  it("the engine hands its head model to each run's pipeline context", async () => {
    const seen: (string | undefined)[] = [];
    const headModelDir = path.resolve('/some/head-model');
    const engine = await Engine.create({
      libraryRoot: library(),
      headModelDir,
      loadPipeline: async () => async (ctx: RunGenerateContext) => {
        seen.push(ctx.headModelDir);
        return runGenerate({ ...ctx, settings: { ...ctx.settings, steps: 2 } });
      },
    });
    const project = await engine.createProject({ name: 'hm', fileName: 'p.png', bytes: portraitBytes() });
    const finished = waitForEvent(engine, (e) => e.type === 'job-finished', 120_000);
    await engine.startRun({
      projectId: project.id,
      settings: { elevationDeg: 'auto', quality: 'draft', backend: 'default', seed: 0 },
    });
    const end = await finished;
    expect(end.type === 'job-finished' && end.job.state).toBe('done');
    expect(seen).toEqual([headModelDir]);
  }, 150_000);

  it('a missing pack with --head-model: exit 3 naming the pack, no project made, the environment untouched', async () => {
    const lib = library();
    const kit = fs.mkdtempSync(path.join(path.dirname(lib), 'hf-kit-'));
    libraries.push(kit);
    const before = process.env.HEADFORGE_HEAD_MODEL;
    const res = await runCli([
      'generate',
      PORTRAIT,
      '--library',
      lib,
      '--head-model',
      kit,
      '--backend',
      'pack:not-installed',
      '--quality',
      'draft',
    ]);
    expect(res.code, res.err).toBe(3);
    expect(res.err).toMatch(/^headforge generate: model pack 'not-installed' is not installed/m);
    expect(res.err).not.toMatch(/preprocess/);
    expect(process.env.HEADFORGE_HEAD_MODEL).toBe(before);
    // Nothing in the library but its session logs: no project, no run.
    const projects = path.join(lib, 'projects');
    expect(fs.existsSync(projects) ? fs.readdirSync(projects) : []).toEqual([]);
  }, 60_000);
});
