/**
 * Chooses the multi-view backend for a run: the weight-free default, or an installed model pack.
 */
import type { BackendId } from '../../shared/contracts/studio-api';
import type { MultiViewRequest, MultiViewResult } from '../../shared/contracts/multiview';
import type { PreprocessResult } from '../../shared/contracts/preprocess';
import type { RgbaImage } from '../../shared/image';
import { StudioError } from '../../shared/rpc/errors';
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

export async function generateViews(
  pre: PreprocessResult,
  req: MultiViewRequest,
  backend: BackendId,
  opts: ViewStageOptions,
): Promise<MultiViewResult> {
  if (backend === 'default') return generateWeightFreeViews(pre, req, opts);
  if (backend.startsWith('pack:'))
    return generatePackViewsByName(backend.slice('pack:'.length), pre, req, opts);
  throw new StudioError(
    'BACKEND_UNAVAILABLE',
    `multi-view backend '${backend}' is not installed (see 'headforge models list')`,
  );
}
