/**
 * The ICT head model for tests: ../shared's trimmed kit imported once into the shared cache
 * (node_modules/.cache/headforge/head-models, keyed by the kit files' sizes and mtimes) and loaded.
 * The data stays in ../shared; nothing derived from it is committed.
 */
import path from 'node:path';
import { loadOrImportHeadModel, type LoadOrImportResult } from '../../src/engine/head-model';

export const repoRoot = path.resolve(__dirname, '../..');
export const ictKitDir = path.resolve(repoRoot, '../shared/head-models/ict-facekit');
export const ictModelDir = path.join(ictKitDir, 'FaceXModel');
export const headModelCacheDir = path.join(repoRoot, 'node_modules', '.cache', 'headforge', 'head-models');

let cached: Promise<LoadOrImportResult> | null = null;

/** The imported ICT model (imported on first use in this process; later processes load the cache). */
export function ictHeadModel(): Promise<LoadOrImportResult> {
  cached ??= loadOrImportHeadModel(ictModelDir, headModelCacheDir);
  return cached;
}
