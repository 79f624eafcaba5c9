/**
 * Animation export: camera path (+ optional expression track) -> frames rendered natively ->
 * MP4 (H.264) / WebM (VP9) through headless Chromium's WebCodecs, GIF or a PNG sequence.
 * The same pure path/rig code (src/shared/animation) drives the studio's in-renderer export.
 */
import fs from 'node:fs';
import path from 'node:path';
import {
  addMouthCavity,
  deformCloud,
  expressionAt,
  frameCount as countFrames,
  pathCameras,
  prepareRig,
  type CameraPathSpec,
  type ExpressionTrack,
  type FaceAnchors,
} from '../../shared/animation';
import type { GaussianCloud } from '../../shared/gaussians/cloud';
import { encodeVideoInChromium } from './chromium-encoder';
import { frameProducer } from './render-frames';
import { encodeGif, writePngSequence } from './still-encoders';
import { writeFileAtomic } from '../run-folder/atomic-write';

export const ANIMATION_FORMATS = ['mp4', 'webm', 'gif', 'png'] as const;
export type AnimationFormat = (typeof ANIMATION_FORMATS)[number];

export interface AnimationExportOptions {
  format: AnimationFormat;
  /** Output file (mp4, webm, gif) or directory (png sequence). */
  out: string;
  path: CameraPathSpec;
  durationS: number;
  fps: number;
  width: number;
  height: number;
  /** sRGB [0, 1]; default white. Ignored for transparent output. */
  background?: [number, number, number];
  /** Transparent background: default true for png, false for gif; not possible for mp4/webm. */
  transparent?: boolean;
  /** Expression animation on top of the camera path. */
  expression?: { anchors: FaceAnchors; track: ExpressionTrack; mouthCavity?: boolean };
  /**
   * The head for each frame (frame index, its time in seconds), e.g. a run's splats bound to its fitted
   * head and posed by an ARKit take; replaces `expression` when given.
   */
  frameCloud?: (frame: number, timeS: number) => GaussianCloud;
  /** Called as frames finish (rendered and encoded). */
  onProgress?: (done: number, total: number) => void;
  signal?: AbortSignal;
  chromiumPath?: string;
}

export interface AnimationExportResult {
  format: AnimationFormat;
  /** The written file, or every frame file for a PNG sequence. */
  files: string[];
  frameCount: number;
  bytes: number;
  /** Wall time of the whole export and the part of it spent rendering frames (render overlaps encode for video). */
  wallMs: number;
  renderMs: number;
}

export async function exportAnimation(
  cloud: GaussianCloud,
  opts: AnimationExportOptions,
): Promise<AnimationExportResult> {
  if (!(ANIMATION_FORMATS as readonly string[]).includes(opts.format)) {
    throw new RangeError(
      `unknown animation format "${opts.format}" (expected ${ANIMATION_FORMATS.join(', ')})`,
    );
  }
  const isVideo = opts.format === 'mp4' || opts.format === 'webm';
  const transparent = opts.transparent ?? opts.format === 'png';
  if (isVideo && transparent)
    throw new RangeError(
      `${opts.format} has no transparency here; use png (or gif) for a transparent background`,
    );
  const t0 = performance.now();
  const timing = { durationS: opts.durationS, fps: opts.fps };
  const n = countFrames(timing);
  const cameras = pathCameras(opts.path, timing, { width: opts.width, height: opts.height });

  let cloudAt: ((i: number) => GaussianCloud) | undefined;
  if (opts.expression) {
    const rig = prepareRig(opts.expression.anchors);
    const base =
      opts.expression.mouthCavity === false ? { cloud, frozenFrom: cloud.count } : addMouthCavity(cloud, rig);
    const { track } = opts.expression;
    cloudAt = (i) =>
      deformCloud(
        base.cloud,
        rig,
        expressionAt(track, (i / n) * opts.durationS, opts.durationS),
        base.frozenFrom,
      );
  }
  if (opts.frameCloud) {
    const at = opts.frameCloud;
    cloudAt = (i) => at(i, i / opts.fps);
  }
  const stats = { renderMs: 0, frames: 0 };
  const produce = frameProducer(cloud, { cameras, cloudAt, background: opts.background, transparent, stats });
  const common = { frameCount: n, onProgress: opts.onProgress, signal: opts.signal };

  let files: string[];
  let bytes: number;
  if (opts.format === 'png') {
    files = await writePngSequence(produce, opts.out, common);
    bytes = files.reduce((acc, f) => acc + fs.statSync(f).size, 0);
  } else {
    const data =
      opts.format === 'gif'
        ? await encodeGif(produce, { ...common, fps: opts.fps })
        : await encodeVideoInChromium(produce, {
            ...common,
            container: opts.format,
            width: opts.width,
            height: opts.height,
            fps: opts.fps,
            chromiumPath: opts.chromiumPath,
          });
    fs.mkdirSync(path.dirname(path.resolve(opts.out)), { recursive: true });
    await writeFileAtomic(opts.out, data); // an existing file is replaced whole or kept, never truncated
    files = [opts.out];
    bytes = data.length;
  }
  return {
    format: opts.format,
    files,
    frameCount: n,
    bytes,
    wallMs: performance.now() - t0,
    renderMs: stats.renderMs,
  };
}
