// Every fixture portrait through the real models: face, landmarks, matte quality, identity bars.
// Debug overlays go to test-output/preprocess/ (look at them).
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { preprocessPortrait, renderDebugOverlay } from '../../src/engine/preprocess/index';
import { SelfieMatter } from '../../src/engine/preprocess/selfie-matter';
import { cosineSimilarity } from '../../src/engine/face/index';
import { FACE_LANDMARK_COUNT, REGION, type PreprocessResult } from '../../src/shared/contracts/preprocess';
import type { RgbaImage } from '../../src/shared/image';

const repoRoot = path.resolve(__dirname, '../..');
const portraits = path.resolve(repoRoot, '../shared/fixtures/portraits');
const outDir = path.resolve(repoRoot, 'test-output/preprocess');
const FIXTURES = ['hq-0001-matted-rgba.png', 'hq-0002-matted-rgba.png', 'hq-0003-matted-rgba.png', 'fl-000-expression.png', 'fl-002-outdoor.png', 'fl-005-drawing.png', 'pd-astronaut-collins.png', 'pd-grace-hopper.jpg'];

const results = new Map<string, PreprocessResult>();

async function savePng(img: RgbaImage, file: string) {
  await sharp(Buffer.from(img.data.buffer, img.data.byteOffset, img.data.length), { raw: { width: img.width, height: img.height, channels: 4 } }).png().toFile(file);
}

beforeAll(async () => {
  fs.mkdirSync(outDir, { recursive: true });
  for (const f of FIXTURES) {
    const r = await preprocessPortrait(fs.readFileSync(path.join(portraits, f)));
    results.set(f, r);
    await savePng(renderDebugOverlay(r), path.join(outDir, `overlay-${f}.png`));
    if (r.idCrop112) await savePng(r.idCrop112, path.join(outDir, `idcrop-${f}.png`));
  }
});

describe.each(FIXTURES)('fixture %s', (f) => {
  it('finds one face with 478 finite landmarks, framed like the paper inputs', () => {
    const r = results.get(f)!;
    expect(r.face).not.toBeNull();
    const face = r.face!;
    expect(face.landmarks.length).toBe(FACE_LANDMARK_COUNT * 3);
    expect(face.landmarks.every(Number.isFinite)).toBe(true);
    // The face box sits inside the crop, roughly centred horizontally, with a plausible size.
    const cx = face.box.x + face.box.width / 2;
    expect(Math.abs(cx - 256)).toBeLessThan(60);
    expect(face.box.width).toBeGreaterThan(120);
    expect(face.box.width).toBeLessThan(420);
    expect(face.embedding.length).toBeGreaterThan(0);
    expect(r.elevationDeg).toBeGreaterThanOrEqual(-10);
    expect(r.elevationDeg).toBeLessThanOrEqual(40);
    expect(r.image512.width).toBe(512);
    expect(r.image256.width).toBe(256);
    expect(r.idCrop112?.width).toBe(112);
  });

  it('matte covers the face and the hair above it, not the top corners', () => {
    const r = results.get(f)!;
    const lm = r.face!.landmarks;
    const at = (x: number, y: number) => r.matte512.data[Math.round(y) * 512 + Math.round(x)];
    expect(at(lm[1 * 3], lm[1 * 3 + 1])).toBeGreaterThan(0.9); // nose tip
    // Hair: just above the forehead top (mesh point 10), 8% of the face height higher.
    expect(at(lm[10 * 3], lm[10 * 3 + 1] - 0.08 * r.face!.box.height)).toBeGreaterThan(0.5);
    expect(at(8, 8)).toBeLessThan(0.1);
    expect(at(503, 8)).toBeLessThan(0.1);
    // Region labels: the nose tip is skin, the eye centres are eyes, the background is background.
    expect(r.regions[Math.round(lm[4]) * 512 + Math.round(lm[3])]).toBe(REGION.skin);
    expect(r.regions[Math.round(lm[468 * 3 + 1]) * 512 + Math.round(lm[468 * 3])]).toBe(REGION.eyes);
    expect(r.regions[8 * 512 + 8]).toBe(REGION.background);
  });
});

describe('segmentation against the known alpha of the matted fixtures', () => {
  it.each(['hq-0001-matted-rgba.png', 'hq-0002-matted-rgba.png', 'hq-0003-matted-rgba.png'])('%s on a grey background: IoU >= 0.9', async (f) => {
    const file = path.join(portraits, f);
    const truth = await sharp(file).ensureAlpha().extractChannel(3).raw().toBuffer();
    // Composite on a mid-grey backdrop with a gradient so the segmenter must find the person itself.
    const { data, info } = await sharp(file).flatten({ background: '#7d8a96' }).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
    const matter = await SelfieMatter.create();
    const matte = await matter.matte({ width: info.width, height: info.height, data: new Uint8ClampedArray(data) });
    let inter = 0, union = 0;
    for (let i = 0; i < truth.length; i++) {
      const a = truth[i] > 127, b = matte.data[i] > 0.5;
      if (a && b) inter++;
      if (a || b) union++;
    }
    expect(inter / union).toBeGreaterThanOrEqual(0.9);
  });
});

describe('identity embedding', () => {
  async function embedOf(buf: Buffer): Promise<Float32Array> {
    const r = await preprocessPortrait(buf);
    return r.face!.embedding;
  }
  it('mirror and 10% rescale keep cosine >= 0.8; different people stay <= 0.5', async () => {
    const people = ['hq-0001-matted-rgba.png', 'hq-0002-matted-rgba.png', 'hq-0003-matted-rgba.png', 'fl-000-expression.png', 'pd-grace-hopper.jpg'];
    for (const f of people.slice(0, 3)) {
      const buf = fs.readFileSync(path.join(portraits, f));
      const base = results.get(f)!.face!.embedding;
      const mirror = await embedOf(await sharp(buf).flop().png().toBuffer());
      const meta = await sharp(buf).metadata();
      const rescaled = await embedOf(await sharp(buf).resize(Math.round(meta.width! * 0.9)).png().toBuffer());
      expect(cosineSimilarity(base, mirror)).toBeGreaterThanOrEqual(0.8);
      expect(cosineSimilarity(base, rescaled)).toBeGreaterThanOrEqual(0.8);
    }
    for (let i = 0; i < people.length; i++) {
      for (let j = i + 1; j < people.length; j++) {
        const c = cosineSimilarity(results.get(people[i])!.face!.embedding, results.get(people[j])!.face!.embedding);
        expect(c, `${people[i]} vs ${people[j]}`).toBeLessThanOrEqual(0.5);
      }
    }
  });
});
