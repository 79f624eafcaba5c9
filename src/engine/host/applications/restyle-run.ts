/**
 * 3D restyle after generation, saved as a run variant: a finished run's head recoloured by
 * src/shared/stylize restyleCloud (the same code the studio's live preview runs on the preview
 * arrays), written as a NEW run of the same project:
 *   runs/<new>/run.json      state done, the source run's settings, outputs below
 *   runs/<new>/head.ply      the restyled Gaussians (geometry and opacity unchanged)
 *   runs/<new>/views/        the source run's 16 generated views (copied: what the head was fit to)
 *   runs/<new>/renders/      the restyled head at the 16 view cameras (opaque-on-alpha, like the pipeline's)
 *   runs/<new>/record.json   the source record plus `variantOf` (so framing/fovy are kept for exports)
 *   runs/<new>/restyle.json  { sourceRunId, ops, createdAt }
 * No PSNR is reported: the restyled head is not meant to match the generated views any more.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { DEFAULT_FOVY_DEG, viewCameras } from '../../../shared/camera';
import type { HeadRestyleOp, RunSummary } from '../../../shared/contracts/studio-api';
import type { RunOutputs } from '../../../shared/contracts/run';
import type { GaussianCloud } from '../../../shared/gaussians/cloud';
import { StudioError } from '../../../shared/rpc/errors';
import { decodeSplat, encodeSplat } from '../../../shared/splat';
import { restyleCloud } from '../../../shared/stylize';
import type { ProjectLibrary } from '../../projects/library';
import { renderCloudAsync, toRgba8 } from '../../raster';
import { copyRunLandmarks, writeFileAtomic, writeImageFolder, writeJsonAtomic } from '../../pipeline/run-files';
import { RUN_FILES, runPath } from '../../run-folder/layout';
import { readRunRecordIfAny, writeRunRecord } from '../../run-folder/record';

/** Recolour `cloud`; a bad op (out-of-range value the schema let through) is the caller's error. */
export function restyleOrReject(cloud: GaussianCloud, ops: HeadRestyleOp[]): GaussianCloud {
  try {
    return restyleCloud(cloud, ops);
  } catch (err) {
    if (err instanceof RangeError) throw new StudioError('BAD_REQUEST', `restyle: ${err.message}`);
    throw err;
  }
}

/** The restyle.json of a run folder: { sourceRunId, ops, createdAt }. */
export const RESTYLE_FILE = RUN_FILES.restyle;

/**
 * Which run a run folder is a restyled variant of (its restyle.json), or undefined for an ordinary run
 * or an unreadable file (a run is never hidden because of its restyle.json).
 */
export async function readVariantOf(runDir: string): Promise<RunSummary['variantOf']> {
  let json: unknown;
  try {
    json = JSON.parse(await fs.readFile(runPath(runDir, 'restyle'), 'utf8'));
  } catch {
    return undefined;
  }
  const source = (json as { sourceRunId?: unknown } | null)?.sourceRunId;
  return typeof source === 'string' && source.length > 0 ? { runId: source, kind: 'restyle' } : undefined;
}

/** `runs` with `variantOf` set on the restyled variants (runs of one project, folders under projectDir/runs). */
export async function markRunVariants(projectDir: string, runs: RunSummary[]): Promise<RunSummary[]> {
  return Promise.all(
    runs.map(async (run) => {
      const variantOf = await readVariantOf(path.join(projectDir, 'runs', run.id));
      return variantOf ? { ...run, variantOf } : run;
    }),
  );
}

export async function saveRestyledRun(
  library: ProjectLibrary,
  args: { projectId: string; runId: string; ops: HeadRestyleOp[] },
): Promise<RunSummary> {
  const started = performance.now();
  const source = await library.readRun(args.projectId, args.runId);
  if (source.state !== 'done' || !source.outputs?.headPly)
    throw new StudioError('BAD_REQUEST', `run ${args.runId} has no finished head to restyle (it is ${source.state})`);
  const sourceDir = await library.runDir(args.projectId, args.runId);
  const cloud = decodeSplat(new Uint8Array(await fs.readFile(path.join(sourceDir, source.outputs.headPly))), 'head.ply');
  const restyled = restyleOrReject(cloud, args.ops);

  // A source without a readable record.json still restyles, with the pipeline's default framing.
  const record = (await readRunRecordIfAny(sourceDir)) ?? {};
  const elevationDeg = record.resolved?.elevationDeg ?? (typeof source.settings.elevationDeg === 'number' ? source.settings.elevationDeg : 0);
  const size = record.resolved?.preset?.viewSize ?? 256;
  const fovyDeg = record.resolved?.fovyDeg ?? DEFAULT_FOVY_DEG;

  const created = await library.createRun(args.projectId, source.settings);
  const { runDir, runId } = created;
  try {
    await library.updateRun(args.projectId, runId, { state: 'running' });
    const plyBytes = encodeSplat(restyled, 'ply');
    await writeFileAtomic(runPath(runDir, 'headPly'), plyBytes);
    await fs.cp(runPath(sourceDir, 'viewsDir'), runPath(runDir, 'viewsDir'), { recursive: true, force: true });
    // Colours change, geometry does not: the source's fitted landmarks still anchor the expression rig.
    await copyRunLandmarks(sourceDir, runDir);
    const renders = [];
    for (const camera of viewCameras(elevationDeg, size, fovyDeg)) {
      renders.push(toRgba8(await renderCloudAsync(restyled, camera, { background: [1, 1, 1] })));
    }
    const renderFiles = await writeImageFolder(runDir, RUN_FILES.rendersDir, 'render', renders);
    const variantOf = { runId: args.runId, kind: 'restyle' as const };
    await writeJsonAtomic(runPath(runDir, 'restyle'), { sourceRunId: args.runId, ops: args.ops, createdAt: new Date().toISOString() });
    await writeRunRecord(runDir, { ...record, variantOf, restyle: args.ops });
    const outputs: RunOutputs = {
      views: source.outputs.views,
      headPly: RUN_FILES.headPly,
      renders: renderFiles,
      metrics: { gaussians: restyled.count },
      timings: { restyle: (performance.now() - started) / 1000 },
      warnings: [`restyled variant of run ${args.runId}`],
    };
    await library.updateRun(args.projectId, runId, { state: 'done', outputs });
  } catch (err) {
    await library
      .updateRun(args.projectId, runId, { state: 'failed', error: `restyle failed: ${err instanceof Error ? err.message : String(err)}` })
      .catch(() => undefined);
    throw err;
  }
  const run = (await library.get(args.projectId)).runs.find((r) => r.id === runId);
  if (!run) throw new StudioError('INTERNAL', `restyled run ${runId} was written but is not listed`);
  return { ...run, variantOf: { runId: args.runId, kind: 'restyle' } };
}
