/**
 * Cut the framing square out of the working image (padding with transparent pixels where it leaves
 * the image), resize it with libvips (premultiplied-alpha Lanczos, so no dark fringes), and composite
 * on white. The matte rides along as the alpha channel.
 */
import sharp from 'sharp';
import type { GrayImageF32, RgbaImage } from '../../shared/image';
import type { CropSquare } from './framing';

export interface FramedOutput {
  /** RGB composited on white, alpha = matte (straight). */
  image: RgbaImage;
  matte: GrayImageF32;
}

/**
 * `rgb` supplies colour, `matte` (same size) the alpha. Returns one output per requested size.
 * Crop pixel (u, v) of an output of size N shows working pixel crop.x + (u + 0.5) * side / N - 0.5.
 */
export async function cropAndComposite(rgb: RgbaImage, matte: GrayImageF32, crop: CropSquare, sizes: number[]): Promise<FramedOutput[]> {
  const side = Math.max(1, Math.round(crop.side));
  const ox = Math.round(crop.x), oy = Math.round(crop.y);
  // Square canvas [side * side * 4] RGBA, transparent outside the working image.
  const canvas = Buffer.alloc(side * side * 4);
  const { width: W, height: H } = rgb;
  const y0 = Math.max(0, oy), y1 = Math.min(H, oy + side);
  const x0 = Math.max(0, ox), x1 = Math.min(W, ox + side);
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      const s = (y * W + x) * 4, d = ((y - oy) * side + (x - ox)) * 4;
      canvas[d] = rgb.data[s];
      canvas[d + 1] = rgb.data[s + 1];
      canvas[d + 2] = rgb.data[s + 2];
      canvas[d + 3] = Math.round(Math.min(1, Math.max(0, matte.data[y * W + x])) * 255);
    }
  }
  return Promise.all(
    sizes.map(async (n) => {
      const out = await sharp(canvas, { raw: { width: side, height: side, channels: 4 } })
        .resize(n, n, { kernel: 'lanczos3' })
        .raw()
        .toBuffer();
      const image: RgbaImage = { width: n, height: n, data: new Uint8ClampedArray(n * n * 4) };
      const m = new Float32Array(n * n);
      for (let i = 0; i < n * n; i++) {
        const a = out[i * 4 + 3] / 255;
        m[i] = a;
        for (let c = 0; c < 3; c++) image.data[i * 4 + c] = out[i * 4 + c] * a + 255 * (1 - a);
        image.data[i * 4 + 3] = out[i * 4 + 3];
      }
      return { image, matte: { width: n, height: n, data: m } };
    }),
  );
}

/** Working-image pixel coordinates -> output pixel coordinates for an output of size n. */
export function workingToCrop(crop: CropSquare, n: number): { scale: number; offsetX: number; offsetY: number } {
  const side = Math.max(1, Math.round(crop.side));
  return { scale: n / side, offsetX: Math.round(crop.x), offsetY: Math.round(crop.y) };
}

/**
 * The photo under the square `crop`, at the `n`-pixel output's scale: rows n .. n + rows - 1 of the
 * same framing, only those inside the working image (at most `maxRows`); null when none is. Same
 * resampling and compositing as the crop itself (the square below, cut to its top rows).
 */
export async function cropBelow(rgb: RgbaImage, matte: GrayImageF32, crop: CropSquare, n: number, maxRows: number): Promise<FramedOutput | null> {
  const side = Math.max(1, Math.round(crop.side));
  const below = { x: crop.x, y: Math.round(crop.y) + side, side: crop.side };
  const inside = Math.floor(((rgb.height - below.y) * n) / side);
  const rows = Math.min(maxRows, n, inside);
  if (rows < 1) return null;
  const [square] = await cropAndComposite(rgb, matte, below, [n]);
  return {
    image: { width: n, height: rows, data: square.image.data.slice(0, n * rows * 4) },
    matte: { width: n, height: rows, data: square.matte.data.slice(0, n * rows) },
  };
}
