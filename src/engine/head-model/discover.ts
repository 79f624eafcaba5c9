/**
 * Where installed head models are looked for: the model-pack roots (src/engine/packs/discover.ts:
 * `--models DIR`, $HEADFORGE_MODELS or ~/.headforge/models, the app's resources), each under
 * `<root>/head-models/<name>/` (or a root that is itself a head-model folder).
 */
import fs from 'node:fs';
import path from 'node:path';
import { defaultUserModelDir, type PackSearchOptions } from '../packs/discover';
import { HEAD_MODEL_MANIFEST, loadHeadModel, readHeadModelManifest, type HeadModelManifest } from './asset';
import { ICT_MODEL_NAME } from './importer';
import type { HeadModel } from './types';

export const HEAD_MODELS_SUBDIR = 'head-models';

export type HeadModelSearchOptions = PackSearchOptions & {
  /** Model name (default "ict-facekit"). */
  name?: string;
};

export interface HeadModelCandidate {
  dir: string;
  origin: 'cli' | 'user' | 'resources';
  /** The manifest when it reads; else null and `error` says why. */
  manifest: HeadModelManifest | null;
  error?: string;
}

export const HEAD_MODEL_INSTALL_HINT =
  'install it with: headforge models import-head <path-to-ICT-FaceKit/FaceXModel> (the ICT-FaceKit repository, MIT licence, github.com/ICT-VGL/ICT-FaceKit)';

function roots(options: PackSearchOptions): Array<{ dir: string; origin: HeadModelCandidate['origin'] }> {
  return [
    ...(options.extraDirs ?? []).map((dir) => ({ dir, origin: 'cli' as const })),
    { dir: options.userDir ?? defaultUserModelDir(), origin: 'user' as const },
    ...(options.resourcesDir
      ? [{ dir: path.join(options.resourcesDir, 'models'), origin: 'resources' as const }]
      : []),
  ];
}

/** Where `headforge models import-head` installs a model by default: <user models>/head-models/<name>. */
export function defaultHeadModelInstallDir(
  modelsRoot: string = defaultUserModelDir(),
  name = ICT_MODEL_NAME,
): string {
  return path.join(modelsRoot, HEAD_MODELS_SUBDIR, name);
}

/** Installed head models in priority order (manifests read, binaries not checked), without duplicates. */
export function discoverHeadModels(options: PackSearchOptions = {}): HeadModelCandidate[] {
  const seen = new Set<string>();
  const out: HeadModelCandidate[] = [];
  const add = (dir: string, origin: HeadModelCandidate['origin']) => {
    const abs = path.resolve(dir);
    if (seen.has(abs)) return;
    seen.add(abs);
    try {
      out.push({ dir: abs, origin, manifest: readHeadModelManifest(abs) });
    } catch (err) {
      out.push({ dir: abs, origin, manifest: null, error: (err as Error).message });
    }
  };
  for (const root of roots(options)) {
    if (!fs.existsSync(root.dir) || !fs.statSync(root.dir).isDirectory()) continue;
    if (fs.existsSync(path.join(root.dir, HEAD_MODEL_MANIFEST))) {
      add(root.dir, root.origin);
      continue;
    }
    const sub = path.join(root.dir, HEAD_MODELS_SUBDIR);
    if (!fs.existsSync(sub) || !fs.statSync(sub).isDirectory()) continue;
    if (fs.existsSync(path.join(sub, HEAD_MODEL_MANIFEST))) add(sub, root.origin);
    for (const e of fs
      .readdirSync(sub, { withFileTypes: true })
      .sort((a, b) => a.name.localeCompare(b.name))) {
      if (e.isDirectory() && fs.existsSync(path.join(sub, e.name, HEAD_MODEL_MANIFEST)))
        add(path.join(sub, e.name), root.origin);
    }
  }
  return out;
}

export type FindHeadModelResult =
  { model: HeadModel; dir: string; reason?: undefined } | { model: null; dir?: string; reason: string };

/**
 * The first installed head model named `options.name` (default ict-facekit) that loads and validates,
 * or null with a reason that says what was found and how to install it.
 */
export function findHeadModel(options: HeadModelSearchOptions = {}): FindHeadModelResult {
  const name = options.name ?? ICT_MODEL_NAME;
  const problems: string[] = [];
  for (const c of discoverHeadModels(options)) {
    if (!c.manifest) {
      problems.push(c.error ?? `${c.dir}: unreadable`);
      continue;
    }
    if (c.manifest.name !== name) continue;
    try {
      return { model: loadHeadModel(c.dir), dir: c.dir };
    } catch (err) {
      problems.push((err as Error).message);
    }
  }
  const searched = roots(options)
    .map((r) => path.resolve(r.dir))
    .join(', ');
  const reason = problems.length
    ? `head model "${name}" found but unusable: ${problems.join('; ')}`
    : `no head model "${name}" installed (searched ${searched}, under ${HEAD_MODELS_SUBDIR}/); ${HEAD_MODEL_INSTALL_HINT}`;
  return { model: null, reason };
}
