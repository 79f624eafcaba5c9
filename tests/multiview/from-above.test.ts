/**
 * A portrait taken from above (a test head on the ICT model, rendered at 40 degrees as the elevation
 * sweep renders it): the white shirt rises beside the grey-haired man's jaw. It read as hair, and the
 * head grew long grey hair down to the shoulders with no shirt round the back. Now the shirt is the
 * garment, the hair stays short, and the body's back is the shirt's colour, not the skin's.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { meshSubject } from '../../src/engine/eval/mesh-source';
import { encodePng } from '../../src/engine/image-io';
import { preprocessPortrait } from '../../src/engine/preprocess';
import { REGION, type PreprocessResult } from '../../src/shared/contracts/preprocess';
import { buildHeadProxy } from '../../src/engine/multiview/weightfree/build';
import type { HeadProxy } from '../../src/engine/multiview/weightfree/proxy';
import { renderProxyView } from '../../src/engine/multiview/weightfree/render';
import { fitPortraitHead } from '../../src/engine/head-fit';
import { viewCameras } from '../../src/shared/camera';
import { testHeadGlb } from '../eval/helpers/test-head';
import { sharedHeadModel } from '../head-fit/shared-model';

const ELEVATION = 40;
let pre: PreprocessResult;
let proxy: HeadProxy;
const logs: string[] = [];

beforeAll(async () => {
  const subject = await meshSubject(await testHeadGlb('fitted', 'hq-0002-matted-rgba.png'), { elevationDeg: ELEVATION });
  pre = await preprocessPortrait(new Uint8Array(await encodePng(subject.portrait)));
  const model = await sharedHeadModel();
  const fitted = fitPortraitHead(model, pre, null, ELEVATION);
  if (!fitted) throw new Error('the head model found no face in the test head seen from above');
  proxy = buildHeadProxy(pre, { seed: 1, head: { model, fitted }, inputElevationDeg: ELEVATION, log: (m) => logs.push(m) });
}, 120_000);

describe('a portrait from 40 degrees above', () => {
  it('labels the shirt beside the jaw clothing, not hair', () => {
    const lm = pre.face!.landmarks;
    const chinRow = lm[152 * 3 + 1];
    const cheeks = [lm[234 * 3], lm[454 * 3]];
    const halfFace = Math.abs(cheeks[1] - cheeks[0]) / 2;
    const centre = (cheeks[0] + cheeks[1]) / 2;
    // Foreground beside the face (past its cheeks), between the mouth's height and the chin's.
    let hair = 0;
    let clothing = 0;
    for (let v = Math.round(chinRow - 0.5 * halfFace); v < chinRow; v++)
      for (let u = 0; u < 512; u++) {
        const i = v * 512 + u;
        if (pre.matte512.data[i] < 0.5 || Math.abs(u - centre) < 1.2 * halfFace) continue;
        if (pre.regions[i] === REGION.hair) hair++;
        if (pre.regions[i] === REGION.clothing) clothing++;
      }
    expect(clothing).toBeGreaterThan(500);
    expect(hair).toBeLessThan(0.1 * clothing);
  });

  it('keeps the hair short and puts the shirt, not skin, round the back of the shoulders', () => {
    expect(logs.some((m) => m.includes('long hair'))).toBe(false);
    // The back view: under the head and beside the neck (more than 40 px from the middle; the neck
    // between is skin), the body's pixels are mostly the white shirt's.
    const back = renderProxyView(proxy, viewCameras(ELEVATION, 256)[8], 1);
    let white = 0;
    let body = 0;
    for (let v = 170; v < 256; v++)
      for (let u = 0; u < 256; u++) {
        if (Math.abs(u - 128) < 40) continue;
        const i = (v * 256 + u) * 4;
        if (back.data[i + 3] < 128) continue;
        body++;
        const [r, g, b] = [back.data[i], back.data[i + 1], back.data[i + 2]];
        if (r > 170 && g > 170 && b > 170 && Math.max(r, g, b) - Math.min(r, g, b) < 40) white++;
      }
    expect(body).toBeGreaterThan(1000);
    expect(white / body).toBeGreaterThan(0.6);
  });
});
