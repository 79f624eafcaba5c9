/**
 * Input checks done in TypeScript before anything reaches the addon (the addon repeats them: a caller
 * that bypasses this wrapper still gets an error, never a crash). Messages name the field and the fix.
 */
import type { RasterCamera } from '../../shared/camera';
import type { GaussianCloud } from '../../shared/gaussians/cloud';
import { shCoeffsRest } from '../../shared/gaussians/cloud';

/** Same limits as native/include/headforge/types.h. */
export const RASTER_LIMITS = { maxGaussians: 8_000_000, maxImageSide: 8192 } as const;

export function validateCloud(cloud: GaussianCloud, what = 'cloud'): void {
  if (!cloud || typeof cloud !== 'object') throw new TypeError(`${what} must be a GaussianCloud`);
  const n = cloud.count;
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`${what}.count must be a non-negative integer, got ${n}`);
  if (n > RASTER_LIMITS.maxGaussians)
    throw new RangeError(`${what}.count ${n} exceeds the rasterizer limit of ${RASTER_LIMITS.maxGaussians} Gaussians; prune or decimate the cloud first`);
  if (![0, 1, 2, 3].includes(cloud.shDegree)) throw new RangeError(`${what}.shDegree must be 0..3, got ${cloud.shDegree}`);
  const K = shCoeffsRest(cloud.shDegree);
  const groups: [keyof GaussianCloud, number][] = [
    ['positions', n * 3],
    ['scales', n * 3],
    ['rotations', n * 4],
    ['opacities', n],
    ['shDC', n * 3],
    ['shRest', n * K * 3],
  ];
  for (const [name, len] of groups) {
    const buf = cloud[name];
    if (!(buf instanceof Float32Array)) throw new TypeError(`${what}.${String(name)} must be a Float32Array`);
    if (buf.length !== len) throw new RangeError(`${what}.${String(name)} has length ${buf.length}, expected ${len}`);
    for (let i = 0; i < buf.length; i++) {
      if (!Number.isFinite(buf[i])) {
        const stride = n > 0 ? len / n : 1;
        throw new RangeError(`${what}.${String(name)}[${i}] is ${buf[i]} (Gaussian ${Math.floor(i / stride)}): parameters must be finite`);
      }
    }
  }
}

export function validateCamera(cam: RasterCamera, what = 'camera'): void {
  if (!cam || typeof cam !== 'object') throw new TypeError(`${what} must be a RasterCamera`);
  const { width, height } = cam;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1)
    throw new RangeError(`${what} image size must be positive integers, got ${width}x${height}`);
  if (width > RASTER_LIMITS.maxImageSide || height > RASTER_LIMITS.maxImageSide)
    throw new RangeError(`${what} image side exceeds ${RASTER_LIMITS.maxImageSide} px`);
  for (const k of ['fx', 'fy', 'cx', 'cy', 'near', 'far'] as const)
    if (!Number.isFinite(cam[k])) throw new RangeError(`${what}.${k} must be finite, got ${cam[k]}`);
  if (!(cam.fx > 0 && cam.fy > 0)) throw new RangeError(`${what} focal lengths must be > 0`);
  if (!(cam.near > 0 && cam.far > cam.near)) throw new RangeError(`${what} needs 0 < near < far`);
  if (!cam.worldToCamera || cam.worldToCamera.length !== 12) throw new RangeError(`${what}.worldToCamera must have 12 entries (row-major 3x4)`);
  for (let i = 0; i < 12; i++)
    if (!Number.isFinite(cam.worldToCamera[i])) throw new RangeError(`${what}.worldToCamera[${i}] must be finite`);
}
