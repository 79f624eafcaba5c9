/**
 * Make one head of a batch: the generate pipeline (src/engine/pipeline/generate.ts, the call
 * `headforge generate` makes) into a local working folder, then a thumbnail of the portrait, the
 * engine exports, head.json; then the batch's storage publishes it (storage/: one rename in a folder,
 * head.json last in a bucket). So heads/<id>/ is either absent or complete, whoever made it: a worker
 * killed mid-head leaves only its working folder (cleared by the next attempt), and a second worker
 * finishing the same head finds it published and drops its own copy (the head arrives once).
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { exportSplat } from '../export/export-splat';
import { writeFileAtomic, writeJsonAtomic } from '../pipeline/run-files';
import { decodeSplat, extensionFor } from '../../shared/splat';
import { isStudioError } from '../../shared/rpc/errors';
import { findFaceInPortrait } from '../projects/face-check';
import { failedHead, headResult, readFinishedHead } from './head-result';
import { headFileKey, HEAD_RESULT_FILE, type BatchStorage } from './storage/batch-storage';
import type { HeadExport, HeadResult, HeadSpec } from './types';

/** Render indices in the 16-view order (azimuths 0, ..., 83.5 at 5, 180 at 8): front, side, back. */
const FRONT = 0;
const SIDE = 5;
const BACK = 8;

export interface RunHeadOptions {
  signal: AbortSignal;
  /** Overall fraction 0..1 of this head and the pipeline's stage name. */
  progress?(stage: string, fraction: number): void;
  log?(message: string): void;
  /**
   * The head model to fit (batch/worker --head-model), handed to the pipeline as generate does;
   * absent: $HEADFORGE_HEAD_MODEL, else the installed one. Never written to the environment.
   */
  headModelDir?: string;
}

export function workerName(): string {
  return `${os.hostname()}:${process.pid}`;
}

export async function runHead(
  spec: HeadSpec,
  storage: BatchStorage,
  opts: RunHeadOptions,
): Promise<HeadResult> {
  const t0 = performance.now();
  const finished = await readFinishedHead(storage, spec);
  if (finished) return { ...finished, resumed: true };
  const failed = (error: string, badInput: boolean): HeadResult =>
    failedHead(spec, error, { badInput, seconds: secondsSince(t0), worker: workerName() });
  const tmp = await storage.headWorkDir(spec.id);
  let input;
  try {
    input = await storage.localCopy(spec.input);
  } catch (err) {
    return failed((err as Error).message, false);
  }
  try {
    // A portrait without a face would give a head of something else: refuse it as the studio warns.
    if ((await findFaceInPortrait(new Uint8Array(await fs.readFile(input.path)))) === false)
      return failed('no face found in the portrait', true);
    // Loaded on the first head only: a batch that resumes everything never pays for the pipeline's imports.
    const { runGenerate } = await import('../pipeline/generate');
    const outputs = await runGenerate({
      projectDir: tmp,
      runDir: tmp,
      inputPath: input.path,
      ...(opts.headModelDir !== undefined ? { headModelDir: opts.headModelDir } : {}),
      settings: {
        elevationDeg: spec.settings.elevationDeg,
        seed: spec.seed,
        quality: spec.settings.quality,
        backend: spec.settings.backend,
        ...(spec.settings.steps !== undefined ? { steps: spec.settings.steps } : {}),
      },
      signal: opts.signal,
      progress: (stage, fraction) => opts.progress?.(stage, fraction),
      preview: () => undefined,
      log: (m) => opts.log?.(m),
    });
    await writeThumbnail(input.path, path.join(tmp, 'portrait.jpg'));
    const exports = await writeExports(tmp, spec);
    const rel = (f: string): string => headFileKey(spec.id, f);
    const result = headResult(spec, {
      state: 'done',
      seconds: secondsSince(t0),
      worker: workerName(),
      warnings: outputs.warnings,
      ...(outputs.metrics.meanPsnr !== undefined ? { meanPsnr: outputs.metrics.meanPsnr } : {}),
      ...(outputs.metrics.identitySimilarity !== undefined
        ? { csim: outputs.metrics.identitySimilarity }
        : {}),
      ...(outputs.metrics.gaussians !== undefined ? { gaussians: outputs.metrics.gaussians } : {}),
      files: {
        folder: rel(''),
        headPly: rel('head.ply'),
        portrait: rel('portrait.jpg'),
        front: rel(outputs.renders[FRONT]),
        side: rel(outputs.renders[SIDE]),
        back: rel(outputs.renders[BACK]),
        exports: exports.map((e) => ({ ...e, file: rel(e.file) })),
      },
    });
    await writeJsonAtomic(path.join(tmp, HEAD_RESULT_FILE), result);
    // Published by another worker first (a head taken back from a slow worker): the same bytes, kept.
    await storage.publishHead(tmp, spec.id);
    return result;
  } catch (err) {
    if (isStudioError(err) && err.code === 'CANCELLED') throw err;
    return failed((err as Error).message, isStudioError(err) && err.code === 'INVALID_IMAGE');
  } finally {
    await input.dispose().catch(() => undefined);
    await fs.rm(tmp, { recursive: true, force: true });
  }
}

function secondsSince(t0: number): number {
  return Math.round((performance.now() - t0) / 100) / 10;
}

/** 256 px JPEG of the portrait for the contact sheet (the original can be megabytes). */
async function writeThumbnail(inputPath: string, out: string): Promise<void> {
  const jpg = await sharp(inputPath)
    .rotate()
    .resize(256, 256, { fit: 'inside' })
    .flatten({ background: '#ffffff' })
    .jpeg({ quality: 85 })
    .toBuffer();
  await writeFileAtomic(out, jpg);
}

/** One file per requested engine preset, written by exportSplat (the studio's and convert's path). */
async function writeExports(runDir: string, spec: HeadSpec): Promise<HeadExport[]> {
  if (spec.settings.presets.length === 0) return [];
  const cloud = decodeSplat(new Uint8Array(await fs.readFile(path.join(runDir, 'head.ply'))), 'head.ply');
  await fs.mkdir(path.join(runDir, 'exports'), { recursive: true });
  const out: HeadExport[] = [];
  for (const preset of spec.settings.presets) {
    const { bytes, format } = await exportSplat(cloud, { preset });
    const file = `exports/head-${preset}${extensionFor(format)}`;
    await writeFileAtomic(path.join(runDir, file), bytes);
    out.push({ preset, file, bytes: bytes.byteLength });
  }
  return out;
}
