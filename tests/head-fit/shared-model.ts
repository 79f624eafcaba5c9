/** The ICT head model from ../shared, imported once into the test cache (src/engine/head-model/cache.ts). */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadOrImportHeadModel, type HeadModel } from '../../src/engine/head-model';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const SHARED_ICT = path.resolve(ROOT, '../shared/head-models/ict-facekit');

let loading: Promise<HeadModel> | null = null;
export function sharedHeadModel(): Promise<HeadModel> {
  loading ??= loadOrImportHeadModel(
    SHARED_ICT,
    path.join(ROOT, 'node_modules', '.cache', 'headforge', 'head-models'),
  ).then((r) => r.model);
  return loading;
}
