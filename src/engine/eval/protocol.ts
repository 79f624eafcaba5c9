/**
 * The evaluation protocol (issue 10; the paper's Table 1 done against ground truth):
 *   for each subject: take its input view's portrait, run the pipeline (or take a given run), map the
 *   GT cameras into the pipeline's frame through the input view (preprocessing's crop, the GT
 *   intrinsics, the pipeline's camera: camera-mapping.ts), render the optimised head at them,
 *   score every view unaligned and silhouette-aligned (PSNR, SSIM, mask IoU, CSIM; LPIPS skipped
 *   without a model pack), write a contact sheet; then mean +- std across views and across subjects.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { cameraCenter, orbitCamera, viewCameras, type RasterCamera } from '../../shared/camera';
import type { RgbaImage } from '../../shared/image';
import { StudioError } from '../../shared/rpc/errors';
import { analyzeFace } from '../face';
import { encodePng, readRgba } from '../image-io';
import { preprocessPortrait } from '../preprocess';
import { renderCloudAsync, toRgba8 } from '../raster';
import { compositeOnWhite } from '../../shared/metrics/alignment';
import { identityCrop, mapCamerasToPipeline, pipelineFrameBox, type CropTransform } from './camera-mapping';
import { loadCandidateRun, runPipeline, type CandidateHead, type EvalRunSettings } from './candidate';
import { PROTOCOL_DESCRIPTION, writeContactSheet, writeReport, type ContactColumn } from './report';
import type { EvalReport, GtSubject, MappingReport, SubjectReport, ViewScores } from './types';
import { imageScores, scoreView, summariseSubjects, summariseViews, type FaceFn } from './view-scores';
import { readRunHeadFit } from '../run-folder/head-fit-file';
import { runPath } from '../run-folder/layout';
import { portraitFovyDeg } from './gt-rig';

export interface EvalOptions {
  settings: EvalRunSettings;
  /** Report folder: report.json, report.md, <subject>/contact-sheet.png, <subject>/project/run. */
  outDir: string;
  /** Judge this existing run instead of running the pipeline (run-vs-run and re-scoring). */
  candidateRunDir?: string;
  signal?: AbortSignal;
  log?: (m: string) => void;
  /** Progress per subject: index, stage name, fraction of that subject's pipeline run. */
  progress?: (subject: number, stage: string, fraction: number, message?: string) => void;
  detectFace?: FaceFn;
}

/** Safe folder name for a subject (unique within a report). */
export function subjectFolderName(name: string, taken: Set<string>): string {
  const base = name.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^[._]+/, '') || 'subject';
  let n = base;
  for (let i = 2; taken.has(n); i++) n = `${base}-${i}`;
  taken.add(n);
  return n;
}

/** Index of the pipeline view whose camera direction is closest to `cam`'s (both in the pipeline frame). */
function nearestPipelineView(cam: RasterCamera, pipelineCams: RasterCamera[]): number {
  const c = cameraCenter(cam);
  const n = Math.hypot(...c);
  let best = 0,
    bestDot = -Infinity;
  pipelineCams.forEach((p, i) => {
    const q = cameraCenter(p);
    const d = (c[0] * q[0] + c[1] * q[1] + c[2] * q[2]) / (n * Math.hypot(...q));
    if (d > bestDot) {
      bestDot = d;
      best = i;
    }
  });
  return best;
}

/**
 * The run's head fit (head-fit.json) as the report states it, or null for a run made without a head
 * model: `elevationDeg` is the elevation the pipeline used. A damaged file fails the evaluation
 * (run-folder/head-fit-file.ts), as a damaged run would.
 */
async function readHeadFit(runDir: string, elevationDeg: number): Promise<SubjectReport['headFit'] | null> {
  const fit = await readRunHeadFit(runDir);
  if (!fit) return null;
  return {
    yawDeg: fit.yawDeg,
    pitchDeg: fit.pitchDeg,
    rollDeg: fit.rollDeg,
    nodDeg: fit.pitchDeg - elevationDeg,
    cropFovyDeg: fit.cropFovyDeg,
    lensSource: fit.lensSource,
    meanErrorIod: fit.meanErrorIod,
  };
}

/**
 * Preprocessing's crop of the subject's portrait as the candidate's pipeline saw it: the same input
 * file as a run ground truth -> identity (both portraits are that file's crop); a run the harness made
 * from the portrait -> the framing it recorded; otherwise (an existing run, or one that recorded
 * none) the portrait is preprocessed again (deterministic: the same pixels give the same crop).
 */
export async function cropForCandidate(
  subject: GtSubject,
  candidate: CandidateHead,
  madeFromPortrait: boolean,
): Promise<{ crop: CropTransform; source: MappingReport['cropSource'] }> {
  if (subject.kind === 'run' && subject.inputSha256 && subject.inputSha256 === candidate.inputSha256)
    return { crop: identityCrop(subject.portrait.width), source: 'same input as the ground-truth run' };
  if (madeFromPortrait && candidate.framing)
    return { crop: candidate.framing, source: 'recorded by the run' };
  const pre = await preprocessPortrait(await encodePng(subject.portrait));
  const f = pre.framing;
  return {
    crop: { scale: f.scale, offsetX: f.offsetX, offsetY: f.offsetY, size: pre.image512.width },
    source: 'preprocessing the portrait again',
  };
}

/** Score one subject against one candidate head; writes the contact sheet into `subjectDir`. */
export async function scoreSubject(
  subject: GtSubject,
  candidate: CandidateHead,
  args: {
    subjectDir: string;
    outDir: string;
    settings: EvalRunSettings;
    detectFace: FaceFn;
    signal?: AbortSignal;
    /** The candidate is the harness's own run on `subject.portrait` (its recorded crop applies). */
    madeFromPortrait?: boolean;
  },
): Promise<SubjectReport> {
  const t0 = performance.now();
  const { crop, source: cropSource } = await cropForCandidate(
    subject,
    candidate,
    args.madeFromPortrait ?? false,
  );
  const ic = candidate.inputCamera;
  const mapping = mapCamerasToPipeline(
    subject.views.map((v) => v.camera),
    subject.inputIndex,
    subject.orbitCentre,
    ic.elevationDeg,
    {
      crop,
      fovyDeg: candidate.fovyDeg,
      inputCamera: ic,
      ...(subject.inputCamera ? { gtInputCamera: subject.inputCamera } : {}),
      portraitWidth: subject.portrait.width,
      portraitHeight: subject.portrait.height,
    },
  );
  const pipelineCams = viewCameras(candidate.elevationDeg, candidate.viewSize, candidate.fovyDeg);
  const views: ViewScores[] = [];
  const columns: ContactColumn[] = [];
  for (let i = 0; i < subject.views.length; i++) {
    if (args.signal?.aborted) throw new StudioError('CANCELLED', 'evaluation cancelled');
    const gt = subject.views[i];
    const rendered = await renderCloudAsync(candidate.cloud, mapping.cameras[i], { background: [1, 1, 1] });
    const render: RgbaImage = toRgba8(rendered);
    const gtFace = await args.detectFace(compositeOnWhite(gt.image));
    const frame = pipelineFrameBox(mapping.cameras[i], candidate.fovyDeg);
    const scored = await scoreView(gt.label, gt.image, render, gtFace, args.detectFace, frame);
    views.push(scored.scores);
    const gen = candidate.views
      ? candidate.views[nearestPipelineView(mapping.cameras[i], pipelineCams)]
      : null;
    columns.push({ gt: gt.image, generated: gen, render });
  }
  await fs.mkdir(args.subjectDir, { recursive: true });
  const sheet = path.join(args.subjectDir, 'contact-sheet.png');
  await writeContactSheet(sheet, columns);
  const harnessS = (performance.now() - t0) / 1000;
  const warnings = [...subject.warnings, ...candidate.warnings.map((w) => `pipeline: ${w}`)];
  if (!candidate.views)
    warnings.push('the run has no views/ folder: the contact sheet shows no generated views');
  const csimViews = views.filter((v) => v.csim !== null).length;
  // The pipeline's own fit at its input: the head at the camera that saw the crop, against the crop.
  const inputCrop = await readRgba(runPath(candidate.runDir, 'crop512')).then(
    async (cropImg) => {
      const cam = orbitCamera(ic.azimuthDeg, ic.elevationDeg, cropImg.width, ic.fovyDeg, ic.distance);
      return imageScores(
        cropImg,
        toRgba8(await renderCloudAsync(candidate.cloud, cam, { background: [1, 1, 1] })),
      );
    },
    () => null,
  );
  const headFit = await readHeadFit(candidate.runDir, candidate.elevationDeg);
  const headline =
    subject.scoreIndex !== undefined
      ? { view: subject.views[subject.scoreIndex].label, scores: views[subject.scoreIndex] }
      : undefined;
  if (csimViews === 0)
    warnings.push('CSIM: no view with a face detected in both the ground truth and the head render');
  return {
    name: subject.name,
    kind: subject.kind,
    source: subject.source,
    inputView: subject.views[subject.inputIndex].label,
    elevationDeg: { groundTruth: subject.elevationDeg, usedByPipeline: candidate.elevationDeg },
    protocol: subject.protocol ?? 'input-view',
    mapping: {
      crop,
      cropSource,
      scale: mapping.scale,
      headPixel: mapping.headPixel,
      offAxisDeg: mapping.offAxisDeg,
      pipelineCamera: { ...ic },
    },
    settings: {
      backend: args.settings.backend,
      seed: args.settings.seed,
      quality: args.settings.quality,
      ...(args.settings.steps !== undefined ? { steps: args.settings.steps } : {}),
    },
    runDir: path.relative(args.outDir, candidate.runDir) || '.',
    views,
    ...(headline ? { headline } : {}),
    ...(inputCrop ? { inputCrop } : {}),
    ...(headFit ? { headFit } : {}),
    summary: summariseViews(views),
    timings: { pipelineS: candidate.pipelineS, harnessS, perStage: candidate.stageTimings },
    contactSheet: path.relative(args.outDir, sheet),
    warnings,
  };
}

/**
 * Evaluate subjects one after another (deterministic order and seeds), write report.json/.md and
 * return the report. Subjects are produced lazily so a large set never sits in memory at once.
 */
export async function runEvaluation(
  subjects: Array<() => Promise<GtSubject>>,
  opts: EvalOptions,
): Promise<EvalReport> {
  const log = opts.log ?? (() => undefined);
  const detectFace = opts.detectFace ?? analyzeFace;
  const signal = opts.signal ?? new AbortController().signal;
  const taken = new Set<string>();
  const reports: SubjectReport[] = [];
  for (let k = 0; k < subjects.length; k++) {
    const t0 = performance.now();
    const subject = await subjects[k]();
    const gtS = (performance.now() - t0) / 1000;
    const subjectDir = path.join(opts.outDir, subjectFolderName(subject.name, taken));
    log(
      `eval: subject ${subject.name} (${subject.kind}, ${subject.views.length} views, GT ready in ${gtS.toFixed(1)} s)`,
    );
    const candidate = opts.candidateRunDir
      ? await loadCandidateRun(path.resolve(opts.candidateRunDir))
      : await runPipeline({
          portrait: subject.portrait,
          projectDir: path.join(subjectDir, 'project'),
          settings: opts.settings,
          gtElevationDeg: subject.elevationDeg,
          gtFovyDeg: portraitFovyDeg(subject.inputCamera ?? subject.views[subject.inputIndex].camera, subject.portrait.height),
          signal,
          log,
          progress: (stage, f, m) => opts.progress?.(k, stage, f, m),
        });
    const report = await scoreSubject(subject, candidate, {
      subjectDir,
      outDir: opts.outDir,
      settings: opts.settings,
      detectFace,
      signal,
      madeFromPortrait: !opts.candidateRunDir,
    });
    report.timings.harnessS += gtS;
    reports.push(report);
  }
  const report: EvalReport = {
    tool: 'headforge eval',
    version: 1,
    createdAt: new Date().toISOString(),
    protocol: { views: reports[0]?.views.length ?? 0, ...PROTOCOL_DESCRIPTION },
    subjects: reports,
    overall: summariseSubjects(reports),
  };
  await writeReport(opts.outDir, report);
  return report;
}
