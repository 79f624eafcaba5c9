/**
 * A run's fitted head as a textured mesh for engines (docs/mesh-export.md): read head-fit.json, the
 * run's input camera and its 16 views, pose the head model in the run's world, bake the atlas and
 * write GLB (morph targets) or OBJ + MTL + PNG.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { VIEW_AZIMUTHS_DEG, orbitCamera, type RasterCamera } from '../../shared/camera';
import type { InputCameraRecord } from '../../shared/contracts/multiview';
import { StudioError } from '../../shared/rpc/errors';
import type { RgbaImage } from '../../shared/image';
import { fittedModelToWorld } from '../head-fit/model-to-world';
import { runHeadModel } from '../head-fit/run-head-model';
import type { HeadFit } from '../head-fit/types';
import type { HeadModel } from '../head-model/types';
import { encodePng, readRgba } from '../image-io';
import { writeFileAtomic } from '../run-folder/atomic-write';
import { readRunHeadFit } from '../run-folder/head-fit-file';
import { runPath } from '../run-folder/layout';
import { bakeHeadTexture, type BakeStats } from './bake';
import { addHairShell, type HairShellStats } from './hair-shell';
import { ATLAS_CELLS, buildHeadMesh, LEFT_OUT_PARTS, type HeadMesh } from './head-mesh';
import { loadRunHead } from '../frontal';
import { writeHeadGlb, writeHeadObj } from './write';

export type MeshFormat = 'glb' | 'obj';
export const DEFAULT_TEXTURE_SIZE = 2048;
export const HAIR_NOTE =
  "hair: a shell over the scalp at the outside of the run's hair (thickness measured from its Gaussians), sharing the atlas (the skull texels carry the colour the views show through the hair); hair hanging below the jaw is not in it";

export interface MeshExportOptions {
  out: string;
  format?: MeshFormat;
  textureSize?: number;
  /** The head model to use; default: the one runs use (runHeadModel). */
  model?: HeadModel;
}

export interface MeshExportResult {
  files: string[];
  vertexCount: number;
  triangleCount: number;
  morphTargets: string[];
  textureSize: number;
  bake: BakeStats;
  hair: HairShellStats;
  timings: { loadMs: number; meshMs: number; bakeMs: number; writeMs: number; totalMs: number };
  notes: string[];
}

interface RunInputs {
  fit: HeadFit;
  inputCamera: InputCameraRecord;
  views: { image: RgbaImage; camera: RasterCamera }[];
}

/** The error for a run folder without a head fit. */
function noHeadFit(runDir: string): StudioError {
  return new StudioError(
    'NOT_FOUND',
    `${runDir} has no head-fit.json: the run was made without a head model (install one: headforge models import-head) or before runs stored their fit`,
  );
}

/** A run folder, or a project folder (its newest run with a head fit). */
export async function resolveMeshRun(dir: string): Promise<string> {
  const has = (p: string) =>
    fs.stat(p).then(
      (s) => s,
      () => null,
    );
  if (await has(runPath(dir, 'headFit'))) return dir;
  if (await has(runPath(dir, 'record'))) throw noHeadFit(dir);
  // A library project keeps its runs in runs/<id>; a folder of run folders works too.
  let best: { dir: string; t: number } | null = null;
  for (const parent of [path.join(dir, 'runs'), dir]) {
    const names = await fs.readdir(parent).catch(() => [] as string[]);
    for (const n of names) {
      const s = await has(runPath(path.join(parent, n), 'headFit'));
      if (s && (!best || s.mtimeMs > best.t)) best = { dir: path.join(parent, n), t: s.mtimeMs };
    }
  }
  if (!best)
    throw new StudioError(
      'NOT_FOUND',
      `${dir} is not a run folder, nor a project with a run that has a head fit`,
    );
  return best.dir;
}

async function readRun(runDir: string): Promise<RunInputs> {
  const fit = await readRunHeadFit(runDir);
  if (!fit) throw noHeadFit(runDir);
  const record = JSON.parse(await fs.readFile(runPath(runDir, 'record'), 'utf8')) as {
    resolved?: {
      elevationDeg?: number;
      fovyDeg?: number;
      viewAzimuthsDeg?: number[];
      inputCamera?: InputCameraRecord;
    };
    outputs?: { views?: string[] };
  };
  const r = record.resolved ?? {};
  if (!r.inputCamera)
    throw new StudioError(
      'NOT_FOUND',
      `${runDir}: record.json has no resolved.inputCamera (runs made before it was recorded): generate the run again`,
    );
  if (typeof r.elevationDeg !== 'number')
    throw new StudioError('NOT_FOUND', `${runDir}: record.json has no resolved.elevationDeg`);
  const azimuths = r.viewAzimuthsDeg ?? VIEW_AZIMUTHS_DEG;
  const files =
    record.outputs?.views ?? azimuths.map((_, i) => `views/view-${String(i).padStart(2, '0')}.png`);
  const views = await Promise.all(
    files.map(async (f, i) => {
      const image = await readRgba(path.join(runDir, f));
      return { image, camera: orbitCamera(azimuths[i], r.elevationDeg as number, image.width, r.fovyDeg) };
    }),
  );
  return { fit, inputCamera: r.inputCamera, views };
}

/** Build and bake the mesh of a run (no files written). */
export async function buildRunMesh(
  runDir: string,
  textureSize: number,
  model?: HeadModel,
): Promise<{
  mesh: HeadMesh;
  texture: RgbaImage;
  bake: BakeStats;
  hair: HairShellStats;
  fit: HeadFit;
  loadMs: number;
  meshMs: number;
}> {
  const t0 = Date.now();
  const run = await readRun(runDir);
  let m = model;
  if (!m) {
    const r = await runHeadModel();
    if (!r.model) throw new StudioError('BACKEND_UNAVAILABLE', `no head model to export with: ${r.reason}`);
    m = r.model;
  }
  if (run.fit.model.sha256 !== m.info.sha256)
    throw new StudioError(
      'BAD_REQUEST',
      `the run was fitted with head model ${run.fit.model.name} ${run.fit.model.sha256.slice(0, 12)}, the installed one is ${m.info.name} ${m.info.sha256.slice(0, 12)}: its identity coefficients would not mean the same shape`,
    );
  const t1 = Date.now();
  const toWorld = fittedModelToWorld(run.fit, run.inputCamera);
  const mesh = buildHeadMesh(m, run.fit.identity, run.fit.expression, toWorld);
  const t2 = Date.now();
  const { image, stats } = bakeHeadTexture(m, mesh, run.views, textureSize);
  // After the bake (the shell shares the skull's texels): the jaw angle bounds the scalp.
  const jaw = Array.from(mesh.sourceVertex).indexOf(m.multiPie68[2]);
  const scalpMinY = jaw >= 0 ? mesh.posedPositions[jaw * 3 + 1] : -Infinity;
  const headNeck = m.parts.find((p) => p.name === 'headNeck');
  const scalp = (t: number) => !!headNeck && t >= headNeck.triangleStart && t < headNeck.triangleEnd;
  const shell = addHairShell(mesh, (await loadRunHead(runDir)).cloud, scalp, scalpMinY);
  return {
    mesh: shell.mesh,
    texture: image,
    bake: stats,
    hair: shell.stats,
    fit: run.fit,
    loadMs: t1 - t0,
    meshMs: t2 - t1,
  };
}

export async function exportRunMesh(
  runDirOrProject: string,
  opts: MeshExportOptions,
): Promise<MeshExportResult> {
  const t0 = Date.now();
  const format = opts.format ?? 'glb';
  const size = opts.textureSize ?? DEFAULT_TEXTURE_SIZE;
  const runDir = await resolveMeshRun(runDirOrProject);
  const { mesh, texture, bake, hair, fit, loadMs, meshMs } = await buildRunMesh(runDir, size, opts.model);
  const t3 = Date.now();
  const png = new Uint8Array(await encodePng(texture));
  const files: string[] = [];
  await fs.mkdir(path.dirname(path.resolve(opts.out)), { recursive: true });
  if (format === 'glb') {
    const glb = await writeHeadGlb(mesh, {
      texturePng: png,
      extras: {
        headforge: {
          source:
            'fitted ICT Face Model (identity, zero expression), run world frame: +Y up, face +Z, orbit radius 1.5',
          worldUnitsPerCm: mesh.scale,
          fittedExpression: mesh.fittedExpression,
          atlas: ATLAS_CELLS,
          hair: HAIR_NOTE,
          hairShell: hair,
          identityModes: fit.identity.length,
        },
      },
    });
    await writeFileAtomic(opts.out, glb);
    files.push(opts.out);
  } else {
    const dir = path.dirname(opts.out);
    const base = path.basename(opts.out).replace(/\.obj$/i, '');
    const pngName = `${base}.png`;
    const { obj, mtl } = writeHeadObj(mesh, base, pngName);
    const objPath = path.join(dir, `${base}.obj`);
    await writeFileAtomic(objPath, obj);
    await writeFileAtomic(path.join(dir, `${base}.mtl`), mtl);
    await writeFileAtomic(path.join(dir, pngName), png);
    files.push(objPath, path.join(dir, `${base}.mtl`), path.join(dir, pngName));
  }
  const t4 = Date.now();
  const notes = [
    HAIR_NOTE,
    `left out: ${LEFT_OUT_PARTS.join(', ')} (thin shells and cards that need their own shaders)`,
    'no ARKit twin in the kit: tongueOut; browInnerUp and cheekPuff are added as the sum of the kit halves (browInnerUpLeft/Right, cheekPuffLeft/Right also kept)',
  ];
  if (format === 'obj') notes.push('OBJ has no morph targets: the expression shapes are in the GLB only');
  return {
    files,
    vertexCount: mesh.positions.length / 3,
    triangleCount: mesh.indices.length / 3,
    morphTargets: mesh.morphTargets.map((t) => t.name),
    textureSize: size,
    bake,
    hair,
    timings: { loadMs, meshMs, bakeMs: bake.timeMs, writeMs: t4 - t3, totalMs: t4 - t0 },
    notes,
  };
}
