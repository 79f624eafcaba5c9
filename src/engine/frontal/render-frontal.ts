/**
 * Frontal view: the head rendered from azimuth 0, elevation 0 (camera on +z looking at the face),
 * with the same radius/fovy the run's views used, so the frontal portrait is framed like the inputs.
 */
import { DEFAULT_FOVY_DEG, ORBIT_RADIUS, orbitCamera } from '../../shared/camera';
import type { GaussianCloud } from '../../shared/gaussians/cloud';
import type { RgbaImage } from '../../shared/image';
import { renderCloudAsync, toRgba8 } from '../raster';

export interface FrontalRenderOptions {
  /** Square output size in pixels (default 512). */
  size?: number;
  /** Vertical field of view (default: the pipeline's, 10 degrees). */
  fovyDeg?: number;
  radius?: number;
  /** sRGB [0, 1] background for opaque output (default white, as the pipeline composites portraits). */
  background?: [number, number, number];
  /** Straight alpha with a transparent background instead of an opaque image. */
  transparent?: boolean;
}

export async function renderFrontal(
  cloud: GaussianCloud,
  opts: FrontalRenderOptions = {},
): Promise<RgbaImage> {
  const size = opts.size ?? 512;
  if (!Number.isInteger(size) || size < 16 || size > 4096)
    throw new RangeError(`frontal size must be an integer in [16, 4096], got ${size}`);
  const camera = orbitCamera(0, 0, size, opts.fovyDeg ?? DEFAULT_FOVY_DEG, opts.radius ?? ORBIT_RADIUS);
  const view = await renderCloudAsync(cloud, camera, { background: opts.background ?? [1, 1, 1] });
  return toRgba8(view, { opaque: !opts.transparent });
}
