/**
 * Float planes for the 2D styles. An RgbaImage (8-bit sRGB, straight alpha) is split into
 * `ColourPlanes`: three Float32Array planes r, g, b of length width*height, row-major, values in
 * [0, 1] (sRGB, not linearised: the styles are artistic, not photometric), plus the untouched alpha.
 */
import type { RgbaImage } from '../image';

export interface ColourPlanes {
  width: number;
  height: number;
  r: Float32Array;
  g: Float32Array;
  b: Float32Array;
  /** The source alpha bytes (length width*height), carried through unchanged. */
  alpha: Uint8Array;
}

export function validateImage(img: RgbaImage, what = 'image'): void {
  const { width, height, data } = img;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0) {
    throw new RangeError(`${what}: size must be positive integers, got ${width}x${height}`);
  }
  if (data.length !== width * height * 4) {
    throw new RangeError(
      `${what}: expected ${width * height * 4} RGBA bytes for ${width}x${height}, got ${data.length}`,
    );
  }
}

export function validateStrength(strength: number): void {
  if (!Number.isFinite(strength) || strength < 0 || strength > 1) {
    throw new RangeError(`strength must be in [0, 1], got ${strength}`);
  }
}

/**
 * Split into planes. Where alpha < 255 the colour is composited over white first, so transparent
 * surroundings read as paper and the silhouette becomes an edge (what a drawn portrait looks like).
 */
export function toPlanesOnWhite(img: RgbaImage): ColourPlanes {
  validateImage(img);
  const n = img.width * img.height;
  const r = new Float32Array(n);
  const g = new Float32Array(n);
  const b = new Float32Array(n);
  const alpha = new Uint8Array(n);
  const d = img.data;
  for (let i = 0; i < n; i++) {
    const a = d[i * 4 + 3] / 255;
    const w = 1 - a;
    r[i] = (d[i * 4] / 255) * a + w;
    g[i] = (d[i * 4 + 1] / 255) * a + w;
    b[i] = (d[i * 4 + 2] / 255) * a + w;
    alpha[i] = d[i * 4 + 3];
  }
  return { width: img.width, height: img.height, r, g, b, alpha };
}

/** Planes back to RGBA bytes (rounded, clamped), alpha from the planes. */
export function fromPlanes(p: ColourPlanes): RgbaImage {
  const n = p.width * p.height;
  const data = new Uint8ClampedArray(n * 4);
  for (let i = 0; i < n; i++) {
    data[i * 4] = Math.round(p.r[i] * 255);
    data[i * 4 + 1] = Math.round(p.g[i] * 255);
    data[i * 4 + 2] = Math.round(p.b[i] * 255);
    data[i * 4 + 3] = p.alpha[i];
  }
  return { width: p.width, height: p.height, data };
}

/** Rec. 709 luma of the planes (on the sRGB values), length width*height, in [0, 1]. */
export function luma(p: ColourPlanes): Float32Array {
  const n = p.width * p.height;
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) y[i] = 0.2126 * p.r[i] + 0.7152 * p.g[i] + 0.0722 * p.b[i];
  return y;
}

export function copyImage(img: RgbaImage): RgbaImage {
  return { width: img.width, height: img.height, data: new Uint8ClampedArray(img.data) };
}
