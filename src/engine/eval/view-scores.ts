/**
 * Per-view scores of a head render against a ground-truth view, unaligned and after silhouette
 * bounding-box alignment, both composited on white (the paper's protocol), plus CSIM on the aligned
 * pair, and mean +- std summaries.
 */
import type { FaceAnalysis } from '../../shared/contracts/preprocess';
import { createRgba, type RgbaImage } from '../../shared/image';
import { alignBySilhouette, compositeOnWhite, type SilhouetteBox } from '../../shared/metrics/alignment';
import { maskIoU, meanStd, psnr, ssim } from '../../shared/metrics/image-metrics';
import { cosineSimilarity } from '../face';
import {
  PSNR_CAP_DB,
  type ImageScores,
  type MeanStd,
  type MetricSummary,
  type ViewScores,
  type ViewSummary,
} from './types';

export const LPIPS_NOTE = 'skipped: no LPIPS model pack installed';

export function imageScores(gt: RgbaImage, render: RgbaImage): ImageScores {
  const a = compositeOnWhite(gt);
  const b = compositeOnWhite(render);
  return { psnr: Math.min(PSNR_CAP_DB, psnr(a, b)), ssim: ssim(a, b), maskIoU: maskIoU(gt, render) };
}

/** The pixels of `img` inside `box` ([x0, x1) x [y0, y1), integers inside the image). */
export function cropRgba(img: RgbaImage, box: SilhouetteBox): RgbaImage {
  const w = box.x1 - box.x0,
    h = box.y1 - box.y0;
  const out = createRgba(w, h);
  for (let y = 0; y < h; y++) {
    const src = ((box.y0 + y) * img.width + box.x0) * 4;
    out.data.set(img.data.subarray(src, src + w * 4), y * w * 4);
  }
  return out;
}

export type FaceFn = (img: RgbaImage) => Promise<FaceAnalysis | null>;

export interface ScoredView {
  scores: ViewScores;
  /** The render after alignment (straight alpha), for the contact sheet. */
  alignedRender: RgbaImage;
}

/**
 * Score one view. `gtFace` is the GT view's face (computed once per subject; null = none). `frame`:
 * the part of the view the pipeline's own view frame covers (protocol.ts, pipelineFrameBox); scored
 * unaligned as `framed` when given (at least 11 px each way, SSIM's window).
 */
export async function scoreView(
  label: string,
  gt: RgbaImage,
  render: RgbaImage,
  gtFace: FaceAnalysis | null,
  detect: FaceFn,
  frame?: SilhouetteBox | null,
): Promise<ScoredView> {
  const unaligned = imageScores(gt, render);
  const framed =
    frame && frame.x1 - frame.x0 >= 11 && frame.y1 - frame.y0 >= 11
      ? { ...imageScores(cropRgba(gt, frame), cropRgba(render, frame)), box: { ...frame } }
      : undefined;
  const al = alignBySilhouette(render, gt);
  const aligned = imageScores(gt, al.image);
  let csim: number | null = null;
  let csimNote: string | undefined;
  if (!gtFace) csimNote = 'no face detected in the ground truth';
  else {
    const face = await detect(compositeOnWhite(al.image));
    if (!face) csimNote = 'no face detected in the head render';
    else if (face.embeddingModel !== gtFace.embeddingModel)
      csimNote = `embedding models differ (${face.embeddingModel} vs ${gtFace.embeddingModel})`;
    else csim = cosineSimilarity(face.embedding, gtFace.embedding);
  }
  return {
    scores: {
      label,
      unaligned,
      ...(framed ? { framed } : {}),
      aligned,
      alignment: { ...al.transform, applied: al.aligned },
      csim,
      ...(csimNote ? { csimNote } : {}),
    },
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

export function summariseViews(views: ViewScores[]): ViewSummary {
  const framed = views.filter((v) => v.framed);
  return {
    unaligned: summariseScores(views.map((v) => ({ scores: v.unaligned, csim: v.csim }))),
    ...(framed.length
      ? { framed: summariseScores(framed.map((v) => ({ scores: v.framed!, csim: v.csim }))) }
      : {}),
    aligned: summariseScores(views.map((v) => ({ scores: v.aligned, csim: v.csim }))),
  };
}

/** Across subjects: mean +- std of each subject's mean (Table 1 style). */
export function summariseSubjects(subjects: { summary: ViewSummary }[]): ViewSummary & { subjects: number } {
  const pick = (mode: 'unaligned' | 'aligned' | 'framed'): MetricSummary | null => {
    const have = subjects.filter((s) => s.summary[mode]);
    if (have.length === 0) return null;
    const keys = ['psnr', 'ssim', 'maskIoU', 'csim', 'lpips'] as const;
    const out = {} as MetricSummary;
    for (const k of keys) out[k] = summarise(have.map((s) => s.summary[mode]![k].mean));
    return out;
  };
  const framed = pick('framed');
  return {
    unaligned: pick('unaligned')!,
    ...(framed ? { framed } : {}),
    aligned: pick('aligned')!,
    subjects: subjects.length,
  };
}
