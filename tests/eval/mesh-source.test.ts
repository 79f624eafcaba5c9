/**
 * Ground-truth renders of head meshes at the 16 pipeline cameras. The shared bust fixture
 * (nefertiti-bust.glb) is rendered when it is intact; the copy in ../shared at the time of writing was
 * damaged by a text conversion, which the loader must then name. The render checks also run on a
 * textured head built from a real portrait (helpers/test-head.ts), turned 35 deg and scaled x40.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RgbaImage } from '../../src/shared/image';
import { silhouetteBox, compositeOnWhite } from '../../src/shared/metrics/alignment';
import { loadGltf } from '../../src/engine/eval/gltf-loader';
import { meshSubject } from '../../src/engine/eval/mesh-source';
import { gridImage, writePng } from '../../src/engine/image-io';
import { analyzeFace } from '../../src/engine/face';
import { repoRoot, testHeadGlb } from './helpers/test-head';

const NEFERTITI = path.resolve(repoRoot, '../shared/fixtures/heads/nefertiti-bust.glb');

async function nefertitiIntact(): Promise<boolean> {
  const b = await fs.readFile(NEFERTITI).catch(() => null);
  return b !== null && b.length >= 12 && b.readUInt32LE(8) === b.length;
}

function coverage(img: RgbaImage): number {
  let n = 0;
  for (let i = 3; i < img.data.length; i += 4) if (img.data[i] > 127) n++;
  return n / (img.width * img.height);
}

function checkSaneViews(views: { image: RgbaImage }[]) {
  for (const [i, v] of views.entries()) {
    const box = silhouetteBox(v.image);
    expect(box, `view ${i} is empty`).not.toBeNull();
    const c = coverage(v.image);
    expect(c, `view ${i} coverage`).toBeGreaterThan(0.15);
    expect(c, `view ${i} coverage`).toBeLessThan(0.9);
    // Centred horizontally (the orbit turns about the head), head near the top like a portrait crop.
    const cx = (box!.x0 + box!.x1) / 2 / v.image.width;
    expect(Math.abs(cx - 0.5), `view ${i} horizontal centre ${cx}`).toBeLessThan(0.15);
    expect(box!.y0 / v.image.height, `view ${i} top`).toBeLessThan(0.2);
  }
}

describe('mesh ground truth', () => {
  it('nefertiti-bust.glb: renders sane views when intact, else the loader names the damage', async () => {
    if (!(await nefertitiIntact())) {
      console.warn(`SKIPPED rendering ${NEFERTITI}: the fixture is damaged (length field != file size); checking the loader's message instead`);
      await expect(loadGltf(NEFERTITI)).rejects.toThrow(/damaged by a text-encoding conversion|truncated GLB/);
      return;
    }
    const s = await meshSubject(NEFERTITI, { viewSize: 256 });
    checkSaneViews(s.views);
    await writePng(path.join(os.tmpdir(), 'hf-eval-nefertiti-views.png'), gridImage(s.views.map((v) => compositeOnWhite(v.image)), 8));
  }, 120_000);

  it('a turned, scaled head is found, faced to azimuth 0 and framed like a portrait at all 16 cameras', async () => {
    const s = await meshSubject(await testHeadGlb(), { viewSize: 128, portraitSize: 256 });
    expect(s.views).toHaveLength(16);
    expect(s.warnings).toEqual([]);
    checkSaneViews(s.views);
    // The face was found (no warning) and turned to azimuth 0: the portrait (input view) is frontal.
    const face = await analyzeFace(compositeOnWhite(s.portrait));
    expect(face, 'no face in the input portrait').not.toBeNull();
    expect(Math.abs(face!.yawDeg)).toBeLessThan(10);
    // Front (az 0) and back (az 180) views are mirror-like in outline: similar widths.
    const w = (img: RgbaImage) => silhouetteBox(img)!.x1 - silhouetteBox(img)!.x0;
    expect(Math.abs(w(s.views[0].image) - w(s.views[8].image)) / w(s.views[0].image)).toBeLessThan(0.2);
    expect(s.portrait.width).toBe(256);
    const sheet = path.join(os.tmpdir(), 'hf-eval-test-head-views.png');
    await writePng(sheet, gridImage(s.views.map((v) => compositeOnWhite(v.image)), 8));
  }, 120_000);
});
