/**
 * Silhouette bounding-box alignment for the evaluation harness.
 *
 * Ground truth and generated heads come from different camera conventions (a scan's intrinsics, the
 * pipeline's portrait framing), so a head that is right but framed 5% larger would be punished on
 * every pixel. As in the paper's protocol we align before scoring: the moving image is scaled
 * (uniformly) and translated so that its silhouette's bounding box matches the reference's, and the
 * unaligned scores are reported next to the aligned ones.
 *
 * Images are RgbaImage with straight alpha; resampling is bilinear on premultiplied colour so that
 * edges do not pick up the (undefined) colour of transparent pixels.
 */
import { createRgba, type RgbaImage } from '../image';

/** Silhouette box in pixel units: [x0, x1) x [y0, y1) of alpha > threshold. */
export interface SilhouetteBox {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/** Similarity that maps moving-image pixel coordinates to reference coordinates: p' = scale * p + (dx, dy). */
export interface Similarity2D {
  scale: number;
  dx: number;
  dy: number;
}

export const IDENTITY_2D: Similarity2D = { scale: 1, dx: 0, dy: 0 };

/** Bounding box of alpha > threshold (0..255), or null when no pixel passes. */
export function silhouetteBox(img: RgbaImage, threshold = 127): SilhouetteBox | null {
  const { width: W, height: H, data } = img;
  let x0 = W, y0 = H, x1 = -1, y1 = -1;
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      if (data[(y * W + x) * 4 + 3] > threshold) {
        if (x < x0) x0 = x;
        if (x > x1) x1 = x;
        if (y < y0) y0 = y;
        if (y > y1) y1 = y;
      }
    }
  }
  return x1 < 0 ? null : { x0, y0, x1: x1 + 1, y1: y1 + 1 };
}

/**
 * The similarity taking `moving`'s box onto `reference`'s: uniform scale = geometric mean of the
 * width and height ratios (a head is not stretched to fit), box centres matched.
 */
export function boxAlignment(moving: SilhouetteBox, reference: SilhouetteBox): Similarity2D {
  const mw = moving.x1 - moving.x0, mh = moving.y1 - moving.y0;
  const rw = reference.x1 - reference.x0, rh = reference.y1 - reference.y0;
  const scale = Math.sqrt((rw / mw) * (rh / mh));
  const mcx = (moving.x0 + moving.x1) / 2, mcy = (moving.y0 + moving.y1) / 2;
  const rcx = (reference.x0 + reference.x1) / 2, rcy = (reference.y0 + reference.y1) / 2;
  return { scale, dx: rcx - scale * mcx, dy: rcy - scale * mcy };
}

/**
 * Resample `img` under the similarity `t` (moving -> output pixel coordinates) into a
 * width x height image. Outside the source is transparent. Bilinear on premultiplied RGBA, pixel
 * centres at integer + 0.5.
 */
export function warpSimilarity(img: RgbaImage, t: Similarity2D, width = img.width, height = img.height): RgbaImage {
  if (!(t.scale > 0) || !Number.isFinite(t.scale) || !Number.isFinite(t.dx) || !Number.isFinite(t.dy)) {
    throw new RangeError(`invalid similarity: scale ${t.scale}, dx ${t.dx}, dy ${t.dy}`);
  }
  const out = createRgba(width, height);
  const { width: W, height: H, data: src } = img;
  const dst = out.data;
  const inv = 1 / t.scale;
  // Premultiplied fetch with transparent outside.
  const acc = new Float64Array(4);
  const fetch = (x: number, y: number, w: number) => {
    if (x < 0 || y < 0 || x >= W || y >= H || w === 0) return;
    const o = (y * W + x) * 4;
    const a = src[o + 3] / 255;
    acc[0] += w * src[o] * a;
    acc[1] += w * src[o + 1] * a;
    acc[2] += w * src[o + 2] * a;
    acc[3] += w * a;
  };
  for (let y = 0; y < height; y++) {
    const sy = (y + 0.5 - t.dy) * inv - 0.5;
    const y0 = Math.floor(sy), fy = sy - y0;
    for (let x = 0; x < width; x++) {
      const sx = (x + 0.5 - t.dx) * inv - 0.5;
      const x0 = Math.floor(sx), fx = sx - x0;
      acc.fill(0);
      fetch(x0, y0, (1 - fx) * (1 - fy));
      fetch(x0 + 1, y0, fx * (1 - fy));
      fetch(x0, y0 + 1, (1 - fx) * fy);
      fetch(x0 + 1, y0 + 1, fx * fy);
      const o = (y * width + x) * 4;
      const a = acc[3];
      if (a > 1e-9) {
        dst[o] = Math.round(acc[0] / a);
        dst[o + 1] = Math.round(acc[1] / a);
        dst[o + 2] = Math.round(acc[2] / a);
        dst[o + 3] = Math.round(a * 255);
      }
    }
  }
  return out;
}

export interface AlignmentResult {
  /** `moving` resampled onto the reference's grid. */
  image: RgbaImage;
  transform: Similarity2D;
  /** False when either silhouette is empty: the image is returned unchanged (identity). */
  aligned: boolean;
}

/** Align `moving` to `reference` by their silhouettes' bounding boxes (same output size as reference). */
export function alignBySilhouette(moving: RgbaImage, reference: RgbaImage): AlignmentResult {
  const mb = silhouetteBox(moving);
  const rb = silhouetteBox(reference);
  if (!mb || !rb) {
    const same = moving.width === reference.width && moving.height === reference.height;
    return { image: same ? moving : warpSimilarity(moving, IDENTITY_2D, reference.width, reference.height), transform: IDENTITY_2D, aligned: false };
  }
  const transform = boxAlignment(mb, rb);
  return { image: warpSimilarity(moving, transform, reference.width, reference.height), transform, aligned: true };
}

export { compositeOnWhite } from '../image';
