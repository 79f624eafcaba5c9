/** A 1x1 grey texture for a proxy whose appearance has not been computed yet. */
import { createRgba, type RgbaImage } from '../../../shared/image';

export function appearanceTexturePlaceholder(): RgbaImage {
  return createRgba(1, 1, [128, 128, 128, 255]);
}
