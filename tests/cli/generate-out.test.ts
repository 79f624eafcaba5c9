/**
 * generate --out never loses the user's files (issue 20): an existing non-empty folder is refused
 * before any work unless --force, which replaces it as a whole (no mix of two runs); a full disk while
 * copying leaves the folder as it was and no temp folder beside it.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { PORTRAIT, repoRoot } from '../api/helpers';
import { runCli } from './run-cli';

const testPipeline = path.resolve(repoRoot, 'tests/host/fixtures/test-pipeline.ts');
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'hf-genout-'));
const library = path.join(root, 'library');

async function generate(out: string, ...extra: string[]) {
  const saved = process.env.HEADFORGE_PIPELINE_MODULE;
  process.env.HEADFORGE_PIPELINE_MODULE = testPipeline;
  try {
    return await runCli([
      'generate',
      PORTRAIT,
      '--library',
      library,
      '--seed',
      '7',
      '--steps',
      '2',
      '--out',
      out,
      ...extra,
    ]);
  } finally {
    if (saved === undefined) delete process.env.HEADFORGE_PIPELINE_MODULE;
    else process.env.HEADFORGE_PIPELINE_MODULE = saved;
  }
}

afterEach(() => vi.restoreAllMocks());
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe('generate --out (issue 20)', () => {
  it('refuses an existing non-empty folder before any work, and touches nothing in it', async () => {
    const out = path.join(root, 'mine');
    fs.mkdirSync(out);
    fs.writeFileSync(path.join(out, 'thesis.txt'), 'the only copy');
    const runsBefore = fs.existsSync(library) ? fs.readdirSync(library).length : 0;
    const r = await generate(out);
    expect(r.code, r.err).toBe(2);
    expect(r.err).toMatch(/exists and is not empty; pass --force/);
    expect(fs.readdirSync(out)).toEqual(['thesis.txt']);
    expect(fs.readFileSync(path.join(out, 'thesis.txt'), 'utf8')).toBe('the only copy');
    expect(fs.existsSync(library) ? fs.readdirSync(library).length : 0).toBe(runsBefore); // no project made
  });

  it('--force replaces the folder as a whole: only the new run is in it', async () => {
    const out = path.join(root, 'replace');
    fs.mkdirSync(out);
    fs.writeFileSync(path.join(out, 'stale-from-run-A.png'), 'old');
    const r = await generate(out, '--force');
    expect(r.code, r.err).toBe(0);
    const files = fs.readdirSync(out);
    expect(files).toContain('head.ply');
    expect(files).not.toContain('stale-from-run-A.png');
    expect(fs.readdirSync(root).filter((f) => f.includes('.tmp') || f.includes('.old'))).toEqual([]);
  });

  it('a fresh or empty folder needs no --force', async () => {
    const out = path.join(root, 'fresh', 'nested');
    expect((await generate(out)).code).toBe(0);
    expect(fs.readdirSync(out)).toContain('head.ply');
  });

  it('a full disk while copying: exit 3 with a sentence, the folder as it was, no temp folder', async () => {
    const out = path.join(root, 'full');
    fs.mkdirSync(out);
    fs.writeFileSync(path.join(out, 'keep.txt'), 'keep');
    const realCp = fs.promises.cp;
    vi.spyOn(fs.promises, 'cp').mockImplementation(async (from, to, opts) => {
      await realCp(from, to, opts); // the copy lands, then the disk "fills" (as a late write would)
      throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
    });
    const r = await generate(out, '--force');
    expect(r.code, r.err).toBe(3);
    expect(r.err).toMatch(/disk is full/);
    expect(r.err).not.toMatch(/internal error|\n\s+at /);
    expect(fs.readdirSync(out)).toEqual(['keep.txt']);
    expect(fs.readdirSync(root).filter((f) => f.startsWith('.full'))).toEqual([]);
  });
});
