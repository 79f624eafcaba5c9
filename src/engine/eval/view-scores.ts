/**
 * Per-view scores of a head render against a ground-truth view, unaligned and after silhouette
 * bounding-box alignment, both composited on white (the paper's protocol), plus CSIM on the aligned
 * pair, and mean +- std summaries.
 */
import type { FaceAnalysis } from '../../shared/contracts/preprocess';
import type { RgbaImage } from '../../shared/image';
import { alignBySilhouette, compositeOnWhite } from '../../shared/metrics/alignment';
import { maskIoU, meanStd, psnr, ssim } from '../../shared/metrics/image-metrics';
import { cosineSimilarity } from '../face';
import { PSNR_CAP_DB, type ImageScores, type MeanStd, type MetricSummary, type ViewScores } from './types';

export const LPIPS_NOTE = 'skipped: no LPIPS model pack installed';

export function imageScores(gt: RgbaImage, render: RgbaImage): ImageScores {
  const a = compositeOnWhite(gt);
  const b = compositeOnWhite(render);
  return { psnr: Math.min(PSNR_CAP_DB, psnr(a, b)), ssim: ssim(a, b), maskIoU: maskIoU(gt, render) };
}

export type FaceFn = (img: RgbaImage) => Promise<FaceAnalysis | null>;

export interface ScoredView {
  scores: ViewScores;
  /** The render after alignment (straight alpha), for the contact sheet. */
  alignedRender: RgbaImage;
}

/** Score one view. `gtFace` is the GT view's face (computed once per subject; null = none). */
export async function scoreView(label: string, gt: RgbaImage, render: RgbaImage, gtFace: FaceAnalysis | null, detect: FaceFn): Promise<ScoredView> {
  const unaligned = imageScores(gt, render);
  const al = alignBySilhouette(render, gt);
  const aligned = imageScores(gt, al.image);
  let csim: number | null = null;
  let csimNote: string | undefined;
  if (!gtFace) csimNote = 'no face detected in the ground truth';
  else {
    const face = await detect(compositeOnWhite(al.image));
    if (!face) csimNote = 'no face detected in the head render';
    else if (face.embeddingModel !== gtFace.embeddingModel) csimNote = `embedding models differ (${face.embeddingModel} vs ${gtFace.embeddingModel})`;
    else csim = cosineSimilarity(face.embedding, gtFace.embedding);
  }
  return {
    scores: { label, unaligned, aligned, alignment: { ...al.transform, applied: al.aligned }, csim, ...(csimNote ? { csimNote } : {}) },
    alignedRender: al.image,
  };
}

function summarise(values: (number | null)[]): MeanStd {
  const r = meanStd(values.filter((v): v is number => v !== null));
  return r.n === 0 ? { mean: null, std: null, n: 0 } : { mean: r.mean, std: r.std, n: r.n };
}

/** Mean +- std across views (or across subjects' means) of each metric, for one alignment mode. */
export function summariseScores(rows: { scores: ImageScores; csim: number | null }[]): MetricSummary {
  return {
    psnr: summarise(rows.map((r) => r.scores.psnr)),
    ssim: summarise(rows.map((r) => r.scores.ssim)),
    maskIoU: summarise(rows.map((r) => r.scores.maskIoU)),
    csim: summarise(rows.map((r) => r.csim)),
    lpips: { mean: null, std: null, n: 0 },
  };
}

export function summariseViews(views: ViewScores[]): { unaligned: MetricSummary; aligned: MetricSummary } {
  return {
    unaligned: summariseScores(views.map((v) => ({ scores: v.unaligned, csim: v.csim }))),
    aligned: summariseScores(views.map((v) => ({ scores: v.aligned, csim: v.csim }))),
  };
}

/** Across subjects: mean +- std of each subject's mean (Table 1 style). */
export function summariseSubjects(subjects: { summary: { unaligned: MetricSummary; aligned: MetricSummary } }[]) {
  const pick = (mode: 'unaligned' | 'aligned'): MetricSummary => {
    const keys = ['psnr', 'ssim', 'maskIoU', 'csim', 'lpips'] as const;
    const out = {} as MetricSummary;
    for (const k of keys) out[k] = summarise(subjects.map((s) => s.summary[mode][k].mean));
    return out;
  };
  return { unaligned: pick('unaligned'), aligned: pick('aligned'), subjects: subjects.length };
}
