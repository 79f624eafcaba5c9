/**
 * Frontal-view prediction (paper application 1): from a profile or 3/4 portrait, generate the full
 * head with the normal pipeline, then render it from the front. The pipeline puts the INPUT camera at
 * azimuth 0, so "frontal" means the head's own front: we find it by rendering the head around the
 * orbit and keeping the azimuth where the face detector sees the smallest |yaw| (refined by the
 * detected yaw itself), then render there at elevation 0.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DEFAULT_FOVY_DEG, orbitCamera } from '../../shared/camera';
import type { RunSettings } from '../../shared/contracts/studio-api';
import type { GaussianCloud } from '../../shared/gaussians/cloud';
import type { RgbaImage } from '../../shared/image';
import { StudioError } from '../../shared/rpc/errors';
import { decodeSplat } from '../../shared/splat';
import { renderCloudAsync, toRgba8 } from '../raster';
import { faceYawDetector } from './face-yaw';
import { RUN_FILES, runPath } from '../run-folder/layout';
import { readRunRecordIfAny } from '../run-folder/record';

/** Face analysis the search uses: head yaw in degrees (either sign convention), or null when no face is found. */
export type YawDetector = (img: RgbaImage) => Promise<number | null>;

export interface FrontalSearchOptions {
  /** Candidate azimuths to try (degrees); default every 30 degrees. */
  azimuthsDeg?: number[];
  size?: number;
  fovyDeg?: number;
  background?: [number, number, number];
}

export interface FrontalResult {
  image: RgbaImage;
  /** Azimuth (pipeline frame) the frontal camera sits at; 0 when the input was already frontal. */
  frontAzimuthDeg: number;
  /** |yaw| the detector measured on the returned image, or null if it found no face. */
  residualYawDeg: number | null;
}

async function renderAt(
  cloud: GaussianCloud,
  azimuthDeg: number,
  o: Required<Pick<FrontalSearchOptions, 'size' | 'fovyDeg' | 'background'>>,
) {
  const view = await renderCloudAsync(cloud, orbitCamera(azimuthDeg, 0, o.size, o.fovyDeg), {
    background: o.background,
  });
  return toRgba8(view, { opaque: true });
}

/**
 * Render the head's front. Without a detector (or when it never finds a face) this is azimuth 0:
 * for a frontal input the pipeline's front.
 */
export async function frontalFromCloud(
  cloud: GaussianCloud,
  detectYaw: YawDetector | null,
  opts: FrontalSearchOptions = {},
): Promise<FrontalResult> {
  const o = {
    size: opts.size ?? 512,
    fovyDeg: opts.fovyDeg ?? DEFAULT_FOVY_DEG,
    background: opts.background ?? ([1, 1, 1] as [number, number, number]),
  };
  if (!detectYaw) return { image: await renderAt(cloud, 0, o), frontAzimuthDeg: 0, residualYawDeg: null };
  const images = new Map<number, RgbaImage>();
  const best = await searchFrontAzimuth(async (az) => {
    const img = await renderAt(cloud, az, o);
    images.set(az, img);
    return detectYaw(img);
  }, opts.azimuthsDeg);
  if (!best) return { image: await renderAt(cloud, 0, o), frontAzimuthDeg: 0, residualYawDeg: null };
  return { image: images.get(best.az) ?? (await renderAt(cloud, best.az, o)), frontAzimuthDeg: best.az, residualYawDeg: Math.abs(best.yaw) };
}

/** Default coarse candidates of the frontal search (degrees), nearest the input camera first. */
export const FRONT_CANDIDATES_DEG: readonly number[] = [0, 30, -30, 60, -60, 90, -90, 120, -120];

/**
 * Where the face looks straight at the camera, from a yaw measurement per azimuth (null = no face).
 * Coarse candidates first (stopping once |yaw| < 5), then up to REFINE_STEPS refinements. The measured
 * yaw is a good direction but a poor distance (the 2-D fit reads a real face's turn ~20% low and a flat
 * or deep synthetic head's quite differently), so once two measured azimuths bracket the front (yaws of
 * opposite sign) the next try is the secant zero between them; until then it steps by the measured yaw
 * both ways (the detector's sign convention is not assumed). Stops when |yaw| < 2.
 */
export async function searchFrontAzimuth(
  measureYaw: (azimuthDeg: number) => Promise<number | null>,
  candidates: readonly number[] = FRONT_CANDIDATES_DEG,
): Promise<{ az: number; yaw: number } | null> {
  const tried: { az: number; yaw: number }[] = [];
  let best: { az: number; yaw: number } | null = null;
  const measure = async (az: number) => {
    const yaw = await measureYaw(az);
    if (yaw === null) return;
    tried.push({ az, yaw });
    if (!best || Math.abs(yaw) < Math.abs(best.yaw)) best = { az, yaw };
  };
  for (const az of candidates) {
    await measure(az);
    if (best && Math.abs((best as { yaw: number }).yaw) < 5) break;
  }
  if (!best) return null;
  for (let step = 0; step < REFINE_STEPS; step++) {
    const from: { az: number; yaw: number } = best;
    if (Math.abs(from.yaw) < 2) break;
    const bracket = bracketAround(tried, from);
    if (bracket) {
      const [p, q] = bracket;
      await measure(p.az - (p.yaw * (q.az - p.az)) / (q.yaw - p.yaw));
      continue;
    }
    await measure(from.az + from.yaw);
    if (best === from || !bracketAround(tried, best)) await measure(from.az - from.yaw);
  }
  return best;
}

/** Most extra renders the refinement of the frontal search makes. */
const REFINE_STEPS = 5;

/**
 * The nearest measured azimuth on each side of `best` whose yaw has the opposite sign to best's (the
 * front lies between them), as [best, other]; null when none was measured.
 */
function bracketAround(tried: readonly { az: number; yaw: number }[], best: { az: number; yaw: number }): [{ az: number; yaw: number }, { az: number; yaw: number }] | null {
  let other: { az: number; yaw: number } | null = null;
  for (const t of tried) {
    if (t.yaw === 0 || Math.sign(t.yaw) === Math.sign(best.yaw)) continue;
    if (Math.abs(t.az - best.az) > 90) continue; // another lobe of the orbit, not this front
    if (!other || Math.abs(t.az - best.az) < Math.abs(other.az - best.az)) other = t;
  }
  return other ? [best, other] : null;
}

/** What a finished run folder offers for the frontal view. */
export async function loadRunHead(runDir: string): Promise<{ cloud: GaussianCloud; fovyDeg: number }> {
  const ply = runPath(runDir, 'headPly');
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await fs.readFile(ply));
  } catch {
    throw new StudioError('NOT_FOUND', `no head in ${runDir}: head.ply is missing (did the run finish?)`);
  }
  // An older run without a (readable) record: the pipeline default framing.
  const fovyDeg = (await readRunRecordIfAny(runDir))?.resolved?.fovyDeg ?? DEFAULT_FOVY_DEG;
  return { cloud: decodeSplat(bytes, RUN_FILES.headPly), fovyDeg };
}

export interface PredictFrontalOptions {
  /** Run settings (defaults: auto elevation, seed 0, standard quality, weight-free backend). */
  settings?: Partial<RunSettings>;
  /** Where the run goes (kept); default a temporary folder that is removed afterwards. */
  workDir?: string;
  size?: number;
  /** Default: the preprocessing's landmark model (analyzeFace); null renders azimuth 0 without a search. */
  detectYaw?: YawDetector | null;
  signal?: AbortSignal;
  progress?: (stage: string, fraction: number, message?: string) => void;
  log?: (message: string) => void;
}

/** Portrait file in, frontal portrait out, through the full generate pipeline. */
export async function predictFrontal(
  inputPath: string,
  opts: PredictFrontalOptions = {},
): Promise<FrontalResult & { runDir: string | null }> {
  let mod: { runGenerate?: unknown };
  try {
    mod = (await import('../pipeline/generate')) as { runGenerate?: unknown };
  } catch (err) {
    throw new Error(`the generate pipeline is not available: ${(err as Error).message}`, { cause: err });
  }
  if (typeof mod.runGenerate !== 'function')
    throw new Error('the generate pipeline does not export runGenerate');
  const runGenerate = mod.runGenerate as typeof import('../pipeline/generate').runGenerate;
  const keep = opts.workDir !== undefined;
  const projectDir = opts.workDir ?? (await fs.mkdtemp(path.join(os.tmpdir(), 'headforge-frontal-')));
  const runDir = path.join(projectDir, 'run');
  try {
    await runGenerate({
      projectDir,
      runDir,
      inputPath: path.resolve(inputPath),
      settings: { elevationDeg: 'auto', seed: 0, quality: 'standard', backend: 'default', ...opts.settings },
      signal: opts.signal ?? new AbortController().signal,
      progress: opts.progress ?? (() => undefined),
      preview: () => undefined,
      log: opts.log ?? (() => undefined),
    });
    const { cloud, fovyDeg } = await loadRunHead(runDir);
    const res = await frontalFromCloud(
      cloud,
      opts.detectYaw === undefined ? faceYawDetector : opts.detectYaw,
      { size: opts.size, fovyDeg },
    );
    return { ...res, runDir: keep ? runDir : null };
  } finally {
    if (!keep) await fs.rm(projectDir, { recursive: true, force: true });
  }
}
