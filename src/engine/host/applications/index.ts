/**
 * The paper's applications as StudioApi methods: 2D style preview before generation, 3D
 * restyle saved as a run variant, animation export as a job, frontal view export. The Engine serves
 * these methods as its own; arguments were validated by the contract table (dispatch.ts), ids are checked again by the
 * library (PATH_ESCAPE), and only file names and asset URLs go back to the UI.
 */
import type {
  AnimationExportStarted,
  AnimationRequest,
  FrontalExportResult,
  HeadRestyleOp,
  PortraitStyle,
  PortraitStyleChoice,
  PortraitStylePreview,
  PosedHead,
  RunFaceAnchors,
  RunSummary,
  StudioEvent,
  StudioResult,
} from '../../../shared/contracts/studio-api';
import fs from 'node:fs/promises';
import path from 'node:path';
import { StudioError } from '../../../shared/rpc/errors';
import type { Logger } from '../../logging/logger';
import type { ProjectLibrary } from '../../projects/library';
import type { JobQueue } from '../jobs';
import { animationFileName, requestTake, runAnimationExport } from './animation-export';
import { exportFrontalPng } from './frontal-export';
import { previewPortraitStyle } from './portrait-style';
import { markRunVariants, saveRestyledRun } from './restyle-run';
import { BoundHeadCache, poseRunHead } from './pose-head';
import { runFaceAnchors } from './run-anchors';
import { loadRunHead } from '../../frontal';
import { listStyleChoices } from '../../stylize';
import { runPath } from '../../run-folder/layout';

export class StudioApplications {
  /** Runs' splats bound to their fitted heads, for the live expression preview. */
  private readonly boundHeads = new BoundHeadCache();

  constructor(
    private readonly library: ProjectLibrary,
    private readonly jobs: JobQueue,
    private readonly logger: Logger,
    private readonly emit: (event: StudioEvent) => void,
  ) {}

  /** `runs` of a project with `variantOf` set on restyled variants (from their restyle.json). */
  async markRunVariants(projectId: string, runs: RunSummary[]): Promise<RunSummary[]> {
    const { projectDir } = await this.library.inputFile(projectId);
    return markRunVariants(projectDir, runs);
  }

  /** Built-in styles, then the styles of the style packs installed where `headforge models` looks. */
  async listPortraitStyles(): Promise<PortraitStyleChoice[]> {
    return listStyleChoices();
  }

  async previewPortraitStyle(args: { projectId: string; style: PortraitStyle }): Promise<PortraitStylePreview> {
    const { projectDir, inputPath } = await this.library.inputFile(args.projectId);
    const started = Date.now();
    const preview = await previewPortraitStyle({
      projectDir,
      inputPath,
      style: args.style,
      assetUrl: (rel) => this.library.assetUrlFor(args.projectId, rel),
      log: (m) => this.logger.info(`[style] ${m}`),
    });
    this.logger.info(`style preview ${args.projectId} ${args.style.name}@${args.style.strength} in ${Date.now() - started} ms`);
    return preview;
  }

  async saveRestyledRun(args: { projectId: string; runId: string; ops: HeadRestyleOp[] }): Promise<RunSummary> {
    const run = await saveRestyledRun(this.library, args);
    this.logger.info(`restyled ${args.projectId}/${args.runId} -> ${run.id} (${args.ops.map((o) => o.kind).join(', ')})`);
    this.emit({ type: 'projects-changed' });
    return run;
  }

  /** A finished run's folder, or a clear error for a run that has no head. */
  private async finishedRunDir(projectId: string, runId: string): Promise<string> {
    const run = await this.library.readRun(projectId, runId);
    if (run.state !== 'done' || !run.outputs?.headPly)
      throw new StudioError('BAD_REQUEST', `run ${runId} has no finished head (it is ${run.state})`);
    return this.library.runDir(projectId, runId);
  }

  async startAnimationExport(req: AnimationRequest): Promise<AnimationExportStarted> {
    const runDir = await this.finishedRunDir(req.projectId, req.runId);
    requestTake(req); // a bad take is refused here, before a job starts
    const fileName = animationFileName(req);
    const exportsDir = runPath(runDir, 'exportsDir');
    let jobId = '';
    // runId stays null on the job: the run itself is finished and must not show as running again.
    const job = this.jobs.submit({
      kind: 'export',
      projectId: req.projectId,
      runId: null,
      run: async (ctx) => {
        ctx.progress('animation', 0, `${req.format} ${req.size}px ${req.durationS}s at ${req.fps} fps`);
        const bytes = await runAnimationExport(runDir, exportsDir, fileName, req, {
          signal: ctx.signal,
          progress: (f, message) => ctx.progress('animation', f, message),
          log: (m) => this.logger.info(`[${jobId}] ${m}`),
        });
        this.logger.info(`[${jobId}] wrote ${fileName} (${bytes} bytes)`);
      },
    });
    jobId = job.id;
    return { job, fileName, url: this.library.assetUrlFor(req.projectId, `runs/${req.runId}/exports/${fileName}`) };
  }

  async listRunExports(args: { projectId: string; runId: string }): Promise<StudioResult<'listRunExports'>> {
    await this.library.readRun(args.projectId, args.runId); // NOT_FOUND for a run that is not there
    const exportsDir = runPath(await this.library.runDir(args.projectId, args.runId), 'exportsDir');
    const names = await fs.readdir(exportsDir).catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return [];
      throw err;
    });
    const files = [];
    for (const fileName of names) {
      const stat = await fs.stat(path.join(exportsDir, fileName)).catch(() => null);
      // Partly written files (atomic writes' temporaries) and folders are not exports.
      if (!stat?.isFile() || fileName.startsWith('.')) continue;
      files.push({
        fileName,
        bytes: stat.size,
        modifiedAt: stat.mtime.toISOString(),
        url: this.library.assetUrlFor(args.projectId, `runs/${args.runId}/exports/${fileName}`),
      });
    }
    return files.sort((a, b) => b.modifiedAt.localeCompare(a.modifiedAt) || a.fileName.localeCompare(b.fileName));
  }

  async getFaceAnchors(args: { projectId: string; runId: string }): Promise<RunFaceAnchors> {
    const runDir = await this.finishedRunDir(args.projectId, args.runId);
    const { cloud, fovyDeg } = await loadRunHead(runDir);
    const found = await runFaceAnchors(runDir, cloud, fovyDeg);
    this.logger.info(`face anchors ${args.projectId}/${args.runId}: ${found.source}`);
    return found;
  }

  async poseHead(args: { projectId: string; runId: string; weights: Record<string, number> }): Promise<PosedHead> {
    const runDir = await this.finishedRunDir(args.projectId, args.runId);
    return poseRunHead(this.boundHeads, runDir, args.weights);
  }

  async exportFrontalView(args: { projectId: string; runId: string; size: number }): Promise<FrontalExportResult> {
    const runDir = await this.finishedRunDir(args.projectId, args.runId);
    const res = await exportFrontalPng(runDir, args.size);
    this.logger.info(`frontal ${args.projectId}/${args.runId}: azimuth ${res.frontAzimuthDeg}, |yaw| ${res.residualYawDeg ?? 'no face'}`);
    return {
      fileName: res.fileName,
      bytes: res.bytes,
      url: this.library.assetUrlFor(args.projectId, `runs/${args.runId}/exports/${res.fileName}`),
      frontAzimuthDeg: res.frontAzimuthDeg,
      residualYawDeg: res.residualYawDeg,
    };
  }
}
