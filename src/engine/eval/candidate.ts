/**
 * The head being judged: a pipeline run made for the subject (runGenerate on the subject's portrait
 * in a fresh project folder), or an existing run folder. Both read back the same files the studio
 * uses: record.json (elevation, fovy, view size), head.ply and views/.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { DEFAULT_FOVY_DEG, ORBIT_RADIUS } from '../../shared/camera';
import type { BackendId, Quality } from '../../shared/contracts/studio-api';
import type { GaussianCloud } from '../../shared/gaussians/cloud';
import type { RgbaImage } from '../../shared/image';
import { decodeSplat } from '../../shared/splat';
import { StudioError } from '../../shared/rpc/errors';
import { loadRunGenerate } from '../host/pipeline-loader';
import { readRgba, writePng } from '../image-io';
import type { CropTransform } from './camera-mapping';
import type { InputCameraRecord } from '../../shared/contracts/multiview';
import { RUN_FILES, runPath } from '../run-folder/layout';
import { readRunRecord, type RunRecord } from '../run-folder/record';

export interface EvalRunSettings {
  backend: BackendId;
  seed: number;
  quality: Quality;
  /** Optimisation steps (overrides the preset). */
  steps?: number;
  /** 'gt': the ground truth's elevation when known, else auto; 'auto': the pipeline's estimate; or degrees. */
  elevation: 'gt' | 'auto' | number;
  /**
   * The portrait's lens (vertical field of view of the whole portrait) handed to the pipeline as a user
   * who knows their camera would state it: 'gt' the ground truth's input camera's; 'auto' none (the
   * head fit estimates it); or degrees. Default 'gt'.
   */
  lens?: 'gt' | 'auto' | number;
}

export interface CandidateHead {
  runDir: string;
  cloud: GaussianCloud;
  /** The run's 16 generated views (straight alpha), or null when the folder has none. */
  views: RgbaImage[] | null;
  elevationDeg: number;
  fovyDeg: number;
  viewSize: number;
  /** Seconds per pipeline stage (from the run record). */
  stageTimings: Record<string, number>;
  /** Wall-clock seconds of the pipeline call (0 for an existing run). */
  pipelineS: number;
  /** Preprocessing's framing of the run's input (preprocess/face.json), or null for runs that did not record it. */
  framing: CropTransform | null;
  /** The camera that saw the crop (record.json resolved.inputCamera; default view 0 at R = 1.5). */
  inputCamera: InputCameraRecord;
  /** sha256 of the run's input file (record.json), or null. */
  inputSha256: string | null;
  warnings: string[];
}

/** Size of the crop that preprocessing's recorded framing maps to (preprocess/crop512.png). */
const FRAMING_CROP_SIZE = 512;

async function readFraming(runDir: string): Promise<CropTransform | null> {
  try {
    const face = JSON.parse(await fs.readFile(runPath(runDir, 'face'), 'utf8')) as {
      framing?: { scale?: unknown; offsetX?: unknown; offsetY?: unknown };
    };
    const f = face.framing;
    if (!f || typeof f.scale !== 'number' || typeof f.offsetX !== 'number' || typeof f.offsetY !== 'number')
      return null;
    if (!(f.scale > 0) || !Number.isFinite(f.offsetX) || !Number.isFinite(f.offsetY)) return null;
    return { scale: f.scale, offsetX: f.offsetX, offsetY: f.offsetY, size: FRAMING_CROP_SIZE };
  } catch {
    return null;
  }
}

function inputCameraOf(record: RunRecord, elevationDeg: number): InputCameraRecord {
  const fovy = record.resolved?.fovyDeg ?? DEFAULT_FOVY_DEG;
  const c = record.resolved?.inputCamera;
  const num = (v: unknown, d: number) => (typeof v === 'number' && Number.isFinite(v) ? v : d);
  return {
    azimuthDeg: num(c?.azimuthDeg, 0),
    elevationDeg: num(c?.elevationDeg, elevationDeg),
    fovyDeg: num(c?.fovyDeg, fovy),
    distance: num(c?.distance, ORBIT_RADIUS),
  };
}

/** Read an existing run folder (record.json + head.ply [+ views/]). */
export async function loadCandidateRun(runDir: string, pipelineS = 0): Promise<CandidateHead> {
  const record = await readRunRecord(runDir);
  const elevationDeg = record.resolved?.elevationDeg;
  if (typeof elevationDeg !== 'number' || !Number.isFinite(elevationDeg))
    throw new StudioError('DAMAGED', `${runDir}/record.json has no resolved elevation`);
  let plyBytes: Uint8Array;
  try {
    plyBytes = new Uint8Array(await fs.readFile(runPath(runDir, 'headPly')));
  } catch (err) {
    throw new StudioError('NOT_FOUND', `${runDir} has no head.ply (${(err as Error).message})`);
  }
  const cloud = decodeSplat(plyBytes, RUN_FILES.headPly);
  let views: RgbaImage[] | null = null;
  try {
    const names = (await fs.readdir(path.join(runDir, 'views'))).filter((n) => n.endsWith('.png')).sort();
    if (names.length === 16)
      views = await Promise.all(names.map((n) => readRgba(path.join(runDir, 'views', n))));
  } catch {
    views = null;
  }
  return {
    runDir,
    cloud,
    views,
    elevationDeg,
    fovyDeg: record.resolved?.fovyDeg ?? DEFAULT_FOVY_DEG,
    viewSize: record.resolved?.preset?.viewSize ?? views?.[0]?.width ?? 256,
    stageTimings: record.timings ?? {},
    pipelineS,
    framing: await readFraming(runDir),
    inputCamera: inputCameraOf(record, elevationDeg),
    inputSha256: typeof record.input?.sha256 === 'string' ? record.input.sha256 : null,
    warnings: record.warnings ?? [],
  };
}

/** A 'gt' | 'auto' | degrees setting as a value: the degrees, the ground truth's for 'gt' when it is known, else null (the pipeline's own). */
function resolveGtSetting(setting: 'gt' | 'auto' | number, gt: number | null): number | null {
  return typeof setting === 'number' ? setting : setting === 'gt' ? gt : null;
}

/**
 * Run the generate pipeline on `portrait` in `projectDir` (created; the portrait is written there as
 * input.png, the run goes to projectDir/run) and read the result back.
 */
export async function runPipeline(args: {
  portrait: RgbaImage;
  projectDir: string;
  settings: EvalRunSettings;
  gtElevationDeg: number | null;
  /** The ground truth's portrait lens (gt-rig.ts portraitFovyDeg). */
  gtFovyDeg: number | null;
  signal: AbortSignal;
  log: (m: string) => void;
  progress?: (stage: string, fraction: number, message?: string) => void;
}): Promise<CandidateHead> {
  const runGenerate = await loadRunGenerate();
  await fs.mkdir(args.projectDir, { recursive: true });
  const inputPath = path.join(args.projectDir, 'input.png');
  await writePng(inputPath, args.portrait);
  const runDir = path.join(args.projectDir, 'run');
  await fs.rm(runDir, { recursive: true, force: true });
  const elevationDeg = resolveGtSetting(args.settings.elevation, args.gtElevationDeg) ?? 'auto';
  const inputFovyDeg = resolveGtSetting(args.settings.lens ?? 'gt', args.gtFovyDeg) ?? undefined;
  const t0 = performance.now();
  await runGenerate({
    projectDir: args.projectDir,
    runDir,
    inputPath,
    settings: {
      elevationDeg,
      seed: args.settings.seed,
      quality: args.settings.quality,
      backend: args.settings.backend,
      ...(args.settings.steps !== undefined ? { steps: args.settings.steps } : {}),
      ...(inputFovyDeg !== undefined ? { inputFovyDeg } : {}),
    },
    signal: args.signal,
    progress: args.progress ?? (() => undefined),
    preview: () => undefined,
    log: args.log,
  });
  return loadCandidateRun(runDir, (performance.now() - t0) / 1000);
}
