/**
 * Seed explorer previews: the multi-view stage alone, at SEED_PREVIEW_SIZE px, for a few seeds, so the
 * artist can pick a seed before paying for an optimisation. Views are written to
 * <project>/seed-previews/s<seed>-e<elevation>-<backend>[-<style tag>]/view-XX.png (a finished folder
 * is reused: same input, seed, elevation, backend and style give the same views). With a style (the
 * draft RunSettings.style) the portrait is stylized first, exactly as a run would do, so the previews
 * show the head that run would make. The preprocess result is kept in memory for the
 * last input, since exploring means several calls in a row.
 */
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { clampElevation } from '../../shared/camera';
import { SEED_PREVIEW_SIZE, type BackendId, type PortraitStyle, type SeedPreview } from '../../shared/contracts/studio-api';
import type { PreprocessResult } from '../../shared/contracts/preprocess';
import { StudioError } from '../../shared/rpc/errors';
import { preprocessPortrait, PreprocessError } from '../preprocess';
import { generateViews } from '../pipeline/multiview-stage';
import { writeImageFolder } from '../pipeline/run-files';
import { styleFileTag, stylizeRunPortrait } from '../stylize/run-style';

let cached: { key: string; result: Promise<PreprocessResult> } | null = null;

async function preprocessOnce(inputPath: string, log: (m: string) => void): Promise<PreprocessResult> {
  const stat = await fs.stat(inputPath);
  const key = `${inputPath}:${stat.mtimeMs}:${stat.size}`;
  if (cached?.key !== key) {
    const result = fs.readFile(inputPath).then((bytes) => preprocessPortrait(new Uint8Array(bytes), { log }));
    cached = { key, result };
    result.catch(() => {
      if (cached?.result === result) cached = null;
    });
  }
  try {
    return await cached.result;
  } catch (err) {
    if (err instanceof PreprocessError) throw new StudioError('INVALID_IMAGE', err.message);
    throw err;
  }
}

export async function makeSeedPreviews(args: {
  projectDir: string;
  inputPath: string;
  seeds: number[];
  elevationDeg: number | 'auto';
  backend: BackendId;
  /** The draft run's 2D style, applied to the portrait before the views as the run would. */
  style?: PortraitStyle;
  assetUrl: (rel: string) => string;
  log: (m: string) => void;
  /** Cancels between seeds and inside the multi-view stage (the job's signal). */
  signal?: AbortSignal;
  /** Called as each seed's views are ready, with how many of the (distinct) seeds are done. */
  onSeed?: (preview: SeedPreview, done: number, total: number) => void;
  /** Overall fraction 0..1: preprocessing is the first tenth, then one equal share per seed. */
  progress?: (stage: string, fraction: number) => void;
}): Promise<SeedPreview[]> {
  const signal = args.signal ?? new AbortController().signal;
  const seeds = [...new Set(args.seeds)];
  args.progress?.('preprocess', 0);
  const photo = await preprocessOnce(args.inputPath, args.log);
  throwIfCancelled(signal);
  // Stylized lazily: only when some seed's folder is not made yet (a pack style runs a network).
  let styled: Promise<PreprocessResult> | null = null;
  const viewInput = (): Promise<PreprocessResult> => (styled ??= args.style ? stylizeRunPortrait(photo, args.style) : Promise.resolve(photo));
  const elevationDeg = args.elevationDeg === 'auto' ? photo.elevationDeg : clampElevation(args.elevationDeg);
  const root = path.join(args.projectDir, 'seed-previews');
  await fs.mkdir(root, { recursive: true });
  const out: SeedPreview[] = [];
  for (const [index, seed] of seeds.entries()) {
    args.progress?.(`seed ${index + 1} of ${seeds.length}`, PREPROCESS_SHARE + ((1 - PREPROCESS_SHARE) * index) / seeds.length);
    // Backend in the folder name too: a pack and the default give different views for one seed; so does a style.
    const folder = `s${seed}-e${elevationDeg.toFixed(1)}-${args.backend.replace(/[^A-Za-z0-9._-]/g, '_')}${args.style ? `-${styleFileTag(args.style)}` : ''}`;
    const names = Array.from({ length: 16 }, (_, i) => `seed-previews/${folder}/view-${String(i).padStart(2, '0')}.png`);
    if (!names.every((n) => existsSync(path.join(args.projectDir, n)))) {
      const mv = await generateViews(await viewInput(), { elevationDeg, seed, size: SEED_PREVIEW_SIZE }, args.backend, { signal, log: args.log });
      // A cancel during generateViews must not leave a folder that later passes the "finished" check.
      throwIfCancelled(signal);
      await writeImageFolder(root, folder, 'view', mv.views);
    }
    const preview: SeedPreview = { seed, elevationDeg, viewUrls: names.map(args.assetUrl) };
    out.push(preview);
    args.onSeed?.(preview, out.length, seeds.length);
  }
  args.progress?.('done', 1);
  return out;
}

/** Share of the overall progress given to preprocessing (cached after the first call for an input). */
const PREPROCESS_SHARE = 0.1;

function throwIfCancelled(signal: AbortSignal): void {
  if (signal.aborted) throw new StudioError('CANCELLED', 'seed previews cancelled');
}
