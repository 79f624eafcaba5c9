/**
 * Export a run's optimised head for an engine: decode runDir/head.ply, then exportSplat (the same
 * function `headforge convert` calls: preset axes, units, SH degree, budget, format and encoder), and
 * write it atomically into runDir/exports/. Returns the file name (never a path: the UI gets an asset URL).
 * estimateOnly: the same encode, nothing written: the byte count is the file's exact size (the export
 * dialog's estimate; SOG/HTML within a few bytes, their SH palette's k-means is seeded randomly).
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { ExportRequest } from '../../shared/contracts/studio-api';
import { decodeSplat, extensionFor, SplatFormatError } from '../../shared/splat';
import { StudioError } from '../../shared/rpc/errors';
import { writeFileAtomic } from '../pipeline/run-files';
import { exportSplat } from './export-splat';
import { exportRunMesh } from '../mesh-export/export-run-mesh';

export async function exportRunHead(runDir: string, request: ExportRequest): Promise<ExportedHead> {
  if (request.format === 'mesh-glb') {
    if (request.estimateOnly)
      throw new StudioError('BAD_REQUEST', 'the mesh GLB has no size estimate (it bakes its texture)');
    return exportRunMeshGlb(runDir);
  }
  let ply: Uint8Array;
  try {
    ply = new Uint8Array(await fs.readFile(path.join(runDir, 'head.ply')));
  } catch {
    throw new StudioError('NOT_FOUND', `run ${request.runId} has no head to export (it did not finish)`);
  }
  const cloud = decodeSplat(ply, 'head.ply');
  let bytes: Uint8Array;
  let splats: number;
  let shDegree: number;
  try {
    let written;
    ({ bytes, cloud: written } = await exportSplat(cloud, {
      preset: request.preset,
      format: request.format,
      ...(request.shDegree !== undefined ? { shDegree: request.shDegree } : {}),
      ...(request.maxSplats !== undefined ? { maxSplats: request.maxSplats } : {}),
      ...(request.spzVersion !== undefined ? { spzVersion: request.spzVersion } : {}),
      ...(request.cleanup !== undefined ? { cleanup: request.cleanup } : {}),
    }));
    splats = written.count;
    shDegree = written.shDegree;
  } catch (err) {
    // A clean-up that leaves nothing, a coordinate outside SPZ's range: the request's fault, said plainly.
    if (err instanceof SplatFormatError) throw new StudioError('BAD_REQUEST', err.message);
    throw err;
  }
  const variant =
    request.format === 'spz' && (request.spzVersion ?? 2) !== 2
      ? `spz-v${request.spzVersion}`
      : request.format;
  const fileName = `head-${request.preset}-${variant}${extensionFor(request.format)}`;
  const summary = { fileName, bytes: bytes.byteLength, splats, shDegree, headShDegree: cloud.shDegree };
  if (request.estimateOnly) return summary;
  await fs.mkdir(path.join(runDir, 'exports'), { recursive: true });
  await writeFileAtomic(path.join(runDir, 'exports', fileName), bytes);
  return summary;
}

export interface ExportedHead {
  fileName: string;
  bytes: number;
  splats: number;
  shDegree?: number;
  headShDegree?: number;
}

/** The fitted head model as a textured GLB (docs/mesh-export.md): no splats, so `splats` is 0. */
async function exportRunMeshGlb(runDir: string): Promise<ExportedHead> {
  const fileName = 'head-mesh.glb';
  const out = path.join(runDir, 'exports', fileName);
  await exportRunMesh(runDir, { out, format: 'glb' });
  return { fileName, bytes: (await fs.stat(out)).size, splats: 0 };
}
