/**
 * RunSettings.style applied to a run's (or a seed preview's) preprocessed portrait, for any style the
 * engine knows: built-in styles go through the pure-TS stylizePreprocessed (src/shared/stylize), pack
 * styles run their ONNX network here (Node only). As in the paper, only the framed crops change
 * (image512 and image256, the pictures the multi-view backends project and condition on); matte,
 * regions, landmarks, pose and identity embedding stay the photograph's, so the head's geometry and
 * framing are those of the photo and only its appearance is stylized.
 */
import type { PreprocessResult } from '../../shared/contracts/preprocess';
import type { PortraitStyle } from '../../shared/contracts/studio-api';
import { StudioError } from '../../shared/rpc/errors';
import { isStyleName } from '../../shared/stylize';
import { stylizePreprocessed } from '../../shared/stylize/preprocess-style';
import type { ProviderPreference } from '../onnx/providers';
import type { PackSearchOptions } from '../packs/discover';
import { stylizePortrait } from './index';

export interface RunStyleOptions {
  search?: PackSearchOptions;
  provider?: ProviderPreference;
}

/** A copy of `pre` whose framed crops carry `style` (`pre` is not modified). Unknown style -> BAD_REQUEST; pack not installed -> BACKEND_UNAVAILABLE. */
export async function stylizeRunPortrait(pre: PreprocessResult, style: PortraitStyle, opts: RunStyleOptions = {}): Promise<PreprocessResult> {
  if (isStyleName(style.name)) {
    try {
      return stylizePreprocessed(pre, { name: style.name, strength: style.strength });
    } catch (err) {
      if (err instanceof RangeError) throw new StudioError('BAD_REQUEST', err.message);
      throw err;
    }
  }
  // Each crop through the network at its own size (symbolic-size networks see the detail each has;
  // fixed-size ones are resized in and out by runStyleNetwork either way).
  const run = { strength: style.strength, search: opts.search, provider: opts.provider };
  const image512 = await stylizePortrait(pre.image512, style.name, run);
  const image256 = await stylizePortrait(pre.image256, style.name, run);
  // Without the photo round the crop (stylizePreprocessed says why).
  return { ...pre, around: undefined, image512, image256 };
}

/** A file-name-safe tag for a style ('cel-70', 'pack_tiny-styles_sepia-100'), for preview folders and files. */
export function styleFileTag(style: PortraitStyle): string {
  return `${style.name.replace(/[^A-Za-z0-9._-]/g, '_')}-${Math.round(style.strength * 100)}`;
}
