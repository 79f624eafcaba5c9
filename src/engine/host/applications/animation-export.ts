/**
 * Animation export for the studio: a finished run's head along a camera path (plus an optional
 * expression pulse from the landmark rig) -> MP4 (H.264) / WebM (VP9) through headless Chromium's
 * WebCodecs + mediabunny, GIF, or a PNG sequence (zipped, so it is one download). The engine half of
 * `headforge animate` (src/engine/animation), driven from a StudioApi request. The file is written
 * under a hidden temporary name in the run's exports/ folder and renamed when complete, so a cancelled
 * or failed export leaves nothing behind.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { zipSync } from 'fflate';
import type { CameraPathSpec } from '../../../shared/animation';
import type { AnimationRequest } from '../../../shared/contracts/studio-api';
import { StudioError } from '../../../shared/rpc/errors';
import { parseHexColor } from '../../../shared/stylize';
import { exportAnimation, sequenceFrameName } from '../../animation';
import { loadRunHead } from '../../frontal';
import { writeFileAtomic } from '../../pipeline/run-files';
import { runFaceAnchors } from './run-anchors';
import { loadBoundHead } from '../../animation/load-bound-head';
import { describeTake, takeFrameCloud } from '../../animation/take-frames';
import { ArkitCsvError, parseArkitCsv, type ArkitTake } from '../../../shared/animation/arkit-csv';
import { PRESET_BLENDS, scaledBlend } from '../../../shared/animation/arkit-presets';
import type { GaussianCloud } from '../../../shared/gaussians/cloud';

const EXTENSION: Record<AnimationRequest['format'], string> = {
  mp4: '.mp4',
  webm: '.webm',
  gif: '.gif',
  png: '.zip',
};

/**
 * File name for a request: says what it holds; the time stamp (to the second) and a short random tag
 * keep earlier exports, even two started in the same second.
 */
export function animationFileName(req: AnimationRequest, now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:T]/g, '').slice(0, 14);
  const tag = randomBytes(2).toString('hex');
  const expr = req.arkitCsv ? '-arkit' : req.expression === 'none' ? '' : `-${req.expression}`;
  return `animation-${req.path.kind}${expr}-${req.size}px-${stamp}-${tag}${EXTENSION[req.format]}`;
}

/** The request's camera path at the run's lens (fovy), so the head is framed like its views. */
export function cameraPathFor(req: AnimationRequest, fovyDeg: number): CameraPathSpec {
  const p = req.path;
  switch (p.kind) {
    case 'turntable':
      return { kind: 'turntable', elevationDeg: p.elevationDeg ?? 0, fovyDeg };
    case 'orbit':
      return { kind: 'orbit', fovyDeg };
    case 'nod':
      return { kind: 'nod', elevationDeg: p.elevationDeg ?? 0, fovyDeg };
    case 'keyframes':
      if (!p.keyframes?.length) throw new StudioError('BAD_REQUEST', 'a keyframes path needs keyframes');
      return { kind: 'keyframes', keyframes: p.keyframes, fovyDeg };
  }
}

/** The request's ARKit take, parsed (null without one); a bad take is BAD_REQUEST naming what is wrong. */
export function requestTake(req: AnimationRequest): ArkitTake | null {
  if (!req.arkitCsv) return null;
  try {
    return parseArkitCsv(req.arkitCsv);
  } catch (err) {
    if (err instanceof ArkitCsvError) throw new StudioError('BAD_REQUEST', `ARKit take: ${err.message}`);
    throw err;
  }
}

export interface AnimationJobIo {
  signal: AbortSignal;
  progress(fraction: number, message: string): void;
  log(message: string): void;
}

/** Render and encode; resolves with the bytes written at `exportsDir/fileName`. */
export async function runAnimationExport(
  runDir: string,
  exportsDir: string,
  fileName: string,
  req: AnimationRequest,
  io: AnimationJobIo,
): Promise<number> {
  const { cloud, fovyDeg } = await loadRunHead(runDir);
  const transparent = req.background === 'transparent';
  const background = transparent ? undefined : parseHexColor(req.background);
  let expression;
  let frameCloud: ((frame: number, timeS: number) => GaussianCloud) | undefined;
  const take = requestTake(req);
  if (take) {
    // A take needs the splats bound to the fitted head (no landmark-rig fallback: it drives 52 shapes).
    const bound = await loadBoundHead(runDir, cloud);
    io.log(`ARKit take: ${take.frameCount} frames; drives ${describeTake(take)}`);
    frameCloud = takeFrameCloud(bound, take);
  } else if (req.expression !== 'none') {
    // A run with a fitted head model: its splats bound to the model's triangles, posed by the model's
    // expression shapes (teeth and mouth, closing lids). Otherwise the landmark rig.
    const bound = await loadBoundHead(runDir, cloud).catch((err: unknown) => {
      io.log(`expression: landmark rig (${err instanceof Error ? err.message : String(err)})`);
      return null;
    });
    if (bound) {
      io.log(
        `expression: splats bound to the fitted head (${bound.stats.bound} of ${bound.stats.gaussians})`,
      );
      const blend = PRESET_BLENDS[req.expression];
      // One 0 -> 1 -> 0 pulse over the clip, as the landmark rig's preset track.
      frameCloud = (_f, t) =>
        bound.frame(scaledBlend(blend, Math.sin((Math.PI * t) / req.durationS) ** 2)).cloud;
    } else {
      io.progress(0, 'finding the face on the head');
      const { anchors, source } = await runFaceAnchors(runDir, cloud, fovyDeg);
      io.log(`expression anchors: ${source}`);
      expression = { anchors, track: { kind: 'pulse' as const, expressions: [req.expression] } };
    }
  }
  io.signal.throwIfAborted();
  await fs.mkdir(exportsDir, { recursive: true });
  const temp = path.join(exportsDir, `.partial-${fileName}${req.format === 'png' ? '.d' : ''}`);
  const final = path.join(exportsDir, fileName);
  try {
    const res = await exportAnimation(cloud, {
      format: req.format,
      out: temp,
      path: cameraPathFor(req, fovyDeg),
      durationS: req.durationS,
      fps: req.fps,
      width: req.size,
      height: req.size,
      background,
      transparent,
      expression,
      frameCloud,
      signal: io.signal,
      onProgress: (done, total) => io.progress(done / total, `frame ${done} of ${total}`),
    });
    io.log(
      `animation ${fileName}: ${res.frameCount} frames, ${(res.wallMs / 1000).toFixed(1)} s (rendering ${(res.renderMs / 1000).toFixed(1)} s)`,
    );
    if (req.format === 'png') {
      // PNGs are already deflated: store them (level 0), one folder inside the zip.
      const entries: Record<string, Uint8Array> = {};
      const folder = fileName.replace(/\.zip$/, '');
      for (let i = 0; i < res.frameCount; i++)
        entries[`${folder}/${sequenceFrameName(i)}`] = new Uint8Array(
          await fs.readFile(path.join(temp, sequenceFrameName(i))),
        );
      const zip = zipSync(entries, { level: 0 });
      await writeFileAtomic(final, zip);
      return zip.byteLength;
    }
    await fs.rename(temp, final);
    return res.bytes;
  } catch (err) {
    if (err instanceof RangeError) throw new StudioError('BAD_REQUEST', err.message);
    throw err;
  } finally {
    await fs.rm(temp, { recursive: true, force: true });
  }
}
