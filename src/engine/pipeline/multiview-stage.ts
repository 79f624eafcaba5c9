/**
 * Chooses the multi-view backend for a run: the weight-free default, or an installed model pack.
 */
import type { BackendId } from '../../shared/contracts/studio-api';
import type { MultiViewRequest, MultiViewResult } from '../../shared/contracts/multiview';
import type { PreprocessResult } from '../../shared/contracts/preprocess';
import type { RgbaImage } from '../../shared/image';
import { StudioError } from '../../shared/rpc/errors';
import { cameraCenter, fovyFromFocal, type RasterCamera } from '../../shared/camera';
import type { InputCameraRecord } from '../../shared/contracts/multiview';
import type { FittedHead } from '../head-fit';
import type { HeadModel } from '../head-model';
import { generateWeightFreeViews } from '../multiview/weightfree';
import { generatePackViewsByName } from '../multiview/packs';

export interface ViewStageOptions {
  signal: AbortSignal;
  log: (m: string) => void;
  onView?: (i: number, view: RgbaImage) => void;
  /** The head model fitted to the portrait, when one is installed (the weight-free backend builds on it). */
  head?: { model: HeadModel; fitted: FittedHead } | null;
}

/** The weight-free head's input camera (it sees the crop exactly) as a record for the run. */
function inputCameraOf(cam: RasterCamera, azimuthDeg: number): InputCameraRecord {
  const c = cameraCenter(cam);
  const distance = Math.hypot(c[0], c[1], c[2]);
  return {
    azimuthDeg,
    elevationDeg: (Math.asin(c[1] / distance) * 180) / Math.PI,
    fovyDeg: fovyFromFocal(cam.height, cam.fy),
    distance,
  };
}

export async function generateViews(
  pre: PreprocessResult,
  req: MultiViewRequest,
  backend: BackendId,
  opts: ViewStageOptions,
): Promise<MultiViewResult> {
  if (backend === 'default') {
    const res = await generateWeightFreeViews(pre, req, opts);
    return {
      ...res,
      inputCamera: inputCameraOf(res.proxy.imageFrame.camera, res.proxy.imageFrame.azimuthDeg),
    };
  }
  if (backend.startsWith('pack:'))
    return generatePackViewsByName(backend.slice('pack:'.length), pre, req, opts);
  throw new StudioError(
    'BACKEND_UNAVAILABLE',
    `multi-view backend '${backend}' is not installed (see 'headforge models list')`,
  );
}
