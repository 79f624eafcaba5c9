/**
 * A disk that fills up during `headforge generate`: the command says the disk is full (exit 3, the
 * DISK_FULL code of the contract, not an internal error), the run is marked failed, and the run folder
 * holds no half-written file (no temp file, no head.ply). The full disk is injected into the one atomic
 * writer (run-folder/atomic-write.ts): the named file's temp copy gets half its bytes, then ENOSPC.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { nodeLibraryFs } from '../../src/engine/run-folder/atomic-write';
import { RUN_FILES } from '../../src/engine/run-folder/layout';
import { runCli } from '../cli/run-cli';
import { requireNativeAddon } from '../native-required';

const PORTRAIT = path.resolve(__dirname, '../../../shared/fixtures/portraits/hq-0002-matted-rgba.png');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hf-full-disk-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

/** The disk fills up while `fileName` is written; every other file is written as usual. */
function diskFullAt(fileName: string): { hit: () => boolean } {
  const write = nodeLibraryFs.writeNew.bind(nodeLibraryFs);
  let hit = false;
  vi.spyOn(nodeLibraryFs, 'writeNew').mockImplementation(async (file, data) => {
    // The temp name is `.<final name>.<random>.tmp` beside the final file.
    if (!path.basename(file).startsWith(`.${fileName}.`)) return write(file, data);
    hit = true;
    await fs.promises.writeFile(file, data.subarray(0, data.length >> 1), { flag: 'wx' });
    throw Object.assign(new Error(`ENOSPC: no space left on device, write '${file}'`), {
      code: 'ENOSPC',
      errno: -28,
    });
  });
  return { hit: () => hit };
}

/** Every file under `dir`, relative. */
function walk(dir: string): string[] {
  return fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).map((f) => f.split(path.sep).join('/'));
}

async function generateWithFullDisk(fileName: string, library: string) {
  const disk = diskFullAt(fileName);
  const r = await runCli([
    'generate',
    PORTRAIT,
    '--library',
    library,
    '--quality',
    'draft',
    '--steps',
    '20',
    '--seed',
    '3',
  ]);
  expect(disk.hit()).toBe(true);
  // One project with one run: <library>/projects/<project>/runs/<run>/run.json.
  const runFiles = walk(library).filter((f) => /\/runs\/[^/]+\/run\.json$/.test(f));
  expect(runFiles).toHaveLength(1);
  return { r, runDir: path.join(library, path.dirname(runFiles[0])) };
}

function expectFailedCleanly(r: { code: number; err: string }, runDir: string): void {
  expect(r.code).toBe(3);
  expect(r.err).toMatch(/disk is full/);
  expect(r.err).not.toMatch(/internal error/);
  const files = walk(runDir);
  expect(files.filter((f) => f.includes('.tmp'))).toEqual([]);
  expect(files).not.toContain(RUN_FILES.headPly);
  const run = JSON.parse(fs.readFileSync(path.join(runDir, RUN_FILES.run), 'utf8')) as {
    state: string;
    error?: string;
  };
  expect(run.state).toBe('failed');
  expect(run.error).toMatch(/disk is full/);
}

describe('generate on a full disk', () => {
  it('the disk fills up writing the first output (the preprocessed crop): DISK_FULL, nothing half-written', async () => {
    const { r, runDir } = await generateWithFullDisk('crop512.png', path.join(tmp, 'early'));
    expectFailedCleanly(r, runDir);
    expect(walk(runDir)).not.toContain(RUN_FILES.crop512);
  }, 300_000);

  it('the disk fills up writing head.ply after optimisation: DISK_FULL, no head.ply or temp file', async () => {
    requireNativeAddon();
    const { r, runDir } = await generateWithFullDisk('head.ply', path.join(tmp, 'late'));
    expectFailedCleanly(r, runDir);
    // The earlier outputs were written whole.
    expect(walk(runDir)).toContain(RUN_FILES.crop512);
  }, 600_000);
});
