import { describe, expect, it } from 'vitest';
import { createRgba, type RgbaImage } from '../../src/shared/image';
import { alignBySilhouette, boxAlignment, compositeOnWhite, silhouetteBox, warpSimilarity } from '../../src/shared/metrics/alignment';
import { psnr, ssim } from '../../src/shared/metrics/image-metrics';
import { imageScores, summariseSubjects, summariseViews } from '../../src/engine/eval/view-scores';
import { PSNR_CAP_DB, type ViewScores } from '../../src/engine/eval/types';

/** A textured "head": an ellipse (centre cx, cy, radii rx, ry) with a colour pattern, transparent outside. */
function blob(size: number, cx: number, cy: number, rx: number, ry: number): RgbaImage {
  const img = createRgba(size, size);
  for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) {
    const u = (x + 0.5 - cx) / rx, v = (y + 0.5 - cy) / ry;
    if (u * u + v * v > 1) continue;
    // Smooth pattern in the blob's own coordinates, so a shifted/scaled blob carries the same picture.
    img.data.set([128 + 100 * Math.sin(3 * u), 128 + 100 * Math.cos(4 * v), 128 + 80 * Math.sin(2 * (u + v)), 255], (y * size + x) * 4);
  }
  return img;
}

describe('metrics on known values', () => {
  it('identical images: PSNR capped at 100 dB, SSIM 1, mask IoU 1', () => {
    const a = blob(64, 32, 32, 20, 26);
    const s = imageScores(a, a);
    expect(s.psnr).toBe(PSNR_CAP_DB);
    expect(s.ssim).toBeCloseTo(1, 10);
    expect(s.maskIoU).toBe(1);
  });

  it('a known noise level gives the closed-form PSNR (+-d per channel -> 20 log10(255/d))', () => {
    const a = createRgba(64, 64, [128, 128, 128, 255]);
    const b = createRgba(64, 64);
    for (let i = 0; i < b.data.length; i += 4) {
      const d = (i / 4) % 2 === 0 ? 8 : -8;
      b.data.set([128 + d, 128 + d, 128 + d, 255], i);
    }
    expect(imageScores(a, b).psnr).toBeCloseTo(20 * Math.log10(255 / 8), 6);
    // Flat x, checkerboard y with variance s^2 = (8/255)^2 and equal means:
    // SSIM = C2 / (s^2 + C2) with C2 = 0.03^2 (the window mean of the checkerboard is ~0).
    const s2 = (8 / 255) ** 2;
    expect(ssim(a, b)).toBeCloseTo(0.03 ** 2 / (s2 + 0.03 ** 2), 2);
  });

  it('a shifted and rescaled head is recovered by silhouette alignment', () => {
    const gt = blob(128, 64, 60, 30, 40);
    const moved = blob(128, 50, 72, 27, 36); // 0.9x, shifted by (-14, +12)
    const un = imageScores(gt, moved);
    const al = alignBySilhouette(moved, gt);
    expect(al.aligned).toBe(true);
    expect(al.transform.scale).toBeCloseTo(30 / 27, 1);
    const aligned = imageScores(gt, al.image);
    expect(un.maskIoU).toBeLessThan(0.6);
    expect(aligned.maskIoU).toBeGreaterThan(0.95);
    expect(aligned.psnr).toBeGreaterThan(un.psnr + 10);
    expect(aligned.psnr).toBeGreaterThan(25);
  });

  it('warp by the identity returns the image; a pure shift moves the silhouette box by the shift', () => {
    const a = blob(48, 20, 24, 10, 14);
    const same = warpSimilarity(a, { scale: 1, dx: 0, dy: 0 });
    expect(psnr(compositeOnWhite(same), compositeOnWhite(a))).toBe(Infinity);
    const shifted = warpSimilarity(a, { scale: 1, dx: 5, dy: -3 });
    const b0 = silhouetteBox(a)!, b1 = silhouetteBox(shifted)!;
    expect([b1.x0 - b0.x0, b1.y0 - b0.y0, b1.x1 - b0.x1, b1.y1 - b0.y1]).toEqual([5, -3, 5, -3]);
    expect(boxAlignment(b0, b1)).toEqual({ scale: 1, dx: 5, dy: -3 });
  });

  it('empty silhouettes are left unaligned, and bad transforms are refused', () => {
    const empty = createRgba(16, 16);
    const r = alignBySilhouette(empty, blob(16, 8, 8, 4, 4));
    expect(r.aligned).toBe(false);
    expect(() => warpSimilarity(empty, { scale: 0, dx: 0, dy: 0 })).toThrow(/invalid similarity/);
  });

  it('summaries: mean and population std across views; CSIM over the views that have it; across subjects of the means', () => {
    const v = (p: number, csim: number | null): ViewScores => ({
      label: 'x', unaligned: { psnr: p, ssim: 0.5, maskIoU: 0.9 }, aligned: { psnr: p + 1, ssim: 0.6, maskIoU: 0.95 },
      alignment: { scale: 1, dx: 0, dy: 0, applied: true }, csim,
    });
    const s = summariseViews([v(10, 0.8), v(20, null), v(30, 0.6)]);
    expect(s.unaligned.psnr.mean).toBeCloseTo(20, 10);
    expect(s.unaligned.psnr.std).toBeCloseTo(Math.sqrt(200 / 3), 10);
    expect(s.aligned.psnr.mean).toBeCloseTo(21, 10);
    expect(s.aligned.csim).toMatchObject({ n: 2 });
    expect(s.aligned.csim.mean).toBeCloseTo(0.7, 10);
    expect(s.aligned.lpips).toEqual({ mean: null, std: null, n: 0 });
    const o = summariseSubjects([{ summary: s }, { summary: summariseViews([v(40, null)]) }]);
    expect(o.unaligned.psnr.mean).toBeCloseTo(30, 10);
    expect(o.unaligned.csim.n).toBe(1);
  });
});
