/**
 * The weight-free head proxy of a preprocessed portrait on the ICT model from ../shared, fitted as
 * generate fits it (seed 1): what the appearance tests look at.
 */
import type { PreprocessResult } from '../../src/shared/contracts/preprocess';
import { fitPortraitHead } from '../../src/engine/head-fit';
import { buildHeadProxy } from '../../src/engine/multiview/weightfree/build';
import type { HeadProxy } from '../../src/engine/multiview/weightfree/proxy';
import { sharedHeadModel } from '../head-fit/shared-model';

export async function fittedProxy(pre: PreprocessResult): Promise<HeadProxy> {
  const model = await sharedHeadModel();
  const fitted = fitPortraitHead(model, pre);
  if (!fitted) throw new Error('the head model found no face to fit in this portrait');
  return buildHeadProxy(pre, { seed: 1, head: { model, fitted } });
}
