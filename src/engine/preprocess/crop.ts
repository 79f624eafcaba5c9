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
 * The photo round the square `crop` at the `n`-pixel output's scale (`framed`, that output, is its
 * middle): up to `margin` columns left and right of it and rows under it, only those inside the working
 * image; null when there are none. Each part is the same-sized square beside or under the crop, resampled
 * and composited like the crop itself (so the parts meet it without a seam), cut to what is kept.
 * Output: width left + n + right, height n + below, `left` the crop's first column in it.
 */
export async function cropAround(
  rgb: RgbaImage,
  matte: GrayImageF32,
  crop: CropSquare,
  framed: FramedOutput,
  n: number,
  margin: number,
): Promise<(FramedOutput & { left: number }) | null> {
  const side = Math.max(1, Math.round(crop.side));
  const ox = Math.round(crop.x), oy = Math.round(crop.y);
  // Output pixels of the photo past each edge of the crop.
  const past = (px: number) => Math.max(0, Math.min(margin, Math.floor((px * n) / side)));
  const left = past(ox), right = past(rgb.width - (ox + side)), below = past(rgb.height - (oy + side));
  if (left + right + below === 0) return null;
  const width = left + n + right, height = n + below;
  const image: RgbaImage = { width, height, data: new Uint8ClampedArray(width * height * 4) };
  const m = new Float32Array(width * height);
  // Squares (dx, dy) in crop sides from the crop; (0, 0) is the crop itself.
  for (const [dx, dy] of [[-1, 0], [0, 0], [1, 0], [-1, 1], [0, 1], [1, 1]] as const) {
    const x0 = dx < 0 ? n - left : 0, x1 = dx > 0 ? right : n; // columns of the square kept
    const y1 = dy > 0 ? below : n;
    if (x1 <= x0 || y1 <= 0) continue;
    const part = dx === 0 && dy === 0 ? framed : (await cropAndComposite(rgb, matte, { x: ox + dx * side, y: oy + dy * side, side }, [n]))[0];
    const cx = left + dx * n; // the square's column 0 in the output
    for (let y = 0; y < y1; y++) {
      for (let x = x0; x < x1; x++) {
        const src = y * n + x, dst = (dy * n + y) * width + cx + x;
        image.data.set(part.image.data.subarray(src * 4, src * 4 + 4), dst * 4);
        m[dst] = part.matte.data[src];
      }
    }
  }
  return { image, matte: { width, height, data: m }, left };
}
