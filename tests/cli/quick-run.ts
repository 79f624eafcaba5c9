/**
 * A finished run folder made cheaply for the CLI tests: the real generate pipeline on a fixture
 * portrait (preprocess, weight-free views, evaluation) with `steps` optimisation steps — 0 keeps the
 * proxy's initial Gaussians as the head, which is enough for commands that only read a run.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runGenerate } from '../../src/engine/pipeline/generate';
import type { RunGenerateContext } from '../../src/shared/contracts/run';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const PORTRAITS = path.resolve(repoRoot, '../shared/fixtures/portraits');

export async function quickRun(runDir: string, fixture = 'hq-0001-matted-rgba.png', steps = 0): Promise<string> {
  await fs.mkdir(path.dirname(runDir), { recursive: true });
  const ctx: RunGenerateContext = {
    projectDir: path.dirname(runDir),
    runDir,
    inputPath: path.join(PORTRAITS, fixture),
    settings: { elevationDeg: 'auto', seed: 5, quality: 'draft', backend: 'default', steps },
    signal: new AbortController().signal,
    progress: () => undefined,
    preview: () => undefined,
    log: () => undefined,
  };
  await runGenerate(ctx);
  return runDir;
}
