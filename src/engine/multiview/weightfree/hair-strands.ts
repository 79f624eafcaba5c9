/**
 * Hair the portrait never showed, as strands flowing from the crown.
 *
 * The head's atlas rows run from the crown (row 0) down to the neck along meridians, so a texture
 * smoothed along atlas columns is a set of strands that radiate from the crown and fall down the back
 * and sides: the way hair grows and lies, whatever the cut. Patches of the portrait's hair copied onto
 * the back (patch-synthesis.ts) bring its texture but also its clumps, partings and shadows, which
 * tiled over the back read as a stone or camouflage print; here they become:
 *   1. detail only: the copied residual minus its own local mean over BLOTCH_RADIUS texels (the
 *      clumps and shadows, larger than a strand, stay out; the low frequencies are the caller's);
 *   2. strands: that detail smoothed along the atlas columns over 2 * streak + 1 rows, the streak
 *      length set by how coherent the visible hair's strands are (hairStrandCoherence: combed, straight
 *      or short hair has long strands, curls stay curls);
 *   3. the visible hair's level of detail: rescaled to the RMS of the portrait's own hair detail up
 *      to CONTRAST_RADIUS (a fine grey crop stays fine, dark curls keep their contrast).
 * Buffers: residual [width*height*3] RGB deviations about 0, x wrapping (equirectangular rows).
 */
import type { RgbaImage } from '../../../shared/image';
import { boxMean } from '../../preprocess/guided-filter';
import { boxMeanWrapX } from './atlas-box';

/**
 * Texels (about portrait pixels) above which texture is a clump or shadow, not a strand or a curl. At 8
 * the copies kept 8-px dashes, a leopard print on the back of a short grey crop; at 3 an afro's curls
 * were gone (a flat dark cap).
 */
export const BLOTCH_RADIUS = 5;
/**
 * Radius (texels) up to which the visible hair's texture sets the strands' contrast: curls and the
 * gaps between them are a few strands wide (an afro's back with the contrast of its single strands
 * was a flat dark cap).
 */
export const CONTRAST_RADIUS = 8;
/** Longest strand smoothing radius (rows) for perfectly coherent hair. */
export const MAX_STREAK = 14;
/** Coherence below which the hair is curls or frizz (no streaks), and at which streaks are full. */
const COHERENCE_CURLS = 0.25;
const COHERENCE_STRAIGHT = 0.6;

function rms(f: Float32Array): number {
  let s = 0;
  for (let i = 0; i < f.length; i++) s += f[i] * f[i];
  return Math.sqrt(s / Math.max(1, f.length));
}

/**
 * Strands from the copied hair residual (see the file comment). `streak`: smoothing radius in rows
 * (strandStreak); `targetRms`: the visible hair's detail RMS per channel value (hairDetailRms), or
 * null to keep the detail's own.
 */
export function strandsFromResidual(
  residual: Float32Array,
  width: number,
  height: number,
  streak: number,
  targetRms: number | null,
): Float32Array {
  const low = boxMeanWrapX(residual, width, height, BLOTCH_RADIUS, BLOTCH_RADIUS);
  const detail = new Float32Array(residual.length);
  for (let i = 0; i < residual.length; i++) detail[i] = residual[i] - low[i];
  const before = rms(detail);
  const strands = streak > 0 ? boxMeanWrapX(detail, width, height, 0, Math.round(streak)) : detail;
  const after = rms(strands);
  const k = after > 1e-6 ? (targetRms ?? before) / after : 0;
  for (let i = 0; i < strands.length; i++) strands[i] *= k;
  return strands;
}

/** Luminance [w*h] of an RGBA image. */
function luminance(img: RgbaImage): Float32Array {
  const n = img.width * img.height;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++)
    out[i] = 0.299 * img.data[i * 4] + 0.587 * img.data[i * 4 + 1] + 0.114 * img.data[i * 4 + 2];
  return out;
}

/**
 * How aligned the visible hair's strands are, 0..1: the structure tensor's coherence
 * ((l1 - l2) / (l1 + l2)) of the luminance gradients inside the mask, each tensor summed over a 9x9
 * window, averaged over the windows (every other pixel) of the mask (unweighted: weighting by gradient
 * energy let a few high-contrast edges decide). Straight or combed hair ~0.5-0.8, curls
 * and frizz ~0.2. Returns 0 for an empty mask.
 */
export function hairStrandCoherence(img: RgbaImage, mask: Uint8Array): number {
  const { width: w, height: h } = img;
  const lum = luminance(img);
  const R = 4;
  const jxx = new Float32Array(w * h), jyy = new Float32Array(w * h), jxy = new Float32Array(w * h);
  for (let y = 1; y + 1 < h; y++) {
    for (let x = 1; x + 1 < w; x++) {
      const i = y * w + x;
      // Central differences inside the mask only: the hair's outline against the background or the
      // forehead is one long edge that would read as perfectly coherent strands.
      if (!mask[i] || !mask[i - 1] || !mask[i + 1] || !mask[i - w] || !mask[i + w]) continue;
      const gx = (lum[i + 1] - lum[i - 1]) / 2, gy = (lum[i + w] - lum[i - w]) / 2;
      jxx[i] = gx * gx;
      jyy[i] = gy * gy;
      jxy[i] = gx * gy;
    }
  }
  let num = 0, den = 0;
  for (let y = R; y + R < h; y += 2) {
    for (let x = R; x + R < w; x += 2) {
      if (!mask[y * w + x]) continue;
      let a = 0, b = 0, c = 0;
      for (let dy = -R; dy <= R; dy++) {
        for (let dx = -R; dx <= R; dx++) {
          const j = (y + dy) * w + x + dx;
          a += jxx[j];
          b += jyy[j];
          c += jxy[j];
        }
      }
      const tr = a + b;
      if (tr <= 1e-6) continue;
      const coh = Math.sqrt((a - b) ** 2 + 4 * c * c) / tr;
      num += coh;
      den += 1;
    }
  }
  return den > 0 ? num / den : 0;
}

/** Strand smoothing radius (rows) for a coherence: none for curls, MAX_STREAK for straight hair. */
export function strandStreak(coherence: number): number {
  const t = Math.min(1, Math.max(0, (coherence - COHERENCE_CURLS) / (COHERENCE_STRAIGHT - COHERENCE_CURLS)));
  return t * MAX_STREAK;
}

/**
 * RMS (per channel value) of the visible hair's detail at the strands' scale: each masked pixel's
 * deviation from the mean of the masked pixels within BLOTCH_RADIUS, clamped at 2.5 RMS (glints).
 * 0 for an empty mask.
 */
export function hairDetailRms(img: RgbaImage, mask: Uint8Array, radius = BLOTCH_RADIUS): number {
  const { width: w, height: h, data } = img;
  const n = w * h;
  // Masked local mean = box(channel * mask) / box(mask), the portrait's window clipped at its edges.
  const inMask = Float32Array.from(mask, (v) => (v ? 1 : 0));
  const count = boxMean(inMask, w, h, radius);
  const means = [0, 1, 2].map((c) =>
    boxMean(Float32Array.from({ length: n }, (_, i) => (mask[i] ? data[i * 4 + c] : 0)), w, h, radius),
  );
  const dev: number[] = [];
  for (let i = 0; i < n; i++) {
    if (!mask[i] || !(count[i] > 0)) continue;
    for (let c = 0; c < 3; c++) dev.push(data[i * 4 + c] - means[c][i] / count[i]);
  }
  if (dev.length === 0) return 0;
  let s = 0;
  for (const d of dev) s += d * d;
  const lim = 2.5 * Math.sqrt(s / dev.length);
  s = 0;
  for (const d of dev) s += Math.min(lim, Math.abs(d)) ** 2;
  return Math.sqrt(s / dev.length);
}
