/**
 * Every file the product writes goes through one atomic writer (temp + fsync + rename, the temp removed
 * on failure): run outputs, splat exports, the library and PNGs. On a full disk (ENOSPC injected after
 * half the bytes reach the temp file) the existing file is kept and no temp file is left.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { nodeLibraryFs, writeFileAtomic as libraryWrite } from '../../src/engine/run-folder/atomic-write';
import { writeFileAtomic as runWrite } from '../../src/engine/pipeline/run-files';
import { writeFileAtomic as splatWrite } from '../../src/engine/splat-io/files';
import { writePng } from '../../src/engine/image-io';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hf-atomic-'));
afterEach(() => vi.restoreAllMocks());
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('one atomic writer', () => {
  it('run outputs, splat exports and the library share run-folder/atomic-write.ts', () => {
    expect(runWrite).toBe(libraryWrite);
    expect(splatWrite).toBe(libraryWrite);
  });

  it('writePng on a full disk keeps the existing file and leaves no temp file', async () => {
    const out = path.join(dir, 'keep', 'portrait.png');
    fs.mkdirSync(path.dirname(out));
    fs.writeFileSync(out, 'the user file');
    vi.spyOn(nodeLibraryFs, 'writeNew').mockImplementation(async (file, data) => {
      await fs.promises.writeFile(file, data.subarray(0, data.length >> 1), { flag: 'wx' });
      throw Object.assign(new Error('ENOSPC: no space left on device, write'), {
        code: 'ENOSPC',
        errno: -28,
      });
    });
    const img = { width: 8, height: 8, data: new Uint8ClampedArray(8 * 8 * 4).fill(200) };
    await expect(writePng(out, img)).rejects.toMatchObject({ code: 'DISK_FULL' });
    expect(fs.readFileSync(out, 'utf8')).toBe('the user file');
    expect(fs.readdirSync(path.dirname(out))).toEqual(['portrait.png']);
  });
});
