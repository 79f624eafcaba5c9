/**
 * ProjectLibrary: the projects on disk (layout in paths.ts). Every write is atomic; every read is
 * validated; a project whose project.json is missing, unreadable or invalid is listed as 'damaged'
 * with the reason and is never rewritten by the library (rename refuses; only an explicit delete removes it).
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type {
  ProjectDetail,
  ProjectId,
  ProjectSummary,
  RunId,
  RunSettings,
  RunState,
  RunSummary,
} from '../../shared/contracts/studio-api';
import type { RunOutputs } from '../../shared/contracts/run';
import { StudioError } from '../../shared/rpc/errors';
import { fsError, nodeLibraryFs, writeJsonAtomic, writeFileAtomic, type LibraryFs } from '../run-folder/atomic-write';
import { checkImageBytes } from './image-check';
import { copyFinishedRuns, copyPlainFile } from './duplicate';
import { assertId, assetUrl, logsDir, projectsDir, resolveInside, resolveProjectDir } from './paths';
import {
  PROJECT_SCHEMA_VERSION,
  RUN_SCHEMA_VERSION,
  projectFileSchema,
  runFileSchema,
  type ProjectFile,
  type RunFile,
} from './schema';
import { RUN_FILES, runPath } from '../run-folder/layout';

export interface ProjectLibraryOptions {
  root: string;
  /** Prefix of asset URLs: '/assets' in browser mode, the custom protocol's origin in Electron. */
  assetBaseUrl?: string;
  /** Filesystem operations for writes (tests inject ENOSPC etc.). */
  fs?: LibraryFs;
  /**
   * Told once per run whose run.json exists but cannot be used (invalid JSON or schema): the run is
   * left out of listings, its folder is kept untouched, and this reports it (the engine logs it).
   */
  onDamagedRun?: (damaged: DamagedRun) => void;
  /**
   * Looks for a face in an imported portrait (face-check.ts in the engine): true, false, or null when
   * it could not tell. A picture without a face is still imported (profiles and drawings run) but its
   * project carries NO_FACE_WARNING. Without this option nothing is checked.
   */
  findFace?: (bytes: Uint8Array) => Promise<boolean | null>;
}

/** Shown on a project's card and in the import result when no face was found in its portrait. */
export const NO_FACE_WARNING =
  'No face was found in this picture. It can still run (profiles and drawings do), framed from its outline with a default identity and elevation; a front or 3/4 portrait gives a better head.';

/** A run folder whose run.json is unreadable: kept on disk, listed here instead of in `runs`. */
export interface DamagedRun {
  projectId: string;
  runId: string;
  reason: string;
}

type LoadedProject =
  { ok: true; dir: string; file: ProjectFile } | { ok: false; dir: string; id: string; reason: string };

export interface CreatedRun {
  runId: RunId;
  runDir: string;
  projectDir: string;
  inputPath: string;
  run: RunFile;
}

export class ProjectLibrary {
  readonly root: string;
  private readonly assetBase: string;
  private readonly fsOps: LibraryFs;
  private readonly onDamagedRun?: (damaged: DamagedRun) => void;
  private readonly findFace?: (bytes: Uint8Array) => Promise<boolean | null>;
  private readonly reportedDamage = new Set<string>();

  constructor(options: ProjectLibraryOptions) {
    this.root = path.resolve(options.root);
    this.assetBase = options.assetBaseUrl ?? '/assets';
    this.fsOps = options.fs ?? nodeLibraryFs;
    this.onDamagedRun = options.onDamagedRun;
    this.findFace = options.findFace;
  }

  /** Runs of a project whose run.json exists but is invalid (kept on disk, missing from `runs`). */
  async damagedRuns(projectId: string): Promise<DamagedRun[]> {
    const dir = await resolveProjectDir(this.root, projectId);
    const damaged: DamagedRun[] = [];
    for (const runId of await listDirNames(path.join(dir, 'runs'))) {
      const raw = await fs.readFile(runPath(path.join(dir, 'runs', runId), 'run'), 'utf8').catch(() => null);
      if (raw === null) continue; // still being created, or never was a run
      const parsed = parseRun(raw);
      if (!parsed.ok) damaged.push({ projectId, runId, reason: parsed.reason });
    }
    return damaged;
  }

  /** Create the library folders if needed; a clear IO error if the location is unusable. */
  async init(): Promise<void> {
    try {
      await fs.mkdir(projectsDir(this.root), { recursive: true });
      await fs.mkdir(logsDir(this.root), { recursive: true });
    } catch (err) {
      throw fsError(err, `create the project library at ${this.root}`);
    }
  }

  async list(): Promise<ProjectSummary[]> {
    let entries: import('node:fs').Dirent[];
    try {
      entries = await fs.readdir(projectsDir(this.root), { withFileTypes: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw fsError(err, `read the project library at ${projectsDir(this.root)}`);
    }
    const ids = entries.filter((e) => e.isDirectory() && !e.name.startsWith('.')).map((e) => e.name);
    const summaries = await Promise.all(ids.map(async (id) => this.summarise(await this.load(id))));
    return summaries.sort((a, b) => b.updatedAt.localeCompare(a.updatedAt) || a.id.localeCompare(b.id));
  }

  async get(id: ProjectId): Promise<ProjectDetail> {
    const loaded = await this.loadExisting(id);
    const summary = await this.summarise(loaded);
    const runs = loaded.ok ? await this.listRuns(id, loaded.dir) : [];
    return {
      ...summary,
      inputUrl: loaded.ok ? assetUrl(this.assetBase, id, loaded.file.input.file) : null,
      preprocessed: loaded.ok ? await this.latestPreprocess(id, loaded.dir, runs) : null,
      runs,
    };
  }

  /** A healthy project's folder and its input image (for work outside a run, e.g. seed previews). */
  async inputFile(projectId: ProjectId): Promise<{ projectDir: string; inputPath: string }> {
    const loaded = await this.requireOk(projectId);
    return { projectDir: loaded.dir, inputPath: path.join(loaded.dir, loaded.file.input.file) };
  }

  /** Asset URL of a file inside a project (relative path, checked again when served). */
  assetUrlFor(projectId: ProjectId, rel: string): string {
    return assetUrl(this.assetBase, projectId, rel);
  }

  /** What the newest run that got through preprocessing found (crop, overlay, pose, elevation). */
  private async latestPreprocess(
    projectId: ProjectId,
    dir: string,
    runs: RunSummary[],
  ): Promise<ProjectDetail['preprocessed']> {
    for (const run of runs) {
      const raw = await fs
        .readFile(runPath(path.join(dir, 'runs', run.id), 'face'), 'utf8')
        .catch(() => null);
      if (raw === null) continue;
      try {
        const face = JSON.parse(raw) as {
          face: { yawDeg: number; pitchDeg: number } | null;
          estimatedElevationDeg: number;
          warnings: string[];
        };
        const url = (rel: string): string =>
          assetUrl(this.assetBase, projectId, `runs/${run.id}/${rel}`);
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

  /**
   * Validate the image (decodable, not too small), look for a face (none: imported with a warning),
   * then write the project into a hidden staging folder and rename it into place.
   */
  async create(args: { name: string; fileName: string; bytes: Uint8Array }): Promise<ProjectSummary> {
    const image = await checkImageBytes(args.bytes, args.fileName);
    const faceFound = this.findFace ? await this.findFace(args.bytes).catch(() => null) : null;
    await this.init();
    const id = `${slug(args.name)}-${randomBytes(3).toString('hex')}`;
    const finalDir = await resolveProjectDir(this.root, id);
    const stagingDir = path.join(projectsDir(this.root), `.new-${id}`);
    const now = new Date().toISOString();
    const inputFile = `input.${image.extension}`;
    const project: ProjectFile = {
      schemaVersion: PROJECT_SCHEMA_VERSION,
      id,
      name: args.name.trim(),
      createdAt: now,
      updatedAt: now,
      input: {
        file: inputFile,
        originalName: args.fileName,
        format: image.format,
        width: image.width,
        height: image.height,
        bytes: args.bytes.byteLength,
        ...(faceFound === null ? {} : { face: faceFound ? ('found' as const) : ('none' as const) }),
      },
    };
    try {
      await this.fsOps.mkdir(path.join(stagingDir, 'runs'));
      await writeFileAtomic(path.join(stagingDir, inputFile), args.bytes, this.fsOps);
      await writeJsonAtomic(path.join(stagingDir, 'project.json'), project, this.fsOps);
      await this.fsOps.rename(stagingDir, finalDir);
    } catch (err) {
      // Nothing half-made may remain: the staging folder goes, whatever failed.
      await this.fsOps.rm(stagingDir, { recursive: true }).catch(() => undefined);
      throw fsError(err, `save project "${project.name}"`);
    }
    return this.summarise({ ok: true, dir: finalDir, file: project });
  }

  /**
   * Copy a project into a new one named "<name> copy" (then "copy 2", ...): the portrait and every
   * finished run (duplicate.ts says what is and is not copied). Staged in a hidden folder and renamed
   * into place, like create: a failure leaves nothing half-made.
   */
  async duplicate(id: ProjectId): Promise<ProjectSummary> {
    const source = await this.requireOk(id);
    const taken = new Set((await this.list()).map((p) => p.name));
    const name = copyName(source.file.name, taken);
    const newId = `${slug(name)}-${randomBytes(3).toString('hex')}`;
    const finalDir = await resolveProjectDir(this.root, newId);
    const stagingDir = path.join(projectsDir(this.root), `.new-${newId}`);
    const now = new Date().toISOString();
    const project: ProjectFile = { ...source.file, id: newId, name, createdAt: now, updatedAt: now };
    try {
      await this.fsOps.mkdir(path.join(stagingDir, 'runs'));
      await copyPlainFile(
        path.join(source.dir, source.file.input.file),
        path.join(stagingDir, source.file.input.file),
        this.fsOps,
      );
      await copyFinishedRuns(source.dir, stagingDir, this.fsOps);
      await writeJsonAtomic(path.join(stagingDir, 'project.json'), project, this.fsOps);
      await this.fsOps.rename(stagingDir, finalDir);
    } catch (err) {
      await this.fsOps.rm(stagingDir, { recursive: true }).catch(() => undefined);
      throw fsError(err, `duplicate project "${source.file.name}"`);
    }
    return this.summarise({ ok: true, dir: finalDir, file: project });
  }

  async rename(id: ProjectId, name: string): Promise<ProjectSummary> {
    const loaded = await this.requireOk(id);
    const file: ProjectFile = { ...loaded.file, name: name.trim(), updatedAt: new Date().toISOString() };
    await writeJsonAtomic(path.join(loaded.dir, 'project.json'), file, this.fsOps);
    return this.summarise({ ok: true, dir: loaded.dir, file });
  }

  /** Pin a finished run as the project's gallery picture, or unpin (null: the newest finished run). */
  async setCover(id: ProjectId, runId: RunId | null): Promise<ProjectSummary> {
    const loaded = await this.requireOk(id);
    if (runId !== null) {
      const run = (await this.listRuns(id, loaded.dir)).find((r) => r.id === runId);
      if (!run) throw new StudioError('NOT_FOUND', `project ${id} has no run ${runId}`);
      if (run.state !== 'done') throw new StudioError('BAD_REQUEST', `run ${runId} is ${run.state}: only a finished run can be the cover`);
    }
    const { coverRunId: _old, ...rest } = loaded.file;
    const file: ProjectFile = { ...rest, ...(runId ? { coverRunId: runId } : {}), updatedAt: new Date().toISOString() };
    await writeJsonAtomic(path.join(loaded.dir, 'project.json'), file, this.fsOps);
    return this.summarise({ ok: true, dir: loaded.dir, file });
  }

  /** Remove a project (damaged ones too: deletion is an explicit user decision). */
  async delete(id: ProjectId): Promise<void> {
    const loaded = await this.loadExisting(id);
    // Rename first so the project disappears atomically even if the recursive delete is interrupted.
    const trash = path.join(projectsDir(this.root), `.deleted-${id}-${randomBytes(3).toString('hex')}`);
    try {
      await this.fsOps.rename(loaded.dir, trash);
    } catch (err) {
      throw fsError(err, `delete project ${id}`);
    }
    await this.fsOps.rm(trash, { recursive: true }).catch(() => undefined);
  }

  async createRun(projectId: ProjectId, settings: RunSettings): Promise<CreatedRun> {
    const loaded = await this.requireOk(projectId);
    const now = new Date();
    const runId = `run-${now.toISOString().replace(/[-:T]/g, '').slice(0, 14)}-${randomBytes(2).toString('hex')}`;
    const runDir = await resolveInside(loaded.dir, `runs/${runId}`);
    const run: RunFile = {
      schemaVersion: RUN_SCHEMA_VERSION,
      id: runId,
      createdAt: now.toISOString(),
      updatedAt: now.toISOString(),
      state: 'queued',
      settings,
    };
    try {
      await fs.mkdir(runPath(runDir, 'viewsDir'), { recursive: true });
      await fs.mkdir(runPath(runDir, 'exportsDir'), { recursive: true });
    } catch (err) {
      throw fsError(err, `create run folder for ${projectId}`);
    }
    await writeJsonAtomic(runPath(runDir, 'run'), run, this.fsOps);
    await writeJsonAtomic(
      path.join(loaded.dir, 'project.json'),
      { ...loaded.file, updatedAt: now.toISOString() },
      this.fsOps,
    );
    return {
      runId,
      runDir,
      projectDir: loaded.dir,
      inputPath: path.join(loaded.dir, loaded.file.input.file),
      run,
    };
  }

  async readRun(projectId: ProjectId, runId: RunId): Promise<RunFile> {
    const dir = await this.runDir(projectId, runId);
    let raw: string;
    try {
      raw = await fs.readFile(runPath(dir, 'run'), 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT')
        throw new StudioError('NOT_FOUND', `no run ${runId} in project ${projectId}`);
      throw fsError(err, `read run ${runId}`);
    }
    const parsed = parseRun(raw);
    if (!parsed.ok)
      throw new StudioError('DAMAGED', `run ${runId} of project ${projectId} is damaged: ${parsed.reason}`);
    return parsed.run;
  }

  async updateRun(
    projectId: ProjectId,
    runId: RunId,
    patch: { state?: RunState; error?: string; outputs?: RunOutputs },
  ): Promise<RunFile> {
    const current = await this.readRun(projectId, runId);
    const next: RunFile = { ...current, ...patch, updatedAt: new Date().toISOString() } as RunFile;
    await writeJsonAtomic(runPath(await this.runDir(projectId, runId), 'run'), next, this.fsOps);
    return next;
  }

  async runDir(projectId: ProjectId, runId: RunId): Promise<string> {
    assertId(runId, 'run');
    return resolveInside(await resolveProjectDir(this.root, projectId), `runs/${runId}`);
  }

  /**
   * Runs left 'queued' or 'running' by an engine that died: mark them failed with the reason, so the
   * UI never shows a run spinning forever. Returns how many were marked.
   */
  async failInterruptedRuns(reason: string, only?: { projectId: ProjectId; runId: RunId }): Promise<number> {
    const targets: { projectId: string; runId: string }[] = [];
    if (only) targets.push(only);
    else {
      for (const p of await this.list()) {
        if (p.status !== 'ok') continue;
        const dir = await resolveProjectDir(this.root, p.id);
        for (const runId of await listDirNames(path.join(dir, 'runs')))
          targets.push({ projectId: p.id, runId });
      }
    }
    let marked = 0;
    for (const t of targets) {
      try {
        const run = await this.readRun(t.projectId, t.runId);
        if (run.state === 'queued' || run.state === 'running') {
          await this.updateRun(t.projectId, t.runId, { state: 'failed', error: reason });
          marked++;
        }
      } catch {
        // Damaged or vanished run: nothing to mark, and never rewrite a file we cannot parse.
      }
    }
    return marked;
  }

  private async requireOk(id: ProjectId): Promise<Extract<LoadedProject, { ok: true }>> {
    const loaded = await this.loadExisting(id);
    if (!loaded.ok)
      throw new StudioError('DAMAGED', `project ${id} is damaged (${loaded.reason}); it was left untouched`);
    return loaded;
  }

  private async loadExisting(id: ProjectId): Promise<LoadedProject> {
    const dir = await resolveProjectDir(this.root, id);
    try {
      const stat = await fs.stat(dir);
      if (!stat.isDirectory()) throw new StudioError('NOT_FOUND', `no project ${id}`);
    } catch (err) {
      if (err instanceof StudioError) throw err;
      throw new StudioError('NOT_FOUND', `no project ${id}`);
    }
    return this.load(id);
  }

  private async load(id: string): Promise<LoadedProject> {
    const dir = path.join(projectsDir(this.root), id);
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

  private async summarise(p: LoadedProject): Promise<ProjectSummary> {
    const runIds = await listDirNames(path.join(p.dir, 'runs'));
    if (!p.ok) {
      const stat = await fs.stat(p.dir).catch(() => null);
      const when = (stat?.mtime ?? new Date(0)).toISOString();
      return {
        id: p.id,
        name: p.id,
        createdAt: when,
        updatedAt: when,
        thumbnailUrl: null,
        runCount: runIds.length,
        status: 'damaged',
        damage: p.reason,
        activeJob: null,
        lastRunState: null,
      };
    }
    const runs = await this.listRuns(p.file.id, p.dir, runIds);
    const latest = runs[0];
    // The pinned cover while it is a finished run (a deleted or failed one falls back to the newest).
    const pinned = runs.find((r) => r.id === p.file.coverRunId && r.state === 'done');
    const shown = pinned ?? runs.find((r) => r.state === 'done');
    const thumb =
      shown?.renderUrls?.[0] ?? shown?.viewUrls?.[0] ?? assetUrl(this.assetBase, p.file.id, p.file.input.file);
    return {
      id: p.file.id,
      name: p.file.name,
      createdAt: p.file.createdAt,
      updatedAt: p.file.updatedAt,
      thumbnailUrl: thumb,
      coverRunId: pinned?.id ?? null,
      runCount: runIds.length,
      status: 'ok',
      ...(p.file.input.face === 'none' ? { inputWarning: NO_FACE_WARNING } : {}),
      activeJob: null,
      lastRunState: latest?.state ?? null,
    };
  }

  /** Runs of a project, newest first. A run whose run.json is unreadable is left out of the list but stays on disk. */
  private async listRuns(projectId: string, dir: string, runIds?: string[]): Promise<RunSummary[]> {
    const ids = runIds ?? (await listDirNames(path.join(dir, 'runs')));
    const runs: RunSummary[] = [];
    for (const runId of ids) {
      const raw = await fs.readFile(runPath(path.join(dir, 'runs', runId), 'run'), 'utf8').catch(() => null);
      const parsed = raw === null ? ({ ok: false, reason: 'run.json is missing' } as const) : parseRun(raw);
      if (!parsed.ok) {
        // A run without a readable run.json has no settings to show; the folder stays on disk. A
        // present-but-damaged run.json is reported (once), never silently dropped.
        const key = `${projectId}/${runId}`;
        if (raw !== null && !this.reportedDamage.has(key)) {
          this.reportedDamage.add(key);
          this.onDamagedRun?.({ projectId, runId, reason: parsed.reason });
        }
        continue;
      }
      runs.push(this.runSummary(projectId, parsed.run));
    }
    return runs.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  }

  private runSummary(projectId: string, run: RunFile): RunSummary {
    const url = (rel: string): string => assetUrl(this.assetBase, projectId, `runs/${run.id}/${rel}`);
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
}

function parseRun(raw: string): { ok: true; run: RunFile } | { ok: false; reason: string } {
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

async function listDirNames(dir: string): Promise<string[]> {
  const entries = await fs.readdir(dir, { withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isDirectory() && !e.name.startsWith('.')).map((e) => e.name);
}

/** "<name> copy", or "<name> copy 2", "copy 3"... when that name is already in the library (max 200 chars). */
export function copyName(name: string, taken: ReadonlySet<string>): string {
  const base = `${name.slice(0, 190)} copy`;
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) if (!taken.has(`${base} ${n}`)) return `${base} ${n}`;
}

/** Folder-name-safe slug of a display name ('Anna K. (final)' -> 'anna-k-final'). */
function slug(name: string): string {
  const s = name
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/, '');
  return s || 'project';
}
