/**
 * What the UI sees of the library's files: a project's gallery summary (damaged with its reason, or its
 * thumbnail, cover and last run's state), a run's summary with asset URLs, and what the newest
 * preprocessed run found. Built from the files ProjectLibrary reads; nothing here writes.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { ProjectDetail, ProjectId, ProjectSummary, RunSummary } from '../../shared/contracts/studio-api';
import type { RunOutputs } from '../../shared/contracts/run';
import { RUN_FILES, runPath } from '../run-folder/layout';
import { assetUrl, projectsDir } from './paths';
import { projectFileSchema, runFileSchema, type ProjectFile, type RunFile } from './schema';

/** Shown on a project's card and in the import result when no face was found in its portrait. */
export const NO_FACE_WARNING =
  'No face was found in this picture. It can still run (profiles and drawings do), framed from its outline with a default identity and elevation; a front or 3/4 portrait gives a better head.';

/** A project folder as read: its project.json, or why it is damaged. */
export type LoadedProject =
  { ok: true; dir: string; file: ProjectFile } | { ok: false; dir: string; id: string; reason: string };

/** Project `id`'s project.json in library `root`, parsed and checked against the folder's name, or why it is damaged. */
export async function readProject(root: string, id: string): Promise<LoadedProject> {
  const dir = path.join(projectsDir(root), id);
  let raw: string;
  try {
    raw = await fs.readFile(path.join(dir, 'project.json'), 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const reason =
      code === 'ENOENT'
        ? 'project.json is missing'
        : `project.json cannot be read (${code ?? (err as Error).message})`;
    return { ok: false, dir, id, reason };
  }
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (err) {
    return { ok: false, dir, id, reason: `project.json is not valid JSON (${(err as Error).message})` };
  }
  const parsed = projectFileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return {
      ok: false,
      dir,
      id,
      reason: `project.json is invalid: ${issue.path.join('.') || '(root)'}: ${issue.message}`,
    };
  }
  if (parsed.data.id !== id)
    return {
      ok: false,
      dir,
      id,
      reason: `project.json names id ${parsed.data.id} but the folder is ${id}`,
    };
  return { ok: true, dir, file: parsed.data };
}

/** The gallery summary of a project whose project.json cannot be used: named by its folder, never dropped. */
export async function damagedProjectSummary(
  p: Extract<LoadedProject, { ok: false }>,
  runCount: number,
): Promise<ProjectSummary> {
  const stat = await fs.stat(p.dir).catch(() => null);
  const when = (stat?.mtime ?? new Date(0)).toISOString();
  return {
    id: p.id,
    name: p.id,
    createdAt: when,
    updatedAt: when,
    thumbnailUrl: null,
    runCount,
    status: 'damaged',
    damage: p.reason,
    activeJob: null,
    lastRunState: null,
  };
}

/** The gallery summary of a healthy project; `runs` newest first. */
export function projectSummary(
  assetBase: string,
  file: ProjectFile,
  runs: RunSummary[],
  runCount: number,
): ProjectSummary {
  const latest = runs[0];
  // The pinned cover while it is a finished run (a deleted or failed one falls back to the newest).
  const pinned = runs.find((r) => r.id === file.coverRunId && r.state === 'done');
  const shown = pinned ?? runs.find((r) => r.state === 'done');
  const thumb =
    shown?.renderUrls?.[0] ?? shown?.viewUrls?.[0] ?? assetUrl(assetBase, file.id, file.input.file);
  return {
    id: file.id,
    name: file.name,
    createdAt: file.createdAt,
    updatedAt: file.updatedAt,
    thumbnailUrl: thumb,
    coverRunId: pinned?.id ?? null,
    runCount,
    status: 'ok',
    ...(file.input.face === 'none' ? { inputWarning: NO_FACE_WARNING } : {}),
    activeJob: null,
    lastRunState: latest?.state ?? null,
  };
}

/** What the newest run that got through preprocessing found (crop, overlay, pose, elevation). */
export async function latestPreprocess(
  assetBase: string,
  projectId: ProjectId,
  dir: string,
  runs: RunSummary[],
): Promise<ProjectDetail['preprocessed']> {
  for (const run of runs) {
    const raw = await fs.readFile(runPath(path.join(dir, 'runs', run.id), 'face'), 'utf8').catch(() => null);
    if (raw === null) continue;
    try {
      const face = JSON.parse(raw) as {
        face: { yawDeg: number; pitchDeg: number } | null;
        estimatedElevationDeg: number;
        warnings: string[];
      };
      const url = (rel: string): string => assetUrl(assetBase, projectId, `runs/${run.id}/${rel}`);
      return {
        cropUrl: url(RUN_FILES.crop512),
        overlayUrl: url(RUN_FILES.overlay),
        yawDeg: face.face?.yawDeg ?? null,
        pitchDeg: face.face?.pitchDeg ?? null,
        elevationDeg: face.estimatedElevationDeg,
        warnings: Array.isArray(face.warnings) ? face.warnings.map(String) : [],
      };
    } catch {
      continue; // an unreadable face.json only hides the input panel's details
    }
  }
  return null;
}

/** What the UI shows of one run: its state, settings, metrics and the asset URLs of its files. */
export function runSummary(assetBase: string, projectId: string, run: RunFile): RunSummary {
  const url = (rel: string): string => assetUrl(assetBase, projectId, `runs/${run.id}/${rel}`);
  const o = run.outputs;
  const summary: RunSummary = {
    id: run.id,
    projectId,
    createdAt: run.createdAt,
    state: run.state,
    settings: run.settings,
  };
  if (run.error) summary.error = run.error;
  if (o) {
    const metrics = o.metrics as RunOutputs['metrics'];
    summary.metrics = {
      meanPsnr: metrics.meanPsnr,
      perViewPsnr: metrics.perViewPsnr,
      gaussians: metrics.gaussians,
    };
    summary.timings = o.timings;
    summary.viewUrls = o.views.map(url);
    summary.renderUrls = o.renders.map(url);
    summary.splatUrl = o.headPly ? url(o.headPly) : null;
  }
  return summary;
}

/** run.json's text -> the run, or why it cannot be used. */
export function parseRun(raw: string): { ok: true; run: RunFile } | { ok: false; reason: string } {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (err) {
    return { ok: false, reason: `run.json is not valid JSON (${(err as Error).message})` };
  }
  const parsed = runFileSchema.safeParse(json);
  if (!parsed.success) return { ok: false, reason: `run.json is invalid: ${parsed.error.issues[0].message}` };
  return { ok: true, run: parsed.data };
}

/** Names of the sub-folders of `dir` (hidden ones, e.g. staging folders, left out); [] when it is missing. */
export async function listDirNames(dir: string): Promise<string[]> {
  const entries = await fs.readdir(dir, { withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isDirectory() && !e.name.startsWith('.')).map((e) => e.name);
}
