/**
 * Make one head of a batch: the generate pipeline (src/engine/pipeline/generate.ts, the call
 * `headforge generate` makes) into a temporary folder beside the final one, then a thumbnail of the
 * portrait, the engine exports, head.json; then one rename. So <out>/heads/<id>/ is either absent or
 * complete, whoever made it: a worker killed mid-head leaves only a temporary folder (removed by the
 * next attempt's clean-up), and a second worker finishing the same head finds the folder there and
 * drops its own copy (the head arrives once).
 */
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { exportSplat } from '../export/export-splat';
import { writeFileAtomic, writeJsonAtomic } from '../pipeline/run-files';
import { decodeSplat, extensionFor } from '../../shared/splat';
import { isStudioError } from '../../shared/rpc/errors';
import { findFaceInPortrait } from '../projects/face-check';
import type { HeadExport, HeadResult, HeadSpec } from './types';

export const HEAD_RESULT_FILE = 'head.json';
/** Render indices in the 16-view order (azimuths 0, ..., 83.5 at 5, 180 at 8): front, side, back. */
const FRONT = 0;
const SIDE = 5;
const BACK = 8;

export interface RunHeadOptions {
  signal: AbortSignal;
  /** Overall fraction 0..1 of this head and the pipeline's stage name. */
  progress?(stage: string, fraction: number): void;
  log?(message: string): void;
}

export function workerName(): string {
  return `${os.hostname()}:${process.pid}`;
}

export function headsDir(outRoot: string): string {
  return path.join(outRoot, 'heads');
}

/** A finished head's result from an earlier call, or null when it is not (completely) there. */
export async function readFinishedHead(outRoot: string, spec: HeadSpec): Promise<HeadResult | null> {
  try {
    const text = await fs.readFile(path.join(headsDir(outRoot), spec.id, HEAD_RESULT_FILE), 'utf8');
    const r = JSON.parse(text) as HeadResult;
    return r.key === spec.key && r.state === 'done' ? r : null;
  } catch {
    return null;
  }
}

export async function runHead(spec: HeadSpec, outRoot: string, opts: RunHeadOptions): Promise<HeadResult> {
  const t0 = performance.now();
  const finished = await readFinishedHead(outRoot, spec);
  if (finished) return { ...finished, resumed: true };
  const base: HeadResult = {
    id: spec.id,
    key: spec.key,
    inputName: spec.inputName,
    inputSha256: spec.inputSha256,
    seed: spec.seed,
    state: 'failed',
    seconds: 0,
    worker: workerName(),
    warnings: [],
  };
  const inputPath = path.resolve(outRoot, spec.input);
  const heads = headsDir(outRoot);
  await fs.mkdir(heads, { recursive: true });
  await removeStaleTemps(heads, spec.id);
  const tmp = path.join(heads, `.${spec.id}.tmp-${crypto.randomBytes(4).toString('hex')}`);
  try {
    // A portrait without a face would give a head of something else: refuse it as the studio warns.
    if ((await findFaceInPortrait(new Uint8Array(await fs.readFile(inputPath)))) === false)
      return { ...base, error: 'no face found in the portrait', badInput: true, seconds: secondsSince(t0) };
    // Loaded on the first head only: a batch that resumes everything never pays for the pipeline's imports.
    const { runGenerate } = await import('../pipeline/generate');
    const outputs = await runGenerate({
      projectDir: tmp,
      runDir: tmp,
      inputPath,
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
    await writeThumbnail(inputPath, path.join(tmp, 'portrait.jpg'));
    const exports = await writeExports(tmp, spec);
    const rel = (f: string): string => `heads/${spec.id}/${f}`;
    const result: HeadResult = {
      ...base,
      state: 'done',
      seconds: secondsSince(t0),
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
    };
    await writeJsonAtomic(path.join(tmp, HEAD_RESULT_FILE), result);
    await publish(tmp, path.join(heads, spec.id));
    return result;
  } catch (err) {
    const badInput = isStudioError(err) && err.code === 'INVALID_IMAGE';
    if (isStudioError(err) && err.code === 'CANCELLED') throw err;
    return { ...base, error: (err as Error).message, badInput, seconds: secondsSince(t0) };
  } finally {
    await fs.rm(tmp, { recursive: true, force: true });
  }
}

function secondsSince(t0: number): number {
  return Math.round((performance.now() - t0) / 100) / 10;
}

/** Rename the finished temp folder into place; a head already there (another worker's) wins. */
async function publish(tmp: string, final: string): Promise<void> {
  try {
    await fs.rename(tmp, final);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'ENOTEMPTY' && code !== 'EEXIST') throw err;
  }
}

/** Temp folders of this head left by a killed worker: `.<id>.tmp-*`. */
async function removeStaleTemps(heads: string, id: string): Promise<void> {
  for (const name of await fs.readdir(heads))
    if (name.startsWith(`.${id}.tmp-`)) await fs.rm(path.join(heads, name), { recursive: true, force: true });
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
