/**
 * Texture for unobserved surface by example: random patches of the portrait's own pixels (hair,
 * clothing, a hat) pasted over a target grid, so curls stay curls and cloth keeps its weave instead of
 * becoming a flat fill or synthetic noise.
 *
 * What is copied is each source pixel's residual, about the source's local mean (a box mean over the
 * source mask, radius PATCH/2: texture only, the low frequencies come from the caller's base colour and
 * no patch brings its lighting along) or about the mask's global mean (the source's whole colour
 * distribution, added to that mean). Residuals are clamped to CLAMP_SIGMA standard deviations. Overlapping patches (50% overlap, sin^2 windows that sum to 1) are blended with the
 * variance-preserving operator of Heitz & Neyret 2018 (sum w_i r_i / sqrt(sum w_i^2)): a plain
 * weighted mean of independent patches would wash the contrast out between patch centres.
 *
 * Layouts: image RGBA [CROP*CROP*4] (the 512 crop), source mask Uint8Array [CROP*CROP] (1 = usable);
 * target residual Float32Array [width*height*3], x wrapping (equirectangular atlas rows), y not.
 */
import type { RgbaImage } from '../../../shared/image';
import type { Rgb } from './hair-model';
import { hash3 } from './random';

/** Side of a square patch in target texels (and source pixels: one atlas texel is about one pixel). */
export const PATCH = 32;
/** A source window counts when at least this share of its pixels is in the source mask. */
const MIN_COVER = 0.85;
/** Fewer usable centres than this and the copies would repeat visibly: no texture at all. */
export const MIN_CENTRES = 200;
/** Residuals are clamped to this many standard deviations (an edge of the tie, a glint, stays out). */
const CLAMP_SIGMA = 2.5;

export interface PatchSource {
  /** Residual RGB about the local mean, [CROP*CROP*3] (0 outside the mask). */
  residual: Float32Array;
  /** Usable patch centres (pixel indices v * width + u); empty when the mask holds fewer than MIN_CENTRES. */
  centres: Int32Array;
  width: number;
  /** Mean RGB of the masked pixels (after weightByTypicality: the typicality-weighted mean of the windows). */
  mean: Rgb;
  /**
   * Running sum of the centres' sampling weights [centres.length] (weightByTypicality), or null for
   * uniform choice. A tile's centre is the first whose running sum exceeds hash * total.
   */
  cumulative: Float64Array | null;
}

/** Integral image of a [w*h] field: [(w+1)*(h+1)], S[y][x] = sum over rows < y, columns < x. */
function integral(field: Float32Array, w: number, h: number): Float64Array {
  const s = new Float64Array((w + 1) * (h + 1));
  for (let y = 0; y < h; y++) {
    let row = 0;
    for (let x = 0; x < w; x++) {
      row += field[y * w + x];
      s[(y + 1) * (w + 1) + x + 1] = s[y * (w + 1) + x + 1] + row;
    }
  }
  return s;
}

function boxSum(s: Float64Array, w: number, x0: number, y0: number, x1: number, y1: number): number {
  // Inclusive-exclusive box [x0, x1) x [y0, y1), already clamped.
  return s[y1 * (w + 1) + x1] - s[y0 * (w + 1) + x1] - s[y1 * (w + 1) + x0] + s[y0 * (w + 1) + x0];
}

/**
 * Residuals and usable centres of `mask` in `image` (both the same width x height). `about`:
 * 'local' takes each pixel's residual about the mask's mean within `meanRadius` (texture up to that
 * scale: clothing folds at PATCH/2; hair curls at a few patches, while a head's large-scale colour
 * regions - dark roots at a parting over silver lengths - stay out); 'global' about the mean of the
 * whole mask, so the patches bring the source's whole colour distribution.
 */
export function preparePatchSource(image: RgbaImage, mask: Uint8Array, about: 'local' | 'global' = 'local', meanRadius = PATCH >> 1): PatchSource {
  const { width: w, height: h, data } = image;
  if (mask.length !== w * h) throw new RangeError(`patch source mask must hold ${w * h} values, got ${mask.length}`);
  const m = new Float32Array(w * h);
  const ch = [0, 1, 2].map(() => new Float32Array(w * h));
  for (let i = 0; i < w * h; i++) {
    if (!mask[i]) continue;
    m[i] = 1;
    for (let c = 0; c < 3; c++) ch[c][i] = data[i * 4 + c];
  }
  const sm = integral(m, w, h);
  // Channel sums: per window for local residuals, over the whole mask for global ones.
  const sc = about === 'local' ? ch.map((f) => integral(f, w, h)) : null;
  const total = boxSum(sm, w, 0, 0, w, h);
  const globalMean = ch.map((f) => {
    let s = 0;
    for (let i = 0; i < w * h; i++) s += f[i];
    return total > 0 ? s / total : 0;
  });
  const half = PATCH >> 1;
  const residual = new Float32Array(w * h * 3);
  const centres: number[] = [];
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      const x0 = Math.max(0, x - half), x1 = Math.min(w, x + half);
      const y0 = Math.max(0, y - half), y1 = Math.min(h, y + half);
      const cnt = boxSum(sm, w, x0, y0, x1, y1);
      if (mask[i] && sc) {
        const mx0 = Math.max(0, x - meanRadius), mx1 = Math.min(w, x + meanRadius);
        const my0 = Math.max(0, y - meanRadius), my1 = Math.min(h, y + meanRadius);
        const mc = boxSum(sm, w, mx0, my0, mx1, my1);
        for (let c = 0; c < 3; c++) residual[i * 3 + c] = data[i * 4 + c] - boxSum(sc[c], w, mx0, my0, mx1, my1) / mc;
      } else if (mask[i]) {
        for (let c = 0; c < 3; c++) residual[i * 3 + c] = data[i * 4 + c] - globalMean[c];
      }
      // A centre needs its whole window inside the image and mostly inside the mask.
      if (x - half >= 0 && x + half <= w && y - half >= 0 && y + half <= h && cnt >= MIN_COVER * PATCH * PATCH) centres.push(i);
    }
  }
  // Clamp outliers (per channel, CLAMP_SIGMA x the residual's RMS over the mask).
  for (let c = 0; c < 3; c++) {
    let ss = 0, cnt = 0;
    for (let i = 0; i < w * h; i++) {
      if (!mask[i]) continue;
      ss += residual[i * 3 + c] ** 2;
      cnt++;
    }
    const lim = CLAMP_SIGMA * Math.sqrt(ss / Math.max(1, cnt));
    for (let i = 0; i < w * h; i++) residual[i * 3 + c] = Math.min(lim, Math.max(-lim, residual[i * 3 + c]));
  }
  return { residual, centres: centres.length >= MIN_CENTRES ? Int32Array.from(centres) : new Int32Array(0), width: w, mean: globalMean as Rgb, cumulative: null };
}

/**
 * Ratio of horizontal to vertical gradient energy of the residual's luminance over neighbouring mask
 * pixel pairs: about 1 for curls or cloth, well above 1 for straight hair hanging down (strands are
 * vertical, so the residual changes across them, not along them).
 */
export function verticalAnisotropy(src: PatchSource, mask: Uint8Array, height: number): number {
  const w = src.width;
  const lum = (i: number) => 0.299 * src.residual[i * 3] + 0.587 * src.residual[i * 3 + 1] + 0.114 * src.residual[i * 3 + 2];
  let ex = 0, ey = 0;
  for (let y = 0; y + 1 < height; y++) {
    for (let x = 0; x + 1 < w; x++) {
      const i = y * w + x;
      if (!mask[i]) continue;
      if (mask[i + 1]) ex += (lum(i + 1) - lum(i)) ** 2;
      if (mask[i + w]) ey += (lum(i + w) - lum(i)) ** 2;
    }
  }
  return ex / Math.max(1e-9, ey);
}

/**
 * Smooths the residual along y within the mask (box of 2 * radius + 1 rows, masked pixels only) and
 * rescales it to its former RMS: the spots where straight strands cross or part become streaks along
 * the strands, at the same contrast. Mutates and returns `src`.
 */
export function streakAlongY(src: PatchSource, mask: Uint8Array, height: number, radius: number): PatchSource {
  const w = src.width;
  const out = new Float32Array(src.residual.length);
  let ssIn = 0, ssOut = 0;
  for (let x = 0; x < w; x++) {
    for (let y = 0; y < height; y++) {
      const i = y * w + x;
      if (!mask[i]) continue;
      const acc = [0, 0, 0];
      let n = 0;
      for (let yy = Math.max(0, y - radius); yy <= Math.min(height - 1, y + radius); yy++) {
        const j = yy * w + x;
        if (!mask[j]) continue;
        for (let c = 0; c < 3; c++) acc[c] += src.residual[j * 3 + c];
        n++;
      }
      for (let c = 0; c < 3; c++) {
        out[i * 3 + c] = acc[c] / n;
        ssIn += src.residual[i * 3 + c] ** 2;
        ssOut += out[i * 3 + c] ** 2;
      }
    }
  }
  const k = ssOut > 0 ? Math.sqrt(ssIn / ssOut) : 1;
  for (let i = 0; i < out.length; i++) out[i] *= k;
  src.residual = out;
  return src;
}

/** Opponent coordinates of an RGB colour: luminance, red-blue, green-magenta (hair-model.ts's space). */
function opponent(r: number, g: number, b: number): [number, number, number] {
  return [(r + g + b) / 3, r - b, g - (r + b) / 2];
}

/** Where the colour distribution of the source is centred: its median, or its light side (see below). */
export type TypicalCentre = 'median' | 'light';

/**
 * Weights the source's centres by how typical their window's mean colour is of the masked pixels'
 * colour distribution: w = exp(-z^2 / 2), z the window mean's distance from the distribution's centre
 * in robust standard deviations (1.4826 x MAD per opponent axis, at least 6 units). The patches then
 * come mostly from the bulk of the hair (hq-0001's silver lengths) and rarely from its outliers (the
 * dark roots at the parting, a shadowed strand), and `mean` becomes the weighted mean of the windows,
 * the colour the copied residuals are added to.
 * centre 'light': luminance at the 75th percentile and chroma halved towards neutral: hair seen in
 * shadow (under a cap) is lighter and greyer where the light reaches it.
 * Mutates and returns `src`; a source without centres is returned unchanged.
 */
export function weightByTypicality(src: PatchSource, image: RgbaImage, mask: Uint8Array, centre: TypicalCentre = 'median'): PatchSource {
  const nc = src.centres.length;
  if (nc === 0) return src;
  const { width: w, height: h, data } = image;
  const axes = [0, 1, 2].map(() => [] as number[]);
  for (let i = 0; i < w * h; i++) {
    if (!mask[i]) continue;
    const o = opponent(data[i * 4], data[i * 4 + 1], data[i * 4 + 2]);
    for (let k = 0; k < 3; k++) axes[k].push(o[k]);
  }
  const sorted = axes.map((a) => Float32Array.from(a).sort());
  const quantile = (a: Float32Array, q: number) => a[Math.min(a.length - 1, Math.floor(q * a.length))];
  const med = sorted.map((a) => quantile(a, 0.5));
  const scale = sorted.map((a, k) => {
    const dev = Float32Array.from(a, (v) => Math.abs(v - med[k])).sort();
    return Math.max(6, 1.4826 * quantile(dev, 0.5));
  });
  const target = centre === 'light' ? [quantile(sorted[0], 0.75), med[1] * 0.5, med[2] * 0.5] : med;
  // Window sums of the masked channels (integral images) for each centre's mean colour.
  const m = new Float32Array(w * h);
  const ch = [0, 1, 2].map(() => new Float32Array(w * h));
  for (let i = 0; i < w * h; i++) {
    if (!mask[i]) continue;
    m[i] = 1;
    for (let c = 0; c < 3; c++) ch[c][i] = data[i * 4 + c];
  }
  const sm = integral(m, w, h);
  const sc = ch.map((f) => integral(f, w, h));
  const half = PATCH >> 1;
  const cumulative = new Float64Array(nc);
  const acc = [0, 0, 0];
  let total = 0;
  for (let k = 0; k < nc; k++) {
    const x = src.centres[k] % w, y = Math.floor(src.centres[k] / w);
    const cnt = boxSum(sm, w, x - half, y - half, x + half, y + half);
    const mean = sc.map((s) => boxSum(s, w, x - half, y - half, x + half, y + half) / cnt);
    const o = opponent(mean[0], mean[1], mean[2]);
    let z2 = 0;
    for (let a = 0; a < 3; a++) z2 += ((o[a] - target[a]) / scale[a]) ** 2;
    const wk = Math.exp(-0.5 * z2);
    total += wk;
    cumulative[k] = total;
    for (let c = 0; c < 3; c++) acc[c] += wk * mean[c];
  }
  // Every window atypical (underflow): keep the uniform choice rather than divide by zero.
  if (!(total > 1e-12)) return src;
  src.cumulative = cumulative;
  src.mean = acc.map((v) => v / total) as Rgb;
  return src;
}

/** Index into src.centres for a uniform draw u in [0, 1): uniform, or by the cumulative weights. */
export function pickCentre(src: PatchSource, u: number): number {
  const nc = src.centres.length;
  const cum = src.cumulative;
  if (!cum) return Math.min(nc - 1, Math.floor(u * nc));
  const t = u * cum[nc - 1];
  let lo = 0, hi = nc - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cum[mid] > t) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** sin^2 window over a patch [PATCH]: weights of two half-overlapping neighbours sum to 1. */
const WINDOW = Float32Array.from({ length: PATCH }, (_, k) => Math.sin((Math.PI * (k + 0.5)) / PATCH) ** 2);

/** Chance that a chained tile starts a new strand instead of continuing the one above it. */
const CHAIN_RESTART = 0.15;

/**
 * Source centre of every tile [tilesY][tilesX] (pixel indices), ty from -1. Uniform or weighted
 * (pickCentre) by hash(seed, tx, ty). `chainY`: a tile continues the source of the tile above it,
 * PATCH/2 rows further down, when that is a usable centre (except by chance CHAIN_RESTART), so
 * straight hair is copied as long strands rather than a patch-high dash per tile.
 */
export function tileCentres(src: PatchSource, tilesX: number, tilesY: number, seed: number, chainY: boolean): Int32Array[] {
  const stride = PATCH >> 1;
  const usable = chainY ? new Uint8Array(src.residual.length / 3) : null;
  if (usable) for (const c of src.centres) usable[c] = 1;
  const out: Int32Array[] = [];
  for (let ty = -1; ty < tilesY; ty++) {
    const row = new Int32Array(tilesX);
    const above = out.length > 0 ? out[out.length - 1] : null;
    for (let tx = 0; tx < tilesX; tx++) {
      const next = above ? above[tx] + stride * src.width : -1;
      row[tx] = usable && next >= 0 && next < usable.length && usable[next] && hash3(seed, tx, ty, 11) > CHAIN_RESTART ? next : src.centres[pickCentre(src, hash3(seed, tx, ty, 7))];
    }
    out.push(row);
  }
  return out;
}

/**
 * Residual texture for a [width x height] target: patches on a grid with stride PATCH/2, each copying
 * the residual around a source centre (tileCentres). `width` must be a multiple of PATCH/2 so the
 * tiling wraps seamlessly in x. Returns zeros when the source has no centres.
 */
export function synthesizeResidual(src: PatchSource, width: number, height: number, seed: number, chainY = false): Float32Array {
  const stride = PATCH >> 1;
  if (width % stride !== 0) throw new RangeError(`target width ${width} must be a multiple of ${stride}`);
  const out = new Float32Array(width * height * 3);
  const nc = src.centres.length;
  if (nc === 0) return out;
  const acc = new Float32Array(width * height * 3);
  const w2 = new Float32Array(width * height);
  const tilesX = width / stride;
  const tilesY = Math.ceil(height / stride) + 1;
  const half = PATCH >> 1;
  const centres = tileCentres(src, tilesX, tilesY, seed, chainY);
  for (let ty = -1; ty < tilesY; ty++) {
    for (let tx = 0; tx < tilesX; tx++) {
      const centre = centres[ty + 1][tx];
      const su0 = (centre % src.width) - half;
      const sv0 = Math.floor(centre / src.width) - half;
      const x0 = tx * stride;
      const y0 = ty * stride;
      for (let ky = 0; ky < PATCH; ky++) {
        const y = y0 + ky;
        if (y < 0 || y >= height) continue;
        const wy = WINDOW[ky];
        for (let kx = 0; kx < PATCH; kx++) {
          const x = (x0 + kx) % width;
          const wgt = wy * WINDOW[kx];
          const s = ((sv0 + ky) * src.width + su0 + kx) * 3;
          const o = y * width + x;
          acc[o * 3] += wgt * src.residual[s];
          acc[o * 3 + 1] += wgt * src.residual[s + 1];
          acc[o * 3 + 2] += wgt * src.residual[s + 2];
          w2[o] += wgt * wgt;
        }
      }
    }
  }
  for (let o = 0; o < width * height; o++) {
    if (w2[o] <= 0) continue;
    const k = 1 / Math.sqrt(w2[o]);
    out[o * 3] = acc[o * 3] * k;
    out[o * 3 + 1] = acc[o * 3 + 1] * k;
    out[o * 3 + 2] = acc[o * 3 + 2] * k;
  }
  return out;
}
