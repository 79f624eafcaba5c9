/**
 * Export a run's optimised head for an engine: decode runDir/head.ply, apply the engine preset
 * (axes, units, SH degree, splat budget), encode in the requested format, and write it atomically
 * into runDir/exports/. Returns the file name (never a path: the UI gets an asset URL).
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { ExportRequest } from '../../shared/contracts/studio-api';
import { decodeSplat, encodeSplat, extensionFor } from '../../shared/splat';
import { applyPreset, ENGINE_PRESETS } from '../../shared/splat/presets';
import { StudioError } from '../../shared/rpc/errors';
import { writeFileAtomic } from '../pipeline/run-files';

export async function exportRunHead(runDir: string, request: ExportRequest): Promise<{ fileName: string; bytes: number }> {
  let ply: Uint8Array;
  try {
    ply = new Uint8Array(await fs.readFile(path.join(runDir, 'head.ply')));
  } catch {
    throw new StudioError('NOT_FOUND', `run ${request.runId} has no head to export (it did not finish)`);
  }
  const cloud = decodeSplat(ply, 'head.ply');
  // 'none' = the studio's own frame (+y up, face towards +z, world units): a neutral preset.
  const preset =
    request.preset === 'none'
      ? { ...ENGINE_PRESETS.web, rotation: [1, 0, 0, 0] as const, scale: 1, shDegree: cloud.shDegree, maxSplats: cloud.count }
      : ENGINE_PRESETS[request.preset];
  const exported = applyPreset(cloud, preset, {
    ...(request.shDegree !== undefined ? { shDegree: request.shDegree } : {}),
    ...(request.maxSplats !== undefined ? { maxSplats: request.maxSplats } : {}),
  }).cloud;
  const bytes = encodeSplat(exported, request.format);
  const fileName = `head-${request.preset}-${request.format}${extensionFor(request.format)}`;
  await fs.mkdir(path.join(runDir, 'exports'), { recursive: true });
  await writeFileAtomic(path.join(runDir, 'exports', fileName), bytes);
  return { fileName, bytes: bytes.byteLength };
}
