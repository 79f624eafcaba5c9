/**
 * Chooses the multi-view backend for a run: the weight-free default, or an installed model pack.
 */
import type { BackendId } from '../../shared/contracts/studio-api';
import type { MultiViewRequest, MultiViewResult } from '../../shared/contracts/multiview';
import type { PreprocessResult } from '../../shared/contracts/preprocess';
import type { RgbaImage } from '../../shared/image';
import { StudioError } from '../../shared/rpc/errors';
import { generateWeightFreeViews } from '../multiview/weightfree';
import { generatePackViewsByName } from '../multiview/packs';

export interface ViewStageOptions {
  signal: AbortSignal;
  log: (m: string) => void;
  onView?: (i: number, view: RgbaImage) => void;
}

export async function generateViews(
  pre: PreprocessResult,
  req: MultiViewRequest,
  backend: BackendId,
  opts: ViewStageOptions,
): Promise<MultiViewResult> {
  if (backend === 'default') return generateWeightFreeViews(pre, req, opts);
  if (backend.startsWith('pack:')) return generatePackViewsByName(backend.slice('pack:'.length), pre, req, opts);
  throw new StudioError('BACKEND_UNAVAILABLE', `multi-view backend '${backend}' is not installed (see 'headforge models list')`);
}
