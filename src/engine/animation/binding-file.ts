/**
 * head-binding.json: which triangle of the fitted head each Gaussian of head.ply belongs to, as the
 * optimisation kept it (lineage-binding.ts). Only the triangle indices are stored: the local frames
 * are recomputed from head.ply at load (bindToTriangles), so head.ply stays a plain 3DGS file and the
 * two cannot disagree about a Gaussian's trained values.
 *
 *   { format: "headforge-head-binding", version: 1, rule: "lineage",
 *     model: { name, sha256 },        the head model the triangles index
 *     count,                          Gaussians in head.ply (rows in its order)
 *     maxDriftCm, stats,              how it was made (LineageBindingStats)
 *     triangles }                     base64 of Int32Array [count] little-endian, -1 = not bound
 */
import type { InputCameraRecord } from '../../shared/contracts/multiview';
import type { GaussianCloud } from '../../shared/gaussians/cloud';
import { StudioError } from '../../shared/rpc/errors';
import { fittedModelToWorld } from '../head-fit/model-to-world';
import type { HeadFit } from '../head-fit/types';
import type { HeadModel } from '../head-model/types';
import { writeFileAtomic } from '../run-folder/atomic-write';
import { runPath } from '../run-folder/layout';
import { readOptionalJson } from '../run-folder/read-optional-json';
import { DRIFT_CM, lineageBinding, type LineageBindingStats } from './lineage-binding';

const FORMAT = 'headforge-head-binding';

export interface HeadBindingFile {
  format: typeof FORMAT;
  version: 1;
  rule: 'lineage';
  model: { name: string; sha256: string };
  count: number;
  maxDriftCm: number;
  stats: LineageBindingStats;
  triangles: string;
}

function toBase64(a: Int32Array): string {
  const le = new DataView(new ArrayBuffer(a.length * 4));
  for (let i = 0; i < a.length; i++) le.setInt32(i * 4, a[i], true);
  return Buffer.from(le.buffer).toString('base64');
}

export async function writeHeadBinding(
  runDir: string,
  triangle: Int32Array,
  model: { name: string; sha256: string },
  maxDriftCm: number,
  stats: LineageBindingStats,
): Promise<void> {
  const value: HeadBindingFile = {
    format: FORMAT,
    version: 1,
    rule: 'lineage',
    model: { name: model.name, sha256: model.sha256 },
    count: triangle.length,
    maxDriftCm,
    stats,
    triangles: toBase64(triangle),
  };
  await writeFileAtomic(runPath(runDir, 'headBinding'), `${JSON.stringify(value)}\n`);
}

/**
 * The run's kept binding for `count` Gaussians and the model `modelSha256`, or null when the run has
 * none (runs made before it was kept, runs without a head model). A file that exists but is damaged,
 * or does not fit head.ply / the model, is an error: silently binding by the nearest rule would hide it.
 */
export async function readHeadBinding(
  runDir: string,
  count: number,
  modelSha256: string,
): Promise<Int32Array | null> {
  const file = runPath(runDir, 'headBinding');
  const json = await readOptionalJson(file);
  if (json === undefined) return null;
  const v = json as Partial<HeadBindingFile> | null;
  const bytes = typeof v?.triangles === 'string' ? Buffer.from(v.triangles, 'base64') : null;
  if (v?.format !== FORMAT || v.version !== 1 || !bytes || bytes.length !== (v.count ?? -1) * 4)
    throw new StudioError(
      'DAMAGED',
      `${file} is damaged: expected {"format": "${FORMAT}", "count": N, "triangles": base64 of N int32}`,
    );
  if (v.count !== count)
    throw new StudioError('DAMAGED', `${file} binds ${v.count} Gaussians, head.ply has ${count}`);
  if (v.model?.sha256 !== modelSha256)
    throw new StudioError(
      'BAD_REQUEST',
      `${file} was made with head model ${v.model?.name} ${String(v.model?.sha256).slice(0, 12)}, the installed one is ${modelSha256.slice(0, 12)}`,
    );
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return Int32Array.from({ length: count }, (_, i) => dv.getInt32(i * 4, true));
}

/**
 * After a run's optimisation: bind its trained head to the fitted model through the trainer's lineage
 * (lineage-binding.ts) and keep the result as head-binding.json.
 */
export async function keepRunBinding(
  runDir: string,
  head: { model: HeadModel; fit: HeadFit },
  inputCamera: InputCameraRecord,
  opt: { initial: GaussianCloud; cloud: GaussianCloud; lineage: Int32Array },
  log: (m: string) => void,
): Promise<void> {
  const toWorld = fittedModelToWorld(head.fit, inputCamera);
  const { triangle, stats } = lineageBinding(
    head.model,
    head.fit,
    toWorld,
    opt.initial,
    opt.cloud,
    opt.lineage,
  );
  await writeHeadBinding(runDir, triangle, head.model.info, DRIFT_CM, stats);
  log(
    `binding: ${stats.bound} of ${stats.gaussians} Gaussians on the fitted head, ${stats.inherited} on their ancestor's triangle ` +
      `(drift median ${stats.driftMedianCm.toFixed(2)} cm, 95th pct ${stats.driftP95Cm.toFixed(2)} cm); by the nearest rule: ` +
      `${stats.drifted} beyond ${DRIFT_CM} cm, ${stats.adopted} of unbound ancestors, ${stats.resurfaced} on another surface; ` +
      `${stats.released} of bound ancestors left unbound; ${stats.ms.toFixed(0)} ms`,
  );
}
