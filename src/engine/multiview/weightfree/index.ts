/**
 * Weight-free multi-view backend: the 16 views of the full head from one preprocessed portrait, with
 * no model pack. Builds a textured head proxy (build.ts), renders it at VIEW_AZIMUTHS_DEG and the
 * requested elevation, and seeds the Gaussian optimisation with points on the same surface.
 */
import { DEFAULT_FOVY_DEG, VIEW_AZIMUTHS_DEG, viewCameras } from '../../../shared/camera';
import type { MultiViewRequest, MultiViewResult } from '../../../shared/contracts/multiview';
import type { PreprocessResult } from '../../../shared/contracts/preprocess';
import type { RgbaImage } from '../../../shared/image';
import type { FittedHead } from '../../head-fit/fit-landmarks';
import type { HeadModel } from '../../head-model/types';
import { buildHeadProxy } from './build';
import { proxyToGaussians } from './gaussians';
import type { HeadProxy } from './proxy';
import { proxyLandmarksWorld } from './proxy-landmarks';
import { renderProxyView } from './render';

export type { HeadProxy } from './proxy';
export { renderProxyView } from './render';

/** Gaussians seeded on the proxy surface. */
export const INITIAL_GAUSSIAN_COUNT = 40_000;

function checkInput(pre: PreprocessResult, req: MultiViewRequest): void {
  const n = 512 * 512;
  if (pre.image512.width !== 512 || pre.image512.height !== 512)
    throw new RangeError(`image512 must be 512x512, got ${pre.image512.width}x${pre.image512.height}`);
  if (pre.matte512.data.length !== n)
    throw new RangeError(`matte512 must hold 512*512 values, got ${pre.matte512.data.length}`);
  if (pre.regions.length !== n)
    throw new RangeError(`regions must hold 512*512 labels, got ${pre.regions.length}`);
  if (pre.face && pre.face.landmarks.length !== 478 * 3)
    throw new RangeError(`face.landmarks must hold 478*3 values, got ${pre.face.landmarks.length}`);
  if (!Number.isInteger(req.size) || req.size < 16 || req.size > 2048)
    throw new RangeError(`view size must be an integer in 16..2048, got ${req.size}`);
  if (!Number.isFinite(req.elevationDeg) || Math.abs(req.elevationDeg) > 80)
    throw new RangeError(`elevation ${req.elevationDeg} deg is out of range`);
  if (!Number.isFinite(req.seed)) throw new RangeError(`seed must be a finite number, got ${req.seed}`);
  let fg = 0;
  for (let i = 0; i < n; i++) if (pre.matte512.data[i] >= 0.5) fg++;
  if (fg < 0.005 * n)
    throw new Error('the portrait has no foreground (the matte is empty): nothing to build a head from');
}

function checkAbort(signal?: AbortSignal): void {
  if (signal?.aborted)
    throw signal.reason instanceof Error ? signal.reason : new DOMException('aborted', 'AbortError');
}

export async function generateWeightFreeViews(
  pre: PreprocessResult,
  req: MultiViewRequest,
  opts?: {
    signal?: AbortSignal;
    log?: (m: string) => void;
    onView?: (i: number, view: RgbaImage) => void;
    head?: { model: HeadModel; fitted: FittedHead } | null;
  },
): Promise<MultiViewResult & { proxy: HeadProxy }> {
  const log = opts?.log ?? (() => undefined);
  checkInput(pre, req);
  const warnings: string[] = [];
  const t0 = performance.now();
  // The views' elevation is the input camera's (view 0 reproduces the portrait).
  const proxy = buildHeadProxy(pre, {
    seed: req.seed,
    log,
    head: opts?.head ?? null,
    inputElevationDeg: req.elevationDeg,
  });
  // Warn after the build: the proxy knows whether its face is the person's (landmarks), a generic
  // face fitted to a profile outline, or absent (silhouette-only head).
  if (proxy.faceSource !== 'landmarks') {
    const w =
      proxy.faceSource === 'profile'
        ? `weight-free views: ${pre.face ? 'only a weak face detection' : 'no face found'}; read as a profile, the face at the front is a generic face fitted to the profile line (eyes, brows and lips painted)`
        : 'weight-free views: no face found, using a silhouette-only head (no facial geometry, no symmetry completion)';
    warnings.push(w);
    log(w);
  }
  log(`weightfree: proxy built in ${(performance.now() - t0).toFixed(0)} ms`);
  checkAbort(opts?.signal);
  const cams = viewCameras(req.elevationDeg, req.size, DEFAULT_FOVY_DEG);
  const views: RgbaImage[] = [];
  for (let i = 0; i < cams.length; i++) {
    checkAbort(opts?.signal);
    const view = renderProxyView(proxy, cams[i]);
    views.push(view);
    opts?.onView?.(i, view);
    // Yield so progress and cancel stay live on the event loop.
    await new Promise((r) => setImmediate(r));
  }
  log(`weightfree: 16 views at ${req.size} in ${(performance.now() - t0).toFixed(0)} ms`);
  const initialCloud = proxyToGaussians(proxy, INITIAL_GAUSSIAN_COUNT, req.seed);
  const landmarksWorld = proxyLandmarksWorld(proxy);
  return {
    views,
    azimuthsDeg: [...VIEW_AZIMUTHS_DEG],
    elevationDeg: req.elevationDeg,
    fovyDeg: DEFAULT_FOVY_DEG,
    initialCloud,
    ...(landmarksWorld ? { landmarksWorld } : {}),
    warnings: [...warnings],
    proxy,
  };
}
