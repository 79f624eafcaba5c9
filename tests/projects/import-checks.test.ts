/**
 * Checks at import (issue 21): a picture too small to hold a findable face is refused with a sentence
 * naming the minimum; a damaged file's message carries no decoder internals; a picture without a face
 * is imported but its project says so (card and import result), through the engine's real face mesh.
 */
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { Engine } from '../../src/engine/host/engine';
import { findFaceInPortrait } from '../../src/engine/projects/face-check';
import { NO_FACE_WARNING, ProjectLibrary } from '../../src/engine/projects/library';
import { portraitBytes, tempLibrary } from '../api/helpers';

const roots: string[] = [];
function root(): string {
  const r = tempLibrary();
  roots.push(r);
  return r;
}
afterAll(() => {
  for (const r of roots) fs.rmSync(r, { recursive: true, force: true });
});

async function png(width: number, height: number): Promise<Uint8Array> {
  const buf = await sharp({ create: { width, height, channels: 3, background: { r: 90, g: 140, b: 200 } } })
    .png()
    .toBuffer();
  return new Uint8Array(buf);
}

/** Everything under a folder (to assert that a refused import wrote nothing). */
function tree(dir: string): string[] {
  return fs.existsSync(dir) ? (fs.readdirSync(dir, { recursive: true }) as string[]).sort() : [];
}

describe('import: size and decodability', () => {
  it('refuses a 20x20 image, naming its size and the 64 px minimum, and writes nothing', async () => {
    const lib = new ProjectLibrary({ root: root() });
    await lib.init();
    const before = tree(lib.root);
    await expect(
      lib.create({ name: 'tiny', fileName: 'tiny.png', bytes: await png(20, 20) }),
    ).rejects.toMatchObject({
      code: 'INVALID_IMAGE',
      message:
        'tiny.png is 20x20; portraits need at least 64 px on each side, so a face can be found. Use a larger picture.',
    });
    // A long thin strip fails on its short side.
    await expect(
      lib.create({ name: 'strip', fileName: 'strip.png', bytes: await png(900, 40) }),
    ).rejects.toMatchObject({
      message: expect.stringMatching(/^strip\.png is 900x40; portraits need at least 64 px/),
    });
    expect(tree(lib.root)).toEqual(before);
    // 64 px on the short side is enough.
    await expect(
      lib.create({ name: 'ok', fileName: 'ok.png', bytes: await png(64, 200) }),
    ).resolves.toMatchObject({ status: 'ok' });
  });

  it('says in plain words that a file is damaged or not an image; the decoder reason goes to details only', async () => {
    const lib = new ProjectLibrary({ root: root() });
    const bytes = portraitBytes();
    const cut = lib.create({ name: 'cut', fileName: 'cut.png', bytes: bytes.subarray(0, bytes.length >> 1) });
    await expect(cut).rejects.toMatchObject({
      code: 'INVALID_IMAGE',
      message: 'cut.png is damaged and cannot be opened (it may be cut short); export or download it again.',
      details: { reason: expect.any(String) },
    });
    const text = lib.create({
      name: 'n',
      fileName: 'notes.txt',
      bytes: new TextEncoder().encode('not a picture'),
    });
    await expect(text).rejects.toMatchObject({
      message:
        'notes.txt is not an image HeadForge can read; use a JPEG, PNG, WebP, TIFF, GIF, AVIF or HEIF portrait.',
    });
  });
});

describe('import: a picture without a face', () => {
  it('is imported with a warning that is stored, listed and copied by duplicate', async () => {
    const lib = new ProjectLibrary({ root: root(), findFace: async () => false });
    const p = await lib.create({ name: 'sky', fileName: 'sky.png', bytes: await png(300, 200) });
    expect(p).toMatchObject({ status: 'ok', inputWarning: NO_FACE_WARNING });
    const json = JSON.parse(fs.readFileSync(path.join(lib.root, 'projects', p.id, 'project.json'), 'utf8'));
    expect(json.input.face).toBe('none');
    expect((await lib.list())[0].inputWarning).toBe(NO_FACE_WARNING);
    expect((await lib.duplicate(p.id)).inputWarning).toBe(NO_FACE_WARNING);
  });

  it('carries no warning when a face was found, or when the check could not run', async () => {
    for (const findFace of [
      async () => true,
      async () => null,
      async () => Promise.reject(new Error('no models')),
    ]) {
      const lib = new ProjectLibrary({ root: root(), findFace });
      const p = await lib.create({ name: 'p', fileName: 'p.png', bytes: portraitBytes() });
      expect(p.inputWarning).toBeUndefined();
    }
  });

  it('the engine finds the face of a portrait and none in a plain picture (real face mesh)', async () => {
    expect(await findFaceInPortrait(portraitBytes())).toBe(true);
    expect(await findFaceInPortrait(await png(300, 200))).toBe(false);
    const engine = await Engine.create({ libraryRoot: root() });
    const face = await engine.createProject({ name: 'anna', fileName: 'anna.png', bytes: portraitBytes() });
    const none = await engine.createProject({
      name: 'wall',
      fileName: 'wall.png',
      bytes: await png(300, 200),
    });
    expect(face.inputWarning).toBeUndefined();
    expect(none.inputWarning).toBe(NO_FACE_WARNING);
  }, 60_000);
});
