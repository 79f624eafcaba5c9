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
import {
  fsError,
  nodeLibraryFs,
  writeJsonAtomic,
  writeFileAtomic,
  type LibraryFs,
} from '../run-folder/atomic-write';
import { checkImageBytes } from './image-check';
import { copyFinishedRuns, copyPlainFile } from './duplicate';
import { assertId, assetUrl, logsDir, projectsDir, resolveInside, resolveProjectDir } from './paths';
import { PROJECT_SCHEMA_VERSION, RUN_SCHEMA_VERSION, type ProjectFile, type RunFile } from './schema';
import { runPath } from '../run-folder/layout';
import { copyName, newProjectId } from './names';
import {
  NO_FACE_WARNING,
  damagedProjectSummary,
  latestPreprocess,
  listDirNames,
  parseRun,
  projectSummary,
  readProject,
  runSummary,
  type LoadedProject,
} from './project-views';

import type { CreatedRun, DamagedRun, ProjectLibraryOptions } from './library-types';

export { NO_FACE_WARNING, copyName };

export type { CreatedRun, DamagedRun, ProjectLibraryOptions };

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
    const summaries = await Promise.all(
      ids.map(async (id) => this.summarise(await readProject(this.root, id))),
    );
    return summaries.sort((a, b) => b.updatedAt.localeCompare(a.updatedAt) || a.id.localeCompare(b.id));
  }

  async get(id: ProjectId): Promise<ProjectDetail> {
    const loaded = await this.loadExisting(id);
    const summary = await this.summarise(loaded);
    const runs = loaded.ok ? await this.listRuns(id, loaded.dir) : [];
    return {
      ...summary,
      inputUrl: loaded.ok ? assetUrl(this.assetBase, id, loaded.file.input.file) : null,
      preprocessed: loaded.ok ? await latestPreprocess(this.assetBase, id, loaded.dir, runs) : null,
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

  /**
   * Validate the image (decodable, not too small), look for a face (none: imported with a warning),
   * then write the project into a hidden staging folder and rename it into place.
   */
  async create(args: { name: string; fileName: string; bytes: Uint8Array }): Promise<ProjectSummary> {
    const image = await checkImageBytes(args.bytes, args.fileName);
    const faceFound = this.findFace ? await this.findFace(args.bytes).catch(() => null) : null;
    await this.init();
    const id = newProjectId(args.name);
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
    const dir = await this.stage(project, `save project "${project.name}"`, (staging) =>
      writeFileAtomic(path.join(staging, inputFile), args.bytes, this.fsOps),
    );
    return this.summarise({ ok: true, dir, file: project });
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
    const now = new Date().toISOString();
    const project: ProjectFile = {
      ...source.file,
      id: newProjectId(name),
      name,
      createdAt: now,
      updatedAt: now,
    };
    const dir = await this.stage(project, `duplicate project "${source.file.name}"`, async (staging) => {
      const input = source.file.input.file;
      await copyPlainFile(path.join(source.dir, input), path.join(staging, input), this.fsOps);
      await copyFinishedRuns(source.dir, staging, this.fsOps);
    });
    return this.summarise({ ok: true, dir, file: project });
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
      if (run.state !== 'done')
        throw new StudioError(
          'BAD_REQUEST',
          `run ${runId} is ${run.state}: only a finished run can be the cover`,
        );
    }
    const { coverRunId: _old, ...rest } = loaded.file;
    const file: ProjectFile = {
      ...rest,
      ...(runId ? { coverRunId: runId } : {}),
      updatedAt: new Date().toISOString(),
    };
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

  /**
   * A new project written into a hidden staging folder (`fill` adds its files, then project.json) and
   * renamed into place; whatever fails, the staging folder goes, so nothing half-made remains.
   */
  private async stage(
    project: ProjectFile,
    what: string,
    fill: (staging: string) => Promise<void>,
  ): Promise<string> {
    const finalDir = await resolveProjectDir(this.root, project.id);
    const staging = path.join(projectsDir(this.root), `.new-${project.id}`);
    try {
      await this.fsOps.mkdir(path.join(staging, 'runs'));
      await fill(staging);
      await writeJsonAtomic(path.join(staging, 'project.json'), project, this.fsOps);
      await this.fsOps.rename(staging, finalDir);
    } catch (err) {
      await this.fsOps.rm(staging, { recursive: true }).catch(() => undefined);
      throw fsError(err, what);
    }
    return finalDir;
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
    return readProject(this.root, id);
  }

  private async summarise(p: LoadedProject): Promise<ProjectSummary> {
    const runIds = await listDirNames(path.join(p.dir, 'runs'));
    if (!p.ok) return damagedProjectSummary(p, runIds.length);
    return projectSummary(
      this.assetBase,
      p.file,
      await this.listRuns(p.file.id, p.dir, runIds),
      runIds.length,
    );
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
      runs.push(runSummary(this.assetBase, projectId, parsed.run));
    }
    return runs.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  }
}
