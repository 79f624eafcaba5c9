/**
 * Scores the optimised head against the 16 target views: renders it at the same cameras, composites
 * both on white, and measures PSNR/SSIM per view (the run's reconstruction fidelity), plus the identity
 * similarity of the front render to the input portrait when a face is found in both.
 */
import type { RasterCamera } from '../../shared/camera';
import type { PreprocessResult } from '../../shared/contracts/preprocess';
import type { GaussianCloud } from '../../shared/gaussians/cloud';
import type { RgbaImage } from '../../shared/image';
import { compositeOnWhite } from '../../shared/metrics/alignment';
import { psnr, ssim } from '../../shared/metrics/image-metrics';
import { StudioError } from '../../shared/rpc/errors';
import { analyzeFace, cosineSimilarity } from '../face';
import { renderCloudAsync, toRgba8 } from '../raster';

export interface HeadEvaluation {
  /** Renders with straight alpha at the 16 cameras. */
  renders: RgbaImage[];
  perViewPsnr: number[];
  perViewSsim: number[];
  meanPsnr: number;
  /** Cosine similarity of face embeddings: input portrait vs the azimuth-0 render; null without a face in either. */
  identitySimilarity: number | null;
}

export async function evaluateHead(args: {
  cloud: GaussianCloud;
  views: RgbaImage[];
  cameras: RasterCamera[];
  pre: PreprocessResult;
  signal: AbortSignal;
}): Promise<HeadEvaluation> {
  const renders: RgbaImage[] = [];
  const perViewPsnr: number[] = [];
  const perViewSsim: number[] = [];
  for (let i = 0; i < args.cameras.length; i++) {
    if (args.signal.aborted) throw new StudioError('CANCELLED', 'run cancelled');
    const view = await renderCloudAsync(args.cloud, args.cameras[i], { background: [1, 1, 1] });
    const opaque = toRgba8(view, { opaque: true });
    renders.push(toRgba8(view));
    const target = compositeOnWhite(args.views[i]);
    perViewPsnr.push(psnr(opaque, target));
    perViewSsim.push(ssim(opaque, target));
  }
  const meanPsnr = perViewPsnr.reduce((s, x) => s + Math.min(x, 100), 0) / perViewPsnr.length;
  let identitySimilarity: number | null = null;
  if (args.pre.face) {
    // The head's front render is at the run's view size; upscale is handled by the face model's own resize.
    const face = await analyzeFace(compositeOnWhite(renders[0]));
    if (face && face.embeddingModel === args.pre.face.embeddingModel) {
      identitySimilarity = cosineSimilarity(face.embedding, args.pre.face.embedding);
    }
  }
  return { renders, perViewPsnr, perViewSsim, meanPsnr, identitySimilarity };
}
