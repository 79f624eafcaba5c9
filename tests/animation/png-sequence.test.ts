/**
 * A PNG-sequence export is all or nothing (issue 20): frames are written beside the folder and swapped
 * in whole, so a failure mid-way leaves the folder as it was and no temp folder.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writePngSequence } from '../../src/engine/animation/still-encoders';
import type { RgbaImage } from '../../src/shared/image';
import { writePly } from '../../src/shared/splat/ply';
import { randomCloud, rng } from '../fuzz/mutate';
import { runCli } from '../cli/run-cli';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'hf-pngseq-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
const frame = (v: number): RgbaImage => ({ width: 4, height: 4, data: new Uint8ClampedArray(64).fill(v) });

describe('writePngSequence', () => {
  it('writes every frame, replacing an older sequence as a whole', async () => {
    const dir = path.join(root, 'seq');
    fs.mkdirSync(dir);
    for (let i = 0; i < 5; i++) fs.writeFileSync(path.join(dir, `frame_0000${i}.png`), 'old');
    const files = await writePngSequence((i) => frame(i * 10), dir, { frameCount: 3 });
    expect(files.map((f) => path.basename(f))).toEqual([
      'frame_00000.png',
      'frame_00001.png',
      'frame_00002.png',
    ]);
    expect(fs.readdirSync(dir).sort()).toEqual(['frame_00000.png', 'frame_00001.png', 'frame_00002.png']);
    expect(fs.readdirSync(root).filter((f) => f.startsWith('.'))).toEqual([]);
  });

  it('a failure at frame 3 leaves the old folder untouched and no temp folder', async () => {
    const dir = path.join(root, 'keep');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'frame_00000.png'), 'old');
    const producer = (i: number): RgbaImage => {
      if (i === 3) throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
      return frame(i);
    };
    await expect(writePngSequence(producer, dir, { frameCount: 6 })).rejects.toMatchObject({
      code: 'DISK_FULL',
    });
    expect(fs.readdirSync(dir)).toEqual(['frame_00000.png']);
    expect(fs.readFileSync(path.join(dir, 'frame_00000.png'), 'utf8')).toBe('old');
    expect(fs.readdirSync(root).filter((f) => f.startsWith('.'))).toEqual([]);
  });

  it('the CLI refuses a PNG-sequence folder holding other files, before rendering', async () => {
    const dir = path.join(root, 'user-folder');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'notes.txt'), 'mine');
    const head = path.join(root, 'head.ply');
    fs.writeFileSync(head, writePly(randomCloud(rng(1), 20, 0)));
    const r = await runCli(['animate', head, dir, '--format', 'png']);
    expect(r.code, r.err).toBe(2);
    expect(r.err).toMatch(/holds other files \(notes\.txt\)/);
    expect(fs.readdirSync(dir)).toEqual(['notes.txt']);
  });
});
