/**
 * The built-in weight-free 2D styles behind one entry point, for the UI's live preview and the CLI.
 */
import type { RgbaImage } from '../image';
import { celShade } from './cel';
import { painterly } from './painterly';
import { pencilSketch } from './pencil';

export const STYLE_NAMES = ['cel', 'pencil', 'painterly'] as const;
export type StyleName = (typeof STYLE_NAMES)[number];

export interface StyleRequest {
  style: StyleName;
  /** 0 = unchanged, 1 = strongest. */
  strength: number;
}

export function isStyleName(s: string): s is StyleName {
  return (STYLE_NAMES as readonly string[]).includes(s);
}

/** Apply a built-in style; pure and deterministic (same input, same bytes). */
export function stylizeImage(img: RgbaImage, req: StyleRequest): RgbaImage {
  switch (req.style) {
    case 'cel':
      return celShade(img, { strength: req.strength });
    case 'pencil':
      return pencilSketch(img, { strength: req.strength });
    case 'painterly':
      return painterly(img, { strength: req.strength });
    default:
      throw new RangeError(
        `unknown style "${String((req as { style: unknown }).style)}"; expected one of ${STYLE_NAMES.join(', ')}`,
      );
  }
}
