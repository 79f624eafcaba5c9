/**
 * Frame rendering for animation export: per frame, the (optionally expression-deformed) cloud seen
 * from that frame's camera, rendered by the native rasterizer off the JS thread (so the encoder's
 * HTTP server stays responsive) and converted to 8-bit RGBA.
 */
import type { RasterCamera } from '../../shared/camera';
import type { GaussianCloud } from '../../shared/gaussians/cloud';
import type { RgbaImage } from '../../shared/image';
import { renderCloudAsync, toRgba8 } from '../raster';
import type { FrameProducer } from './frame-queue';

export interface FrameRenderOptions {
  cameras: RasterCamera[];
  /** Per-frame cloud (expression animation); default: the same cloud every frame. */
  cloudAt?: (frame: number) => GaussianCloud;
  /** sRGB [0, 1] background composited into opaque frames; default white. */
  background?: [number, number, number];
  /** Straight-alpha frames with a transparent background (PNG/GIF) instead of opaque ones. */
  transparent?: boolean;
  /** Render threads (0 = all cores). */
  threads?: number;
  /** Accumulates wall time spent rendering, for the progress/bench breakdown. */
  stats?: { renderMs: number; frames: number };
}

export function frameProducer(cloud: GaussianCloud, opts: FrameRenderOptions): FrameProducer {
  const background = opts.background ?? [1, 1, 1];
  return async (i: number): Promise<RgbaImage> => {
    const camera = opts.cameras[i];
    if (!camera) throw new RangeError(`no camera for frame ${i}`);
    const t0 = performance.now();
    const frameCloud = opts.cloudAt ? opts.cloudAt(i) : cloud;
    const view = await renderCloudAsync(frameCloud, camera, { background, threads: opts.threads ?? 0 });
    const img = toRgba8(view, { opaque: !opts.transparent });
    if (opts.stats) {
      opts.stats.renderMs += performance.now() - t0;
      opts.stats.frames++;
    }
    return img;
  };
}
