/**
 * Portrait <-> style-network tensors. Layouts:
 *   RgbaImage     8-bit straight alpha, [H*W*4] row-major
 *   HWC float     [H*W*3] RGB in [0, 1] (composited on white, so transparent pixels do not feed garbage)
 *   style tensor  [1, 3, H, W] float32 (NCHW, row-major), RGB in the pack's range:
 *                 '0..1' -> rgb,  '-1..1' -> 2 * rgb - 1
 */
import type { RgbaImage } from '../../shared/image';
import { resizeHwc, rgbOnWhite } from '../diffusion/image-tensor';
import type { StyleRange } from '../packs/style-manifest';

export function toRange(v01: number, range: StyleRange): number {
  return range === '0..1' ? v01 : 2 * v01 - 1;
}

export function fromRange(v: number, range: StyleRange): number {
  return range === '0..1' ? v : (v + 1) / 2;
}

/** HWC [0, 1] at (w, h) -> NCHW [1, 3, h, w] in `range`. */
export function hwcToStyleTensor(hwc: Float32Array, w: number, h: number, range: StyleRange): Float32Array {
  const plane = w * h;
  if (hwc.length !== plane * 3) throw new RangeError(`expected ${plane * 3} values for ${w}x${h} RGB, got ${hwc.length}`);
  const out = new Float32Array(3 * plane);
  for (let c = 0; c < 3; c++) for (let i = 0; i < plane; i++) out[c * plane + i] = toRange(hwc[i * 3 + c], range);
  return out;
}

/**
 * NCHW [1, 3, h, w] in `range` -> HWC [0, 1], clamped. A NaN or infinite value means the network is
 * broken (or was fed something it does not expect): refuse it rather than write a black picture.
 */
export function styleTensorToHwc(chw: Float32Array, w: number, h: number, range: StyleRange): Float32Array {
  const plane = w * h;
  const out = new Float32Array(plane * 3);
  for (let c = 0; c < 3; c++) {
    for (let i = 0; i < plane; i++) {
      const v = chw[c * plane + i];
      if (!Number.isFinite(v)) throw new Error(`the style network returned a non-finite value (${v}) at channel ${c}, pixel ${i}`);
      out[i * 3 + c] = Math.min(1, Math.max(0, fromRange(v, range)));
    }
  }
  return out;
}

/** The portrait as the network input at (w, h): composited on white, resized (antialiased bilinear). */
export function portraitToStyleTensor(img: RgbaImage, w: number, h: number, range: StyleRange): Float32Array {
  const hwc = resizeHwc(rgbOnWhite(img), img.width, img.height, 3, w, h);
  return hwcToStyleTensor(hwc, w, h, range);
}

/**
 * The final picture: the styled RGB (HWC [0, 1] at the network's size) resized back to the portrait's
 * size and blended with the portrait's own (straight) RGB by `strength` (0 = the portrait unchanged,
 * 1 = network output); alpha is the portrait's, so a matted portrait stays matted.
 */
export function blendStyled(img: RgbaImage, styled: Float32Array, sw: number, sh: number, strength: number): RgbaImage {
  const back = resizeHwc(styled, sw, sh, 3, img.width, img.height);
  const n = img.width * img.height;
  const data = new Uint8ClampedArray(n * 4);
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < 3; c++) {
      const base = img.data[i * 4 + c] / 255;
      const v = base + strength * (back[i * 3 + c] - base);
      data[i * 4 + c] = Math.round(255 * v);
    }
    data[i * 4 + 3] = img.data[i * 4 + 3];
  }
  return { width: img.width, height: img.height, data };
}
