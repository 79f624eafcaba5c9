/**
 * A turned face's yaw, on a real detector's landmarks. The face-mesh detector crowds a turned face's
 * far-side landmarks towards the visible outline, which a free lens search explains as a wide lens's
 * perspective, turning the head back towards the camera. Here a head of known pose (the weight-free
 * head of a fixture portrait built on the head model, its face looking along azimuth 0) is rendered
 * with the pipeline's 10-degree lens at 30, 45 and 55 degrees, preprocessed like any photo and fitted
 * with the lens unknown: the yaw must come back within a few degrees of the turn.
 */
import { describe, expect, it } from 'vitest';
import { orbitCamera } from '../../src/shared/camera';
import { fitPortraitHead } from '../../src/engine/head-fit';
import { encodePng } from '../../src/engine/image-io';
import { buildHeadProxy } from '../../src/engine/multiview/weightfree/build';
import { renderProxyView } from '../../src/engine/multiview/weightfree/render';
import { preprocessPortrait } from '../../src/engine/preprocess';
import { loadPreprocessed } from '../multiview/portrait-inputs';
import { sharedHeadModel } from './shared-model';

const TURNS_DEG = [30, 45, 55];

describe('a turned face fitted with its lens unknown', () => {
  it('comes back at its turn, not pulled towards the camera by a wide lens', async () => {
    const source = await loadPreprocessed('hq-0002-matted-rgba.png');
    const model = await sharedHeadModel();
    const frontal = fitPortraitHead(model, source);
    if (!frontal) throw new Error('the head model does not fit hq-0002');
    const proxy = buildHeadProxy(source, { seed: 1, head: { model, fitted: frontal } });
    const errors: number[] = [];
    for (const turn of TURNS_DEG) {
      const view = renderProxyView(proxy, orbitCamera(turn, 0, 512));
      const pre = await preprocessPortrait(new Uint8Array(await encodePng(view)));
      expect(pre.face, `a face at ${turn} degrees`).not.toBeNull();
      const fitted = fitPortraitHead(model, pre);
      if (!fitted) throw new Error(`no fit at ${turn} degrees`);
      expect(fitted.fit.landmarkSource).toBe('detected');
      // Too turned for the landmarks to tell the lens: a portrait lens, said so.
      expect(fitted.fit.lensSource).toBe('prior');
      errors.push(Math.abs(Math.abs(fitted.fit.yawDeg) - turn));
    }
    const mean = errors.reduce((a, b) => a + b, 0) / errors.length;
    // With the widest lens the search offered (45 degrees over the crop) the yaws came out 4.0, 5.2
    // and 10.3 degrees short (mean 6.5); held at the portrait lens 0.2, 0.3 and 5.5.
    const report = `yaw errors ${errors.map((e) => e.toFixed(1)).join(', ')}`;
    expect(mean, report).toBeLessThan(4);
    expect(Math.max(...errors), report).toBeLessThan(8);
  }, 120_000);
});
