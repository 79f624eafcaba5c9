/**
 * The generate pipeline's contract with the job host (src/engine/host) and the CLI. The pipeline lives
 * in src/engine/pipeline/generate.ts and exports `runGenerate: RunGenerateFn`.
 */
import type { GaussianCloud } from '../gaussians/cloud';
import type { RunSettings } from './studio-api';

export interface RunGenerateContext {
  /** Project folder (holds project.json and the input image). */
  projectDir: string;
  /** This run's folder: write views/, head.ply, renders/ here (paths in RunOutputs are relative to it). */
  runDir: string;
  /** Absolute path of the input portrait. */
  inputPath: string;
  settings: RunSettings;
  /**
   * The head model to fit (an installed model's folder or the ICT-FaceKit folder), when the caller
   * chose one (generate --head-model); otherwise $HEADFORGE_HEAD_MODEL, else the installed one.
   */
  headModelDir?: string;
  /** Aborted on cancel (user, SIGINT) — stages must check it between steps and throw/reject promptly. */
  signal: AbortSignal;
  /**
   * Report progress. `fraction` is the OVERALL fraction of the whole run in 0..1 (the host derives
   * the ETA from it); `stage` is a short stable name ('preprocess', 'multiview', 'optimise', ...).
   */
  progress(stage: string, fraction: number, message?: string): void;
  /** Live preview of the Gaussians being optimised (the host activates and throttles nothing: call sparingly). */
  preview(cloud: GaussianCloud, step: number): void;
  /** A line for the session log (not shown to the user). */
  log(message: string): void;
}

export interface RunOutputs {
  /** The 16 generated views, relative to runDir (e.g. 'views/view-00.png'), in VIEW_AZIMUTHS_DEG order. */
  views: string[];
  /** The optimised head as 3DGS PLY relative to runDir, or null if that stage did not run. */
  headPly: string | null;
  /** Renders of the head at the 16 view cameras, relative to runDir, if produced. */
  renders: string[];
  metrics: {
    meanPsnr?: number;
    perViewPsnr?: number[];
    gaussians?: number;
    identitySimilarity?: number;
  };
  /** Seconds spent per stage. */
  timings: Record<string, number>;
  warnings: string[];
}

export type RunGenerateFn = (ctx: RunGenerateContext) => Promise<RunOutputs>;
