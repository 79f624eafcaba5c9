/**
 * The batch's data: what one head is (a HeadSpec, the unit the local pool and the farm's queue both
 * run) and what came of it (HeadResult, one per head in batch.json and in the head's folder as
 * head.json). Plain JSON only: a HeadSpec travels through Redis as a BullMQ job's data and a
 * HeadResult comes back as the job's return value.
 */
import type { EnginePresetName } from '../../shared/splat/presets';
import type { RunSettings } from '../../shared/contracts/studio-api';

/** The settings every head of one batch shares (the seed is per head). */
export interface BatchSettings {
  quality: RunSettings['quality'];
  elevationDeg: RunSettings['elevationDeg'];
  backend: RunSettings['backend'];
  /** Optimisation steps overriding the quality preset (tests and quick looks). */
  steps?: number;
  /** Engine export presets written next to head.ply (exports/head-<preset>.<ext>). */
  presets: EnginePresetName[];
}

/** One head to make: one portrait at one seed. */
export interface HeadSpec {
  /** Folder name under <out>/heads/: <portrait stem>-s<seed>-<first 8 hex of key>. */
  id: string;
  /** sha256 of (input sha256, seed, settings, pipeline version): equal keys give equal heads. */
  key: string;
  /** The portrait as the submitter named it (shown in the summary). */
  inputName: string;
  /** Where the worker reads the portrait: a path in the shared storage (see storage.ts). */
  input: string;
  inputSha256: string;
  seed: number;
  settings: BatchSettings;
}

export interface HeadExport {
  preset: EnginePresetName;
  /** Relative to the head's folder, e.g. exports/head-unity.ply. */
  file: string;
  bytes: number;
}

export interface HeadResult {
  id: string;
  key: string;
  inputName: string;
  inputSha256: string;
  seed: number;
  state: 'done' | 'failed';
  /** Found finished from an earlier call (nothing was run for it this time). */
  resumed?: boolean;
  /** Wall seconds the head took where it ran (0 when resumed in this call: see `seconds` in head.json). */
  seconds: number;
  /** Which machine/process made it (hostname:pid), for the farm. */
  worker?: string;
  /** BullMQ attempts it took (farm only; > 1 after a retry or a stalled worker). */
  attempts?: number;
  meanPsnr?: number;
  /** Identity cosine similarity of the front render with the portrait (ArcFace-style CSIM). */
  csim?: number;
  gaussians?: number;
  warnings: string[];
  /** Relative to the batch's out folder. */
  files?: {
    folder: string;
    headPly: string;
    portrait: string;
    front: string;
    side: string;
    back: string;
    exports: HeadExport[];
  };
  error?: string;
  /** The error was the input's fault (not an image, no face): retrying cannot help. */
  badInput?: boolean;
}

/** A file given to the batch that is not a usable portrait, with the reason in one sentence. */
export interface BadInput {
  path: string;
  reason: string;
  /** Set for a portrait in which no face was found: the next call trusts it instead of looking again. */
  facelessSha256?: string;
}
