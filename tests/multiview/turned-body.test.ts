/**
 * The body of a turned portrait (weightfree/torso.ts turnTorso). A portrait taken from 45 degrees
 * shows the shoulders obliquely: their run in the matte is the width of the body seen at that angle,
 * and taken as the body's own width it built shoulders as narrow as the chest is deep, a column under
 * the head from the front and from behind.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_FOVY_DEG, viewCameras } from '../../src/shared/camera';
import { renderProxyView } from '../../src/engine/multiview/weightfree/render';
import type { RgbaImage } from '../../src/shared/image';
import type { HeadProxy } from '../../src/engine/multiview/weightfree/proxy';
import { loadGroundTruthView } from './portrait-inputs';
import { fittedProxy } from './fitted-proxy';

/** Widest opaque run (alpha >= 128) over image rows [from, to) (shares of the height), in pixels. */
function widestRun(img: RgbaImage, from: number, to: number): number {
  let best = 0;
  for (let y = Math.floor(img.height * from); y < Math.floor(img.height * to); y++) {
    let l = -1;
    let r = -1;
    for (let x = 0; x < img.width; x++)
      if (img.data[(y * img.width + x) * 4 + 3] >= 128) {
        if (l < 0) l = x;
        r = x;
      }
    if (l >= 0) best = Math.max(best, r - l + 1);
  }
  return best;
}

/**
 * The body's breadth in head breadths: the widest run of the view's bottom fifth over the fitted
 * head's breadth (world units; both views are rendered by one camera, so pixels per world unit cancel
 * in the comparison). The head's own outline from the front would do as well but moves with the
 * fit's pose: a head held upright is narrower from the front than one tilted to a shoulder.
 */
function bodyBreadth(img: RgbaImage, proxy: HeadProxy): number {
  return widestRun(img, 0.8, 1) / proxy.breadthWorld;
}

describe('a turned portrait', () => {
  it('builds a body as broad from the front as a frontal portrait of the same person does, and keeps its outline', async () => {
    // Views at elevation 0 with twice the orbit's field of view, so the shoulders are in the frame:
    // azimuth 0 is the head's front.
    const cams = viewCameras(0, 256, 2 * DEFAULT_FOVY_DEG);
    const build = async (view: string) => {
      const pre = await loadGroundTruthView(view);
      return { pre, proxy: await fittedProxy(pre) };
    };
    const front = (await build('cam_000')).proxy;
    const frontal = bodyBreadth(renderProxyView(front, cams[0]), front);
    const { pre, proxy } = await build('cam_001');
    const turned = bodyBreadth(renderProxyView(proxy, cams[0]), proxy);
    // Measured: the turned body 0.81 of the frontal's (0.55 when the turned body's run was taken
    // as its width: 2.07 against 3.43 head widths).
    const report = `body breadth from the front: ${turned.toFixed(0)} vs ${frontal.toFixed(0)} px per world unit of head breadth`;
    expect(turned / frontal, report).toBeGreaterThan(0.75);
    // The input view keeps the portrait's outline: the turned body projects onto the matte's runs (IoU
    // 0.857 with the body turned or not; what it misses is the head's, not the body's).
    const input = renderProxyView(proxy, proxy.imageFrame.camera);
    let both = 0;
    let either = 0;
    for (let i = 0; i < pre.matte512.data.length; i++) {
      const a = input.data[i * 4 + 3] >= 128;
      const m = pre.matte512.data[i] >= 0.5;
      if (a && m) both++;
      if (a || m) either++;
    }
    expect(both / either).toBeGreaterThan(0.845);
  }, 120_000);
});
