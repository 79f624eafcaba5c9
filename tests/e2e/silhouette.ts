/**
 * Is the head in the 3D preview upright? Compare the shape of its silhouette with a generated/rendered
 * front image: per row of the silhouette's bounding box, the fraction of the row that is head
 * ("row profile", PROFILE_BINS values top to bottom). An upright bust is narrow at the crown and wide
 * at the shoulders; upside down, the profile is reversed. Perspective and lens differ between the
 * preview and the pipeline's cameras, so shapes are compared by correlation, not pixel by pixel.
 */
import sharp from 'sharp';
import type { Page } from 'playwright-core';

export const PROFILE_BINS = 48;

export interface Foreground {
  /** Fraction of canvas pixels that are not background. */
  fraction: number;
  /** Row profile over the foreground's bounding box, top to bottom (PROFILE_BINS values in 0..1). */
  rows: number[];
  /** Foreground fraction in the top-left + top-right (bottom-left + bottom-right) quarter boxes of the bounding box. */
  topCorners: number;
  bottomCorners: number;
}

/** Row profile and corner fill of a mask (w*h, 1 = head), over its bounding box. */
export function maskProfile(mask: Uint8Array, width: number, height: number): Foreground {
  let x0 = width, y0 = height, x1 = -1, y1 = -1, count = 0;
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++)
      if (mask[y * width + x]) {
        count++;
        if (x < x0) x0 = x;
        if (x > x1) x1 = x;
        if (y < y0) y0 = y;
        if (y > y1) y1 = y;
      }
  if (count === 0) return { fraction: 0, rows: new Array<number>(PROFILE_BINS).fill(0), topCorners: 0, bottomCorners: 0 };
  const bw = x1 - x0 + 1;
  const bh = y1 - y0 + 1;
  const sums = new Array<number>(PROFILE_BINS).fill(0);
  const rowsIn = new Array<number>(PROFILE_BINS).fill(0);
  let top = 0, bottom = 0;
  const qw = Math.max(1, Math.floor(bw / 4));
  const qh = Math.max(1, Math.floor(bh / 4));
  for (let y = y0; y <= y1; y++) {
    const bin = Math.min(PROFILE_BINS - 1, Math.floor(((y - y0) / bh) * PROFILE_BINS));
    let row = 0;
    for (let x = x0; x <= x1; x++) {
      if (!mask[y * width + x]) continue;
      row++;
      const corner = x - x0 < qw || x1 - x < qw;
      if (corner && y - y0 < qh) top++;
      if (corner && y1 - y < qh) bottom++;
    }
    sums[bin] += row / bw;
    rowsIn[bin]++;
  }
  const area = 2 * qw * qh;
  return { fraction: count / (width * height), rows: sums.map((s, i) => (rowsIn[i] ? s / rowsIn[i] : 0)), topCorners: top / area, bottomCorners: bottom / area };
}

/** Pearson correlation of two profiles (1 = same shape). */
export function profileCorrelation(a: number[], b: number[]): number {
  const n = Math.min(a.length, b.length);
  const mean = (v: number[]): number => v.slice(0, n).reduce((s, x) => s + x, 0) / n;
  const ma = mean(a);
  const mb = mean(b);
  let ab = 0, aa = 0, bb = 0;
  for (let i = 0; i < n; i++) {
    ab += (a[i] - ma) * (b[i] - mb);
    aa += (a[i] - ma) ** 2;
    bb += (b[i] - mb) ** 2;
  }
  return aa > 0 && bb > 0 ? ab / Math.sqrt(aa * bb) : 0;
}

/** Row profile of an RGBA PNG's alpha (alpha >= 128 = head). */
export async function referenceProfile(pngPath: string): Promise<number[]> {
  const { data, info } = await sharp(pngPath).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  const mask = new Uint8Array(info.width * info.height);
  for (let p = 0; p < mask.length; p++) mask[p] = data[p * 4 + 3] >= 128 ? 1 : 0;
  return maskProfile(mask, info.width, info.height).rows;
}

/** The preview canvas's foreground (pixels differing from the background colour in the top-left corner). */
export async function canvasForeground(page: Page): Promise<Foreground> {
  const { mask, width, height } = await page.getByTestId('splat-canvas').evaluate(async (node) => {
    const canvas = node as HTMLCanvasElement;
    const img = new Image();
    img.src = canvas.toDataURL('image/png');
    await img.decode();
    const c = document.createElement('canvas');
    c.width = canvas.width;
    c.height = canvas.height;
    const ctx = c.getContext('2d') as CanvasRenderingContext2D;
    ctx.drawImage(img, 0, 0);
    const px = ctx.getImageData(0, 0, c.width, c.height).data;
    const out: number[] = new Array<number>(c.width * c.height);
    for (let i = 0, p = 0; i < px.length; i += 4, p++) {
      out[p] = Math.abs(px[i] - px[0]) + Math.abs(px[i + 1] - px[1]) + Math.abs(px[i + 2] - px[2]) > 24 ? 1 : 0;
    }
    return { mask: out, width: c.width, height: c.height };
  });
  return maskProfile(Uint8Array.from(mask), width, height);
}
