/**
 * A damaged run.json or settings.json is kept and reported, never silently dropped or replaced
 * (issue 20): the run's folder stays on disk and is named by the library (once, to the engine log) and
 * by `headforge projects show`; a damaged settings.json is kept aside and the session log says so.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Engine } from '../../src/engine/host/engine';
import { ProjectLibrary, type DamagedRun } from '../../src/engine/projects/library';
import type { Logger } from '../../src/engine/logging/logger';
import { portraitBytes, tempLibrary } from '../api/helpers';
import { runCli } from '../cli/run-cli';

const roots: string[] = [];
afterAll(() => roots.forEach((r) => fs.rmSync(r, { recursive: true, force: true })));

const settings = {
  elevationDeg: 'auto' as const,
  seed: 1,
  quality: 'draft' as const,
  backend: 'default' as const,
};

describe('damaged run.json and settings.json (issue 20)', () => {
  it('a damaged run.json: left out of the runs, reported once, its folder kept, shown by the CLI', async () => {
    const root = tempLibrary();
    roots.push(root);
    const reports: DamagedRun[] = [];
    const lib = new ProjectLibrary({ root, onDamagedRun: (d) => reports.push(d) });
    const p = await lib.create({ name: 'p', fileName: 'p.png', bytes: portraitBytes() });
    const good = await lib.createRun(p.id, settings);
    const bad = await lib.createRun(p.id, { ...settings, seed: 2 });
    fs.writeFileSync(path.join(bad.runDir, 'run.json'), '{"id": "truncated');
    const detail = await lib.get(p.id);
    expect(detail.runs.map((r) => r.id)).toEqual([good.runId]);
    await lib.get(p.id);
    expect(reports).toEqual([
      { projectId: p.id, runId: bad.runId, reason: expect.stringMatching(/not valid JSON/) },
    ]);
    expect(fs.existsSync(bad.runDir)).toBe(true);
    expect(await lib.damagedRuns(p.id)).toEqual(reports);
    const show = await runCli(['projects', 'show', p.id, '--library', root]);
    expect(show.code).toBe(0);
    expect(show.out).toMatch(
      new RegExp(`${bad.runId}\\s+DAMAGED\\s+run\\.json is not valid JSON.*folder kept`),
    );
  });

  it('a damaged settings.json is kept aside and the session log says so', async () => {
    const root = tempLibrary();
    roots.push(root);
    fs.writeFileSync(path.join(root, 'settings.json'), '{"theme": ');
    const warnings: string[] = [];
    const logger: Logger = {
      file: null,
      log: () => undefined,
      info: () => undefined,
      warn: (m) => warnings.push(m),
      error: () => undefined,
    };
    const engine = await Engine.create({ libraryRoot: root, logger });
    expect((await engine.getSettings()).theme).toBe('dark');
    await engine.getSettings();
    expect(warnings.filter((w) => /settings\.json/.test(w))).toEqual([
      expect.stringMatching(/settings\.json is not valid JSON.*kept as settings\.corrupt-\d+\.json/),
    ]);
    expect(fs.readdirSync(root).filter((f) => f.startsWith('settings.corrupt-'))).toHaveLength(1);
    engine.shutdown('test');
  });
});
