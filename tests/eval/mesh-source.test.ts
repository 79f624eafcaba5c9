/**
 * Ground-truth renders of head meshes at the 16 pipeline cameras, on a textured head built from a
 * real portrait (helpers/test-head.ts), turned 35 deg, scaled x40 and translated, so that the front
 * search and the portrait-like framing have work to do.
 */
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RgbaImage } from '../../src/shared/image';
import { silhouetteBox, compositeOnWhite } from '../../src/shared/metrics/alignment';
import { meshSubject } from '../../src/engine/eval/mesh-source';
import { gridImage, writePng } from '../../src/engine/image-io';
import { analyzeFace } from '../../src/engine/face';
import { testHeadGlb } from './helpers/test-head';

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
    await writePng(
      sheet,
      gridImage(
        s.views.map((v) => compositeOnWhite(v.image)),
        8,
      ),
    );
  }, 120_000);
});
