/**
 * Loads the generate pipeline (src/engine/pipeline/generate.ts, export `runGenerate`); a module that
 * fails to load fails the job with PIPELINE_UNAVAILABLE, never with faked output.
 *
 * HEADFORGE_PIPELINE_MODULE (absolute path) replaces the module: a test hook, so the host tests can run
 * a controllable pipeline inside a real engine child process.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { RunGenerateFn } from '../../shared/contracts/run';
import { StudioError } from '../../shared/rpc/errors';

const here = path.dirname(fileURLToPath(import.meta.url));

/** Where the pipeline module is looked for: the test hook's path, else the built-in module's files. */
export function pipelineModuleCandidates(): string[] {
  const override = process.env.HEADFORGE_PIPELINE_MODULE;
  if (override) return [path.resolve(override)];
  return ['generate.ts', 'generate.js', 'generate.mjs'].map((f) => path.resolve(here, '../pipeline', f));
}

/** Whether the pipeline module exists (for getEngineInfo / doctor); does not import it. */
export function pipelineAvailability(): { available: boolean; problem?: string } {
  if (!process.env.HEADFORGE_PIPELINE_MODULE) return { available: true };
  const found = pipelineModuleCandidates().find((p) => fs.existsSync(p));
  return found
    ? { available: true }
    : {
        available: false,
        problem: `pipeline module not found (looked for ${pipelineModuleCandidates().join(', ')})`,
      };
}

export async function loadRunGenerate(): Promise<RunGenerateFn> {
  // The built-in pipeline is imported statically so that bundlers (electron-vite) include it; only the
  // test hook goes through a file path.
  if (!process.env.HEADFORGE_PIPELINE_MODULE) {
    try {
      return (await import('../pipeline/generate')).runGenerate;
    } catch (err) {
      throw new StudioError('PIPELINE_UNAVAILABLE', `pipeline not available: it failed to load (${(err as Error).message})`);
    }
  }
  const candidates = pipelineModuleCandidates();
  const found = candidates.find((p) => fs.existsSync(p));
  if (!found) {
    throw new StudioError(
      'PIPELINE_UNAVAILABLE',
      `pipeline not available: HEADFORGE_PIPELINE_MODULE names ${candidates.join(', ')}, which does not exist`,
    );
  }
  let mod: { runGenerate?: unknown };
  try {
    mod = (await import(/* @vite-ignore */ pathToFileURL(found).href)) as { runGenerate?: unknown };
  } catch (err) {
    throw new StudioError(
      'PIPELINE_UNAVAILABLE',
      `pipeline not available: ${path.basename(found)} failed to load (${(err as Error).message})`,
    );
  }
  if (typeof mod.runGenerate !== 'function') {
    throw new StudioError(
      'PIPELINE_UNAVAILABLE',
      `pipeline not available: ${path.basename(found)} does not export runGenerate`,
    );
  }
  return mod.runGenerate as RunGenerateFn;
}
