/**
 * The 2D style of a run (RunSettings.style) applied where the paper applies it: to the preprocessed
 * portrait, before the multi-view stage. Only the framed crops change (image512 and image256, the
 * pictures the multi-view backends project and condition on); the matte, regions, landmarks, pose and
 * identity embedding stay those of the photograph, so the head's geometry and framing are unchanged
 * and only its appearance is stylized.
 */
import type { PreprocessResult } from '../contracts/preprocess';
import { isStyleName, stylizeImage, type StyleName } from './styles';

/** The JSON form stored in RunSettings: a built-in style name and its strength in [0, 1]. */
export interface PortraitStyleSetting {
  name: StyleName;
  strength: number;
}

export function validatePortraitStyle(style: PortraitStyleSetting): void {
  if (!isStyleName(style.name)) throw new RangeError(`unknown style "${String(style.name)}"`);
  if (!Number.isFinite(style.strength) || style.strength < 0 || style.strength > 1)
    throw new RangeError(`style strength must be in [0, 1], got ${style.strength}`);
}

/** A copy of `pre` whose framed crops carry the style (the input is not modified). */
export function stylizePreprocessed(pre: PreprocessResult, style: PortraitStyleSetting): PreprocessResult {
  validatePortraitStyle(style);
  const req = { style: style.name, strength: style.strength };
  // The photo round the crop is left out: a style is the crop's, and a photographic chest under a
  // stylized head would show from below.
  return { ...pre, around: undefined, image512: stylizeImage(pre.image512, req), image256: stylizeImage(pre.image256, req) };
}
