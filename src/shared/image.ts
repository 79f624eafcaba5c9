/**
 * Image buffers passed between stages. All are row-major, top-left origin, no row padding.
 */

/** 8-bit sRGB with straight (non-premultiplied) alpha: data.length = width * height * 4. */
export interface RgbaImage {
  width: number;
  height: number;
  data: Uint8ClampedArray;
}

/** Single-channel float image in [0, 1] (alpha mattes, masks): data.length = width * height. */
export interface GrayImageF32 {
  width: number;
  height: number;
  data: Float32Array;
}

/** Rec. 601 luma of the i-th colour of a packed RGB field ([n * 3], any scale). */
export function rgbLuma(f: ArrayLike<number>, i: number): number {
  return 0.299 * f[i * 3] + 0.587 * f[i * 3 + 1] + 0.114 * f[i * 3 + 2];
}

export function createRgba(width: number, height: number, fill?: [number, number, number, number]): RgbaImage {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0) {
    throw new RangeError(`image size must be positive integers, got ${width}x${height}`);
  }
  const data = new Uint8ClampedArray(width * height * 4);
  if (fill) for (let i = 0; i < data.length; i += 4) data.set(fill, i);
  return { width, height, data };
}

/**
 * RGB composited on white by alpha. The result is opaque (how images are scored and shown) unless
 * `keepAlpha`, which keeps the alpha channel (what face detectors get while the matte travels on).
 */
export function compositeOnWhite(img: RgbaImage, opts: { keepAlpha?: boolean } = {}): RgbaImage {
  const out = new Uint8ClampedArray(img.data.length);
  for (let i = 0; i < img.data.length; i += 4) {
    const a = img.data[i + 3] / 255;
    for (let c = 0; c < 3; c++) out[i + c] = img.data[i + c] * a + 255 * (1 - a);
    out[i + 3] = opts.keepAlpha ? img.data[i + 3] : 255;
  }
  return { width: img.width, height: img.height, data: out };
}

/** `img` flipped left-right (RGBA, row-major): pixel x goes to width - 1 - x. */
export function flipRgbaX(img: RgbaImage): RgbaImage {
  const out = new Uint8ClampedArray(img.data.length);
  const W = img.width;
  for (let y = 0; y < img.height; y++)
    for (let x = 0; x < W; x++) {
      const a = (y * W + x) * 4;
      const b = (y * W + W - 1 - x) * 4;
      out[b] = img.data[a];
      out[b + 1] = img.data[a + 1];
      out[b + 2] = img.data[a + 2];
      out[b + 3] = img.data[a + 3];
    }
  return { width: W, height: img.height, data: out };
}
