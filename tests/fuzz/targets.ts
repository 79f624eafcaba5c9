/**
 * Every reader of untrusted bytes the product has, as fuzz targets (tests/fuzz/harness.ts): the shared
 * splat codecs and RPC frames, the engine's formats (compressed PLY, SOG, SPZ v4, portrait images),
 * and the product's own files and text imports (project/run/record/settings JSON, pack manifests,
 * ONNX graphs, ARKit CSV, OBJ). KSPLAT is not read by HeadForge, so it has no target.
 */
import type { FuzzTarget } from './harness';
import { CODEC_TARGETS } from './targets-codecs';
import { ENGINE_TARGETS } from './targets-engine';
import { FILE_TARGETS } from './targets-files';
import { IMPORT_TARGETS } from './targets-imports';

export const FUZZ_TARGETS: readonly FuzzTarget[] = [
  ...CODEC_TARGETS,
  ...ENGINE_TARGETS,
  ...FILE_TARGETS,
  ...IMPORT_TARGETS,
];

/** A target by its name, case and punctuation ignored ('spzv4', 'project.json', 'portrait'). */
export function findTargets(names: string | undefined): FuzzTarget[] {
  if (!names) return [...FUZZ_TARGETS];
  const key = (s: string): string => s.toLowerCase().replace(/[^a-z0-9]/g, '');
  return names.split(',').flatMap((n) => {
    const exact = FUZZ_TARGETS.filter((t) => key(t.name) === key(n));
    return exact.length ? exact : FUZZ_TARGETS.filter((t) => key(t.name).startsWith(key(n)));
  });
}
