/** Render-only path: a GaussianCloud seen from a RasterCamera, on the calling thread or off it. */
import type { RasterCamera } from '../../shared/camera';
import type { GaussianCloud } from '../../shared/gaussians/cloud';
import type { RgbaImage } from '../../shared/image';
import type { RenderOptions } from '../../shared/raster/types';
import { nativeAddon } from './native-addon';
import { validateCamera, validateCloud } from './validate';

export interface EngineRenderOptions extends RenderOptions {
  /** Worker threads for this render; 0 or absent = all cores. */
  threads?: number;
}

/**
 * A rendered view. rgb [H*W*3] (composited over `background`), alpha [H*W], depth [H*W] when asked
 * (sum z_i alpha_i T_i; divide by alpha for the mean depth of covered pixels).
 */
export interface RenderedView {
  width: number;
  height: number;
  background: [number, number, number];
  rgb: Float32Array;
  alpha: Float32Array;
  depth?: Float32Array;
}

function prepare(cloud: GaussianCloud, camera: RasterCamera, opts: EngineRenderOptions) {
  validateCloud(cloud);
  validateCamera(camera);
  const background = opts.background ?? [1, 1, 1];
  if (background.length !== 3 || !background.every(Number.isFinite)) throw new RangeError('background must be [r, g, b] finite numbers');
  return { background, native: { background, shDegree: opts.shDegree ?? cloud.shDegree, withDepth: opts.withDepth ?? false, threads: opts.threads ?? 0 } };
}

export function renderCloud(cloud: GaussianCloud, camera: RasterCamera, opts: EngineRenderOptions = {}): RenderedView {
  const { background, native } = prepare(cloud, camera, opts);
  const out = nativeAddon().render(cloud, camera, native);
  return { width: camera.width, height: camera.height, background, ...out };
}

/** Same as renderCloud, computed on a libuv worker thread (the event loop stays free). */
export async function renderCloudAsync(cloud: GaussianCloud, camera: RasterCamera, opts: EngineRenderOptions = {}): Promise<RenderedView> {
  const { background, native } = prepare(cloud, camera, opts);
  const out = await nativeAddon().renderAsync(cloud, camera, native);
  return { width: camera.width, height: camera.height, background, ...out };
}

/**
 * 8-bit RGBA with straight alpha (the RgbaImage convention): colour is un-composited from the
 * background where alpha > 0. With `opaque`, the composited colour and alpha 255 instead.
 */
export function toRgba8(view: RenderedView, opts: { opaque?: boolean } = {}): RgbaImage {
  const { width, height, rgb, alpha, background } = view;
  const data = new Uint8ClampedArray(width * height * 4);
  for (let p = 0; p < width * height; p++) {
    const a = alpha[p];
    for (let c = 0; c < 3; c++) {
      let v = rgb[p * 3 + c];
      if (!opts.opaque) v = a > 1e-6 ? (v - (1 - a) * background[c]) / a : 0;
      data[p * 4 + c] = Math.round(Math.min(1, Math.max(0, v)) * 255);
    }
    data[p * 4 + 3] = opts.opaque ? 255 : Math.round(Math.min(1, Math.max(0, a)) * 255);
  }
  return { width, height, data };
}
