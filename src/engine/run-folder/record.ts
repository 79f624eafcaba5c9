/**
 * record.json: what a finished run resolved and wrote (pipeline version, input hash, settings, the
 * elevation/framing/cameras it chose, trainer settings, output files, timings, warnings). The pipeline
 * writes it; evaluation, restyling, the frontal view, mesh export and animation read it back. One
 * schema for all of them: fields that older runs may lack are optional, and unknown fields are kept
 * (a newer pipeline may add some), but a field that is present must have the right type.
 */
import fs from 'node:fs/promises';
import { z } from 'zod';
import type { InputCameraRecord } from '../../shared/contracts/multiview';
import { headRestyleOpSchema, runSettingsSchema } from '../../shared/contracts/studio-requests';
import { StudioError } from '../../shared/rpc/errors';
import { writeJsonAtomic } from './atomic-write';
import { runPath } from './layout';

const finite = z.number().refine(Number.isFinite, 'not a finite number');

export const inputCameraSchema = z.looseObject({
  azimuthDeg: finite,
  elevationDeg: finite,
  fovyDeg: finite,
  distance: finite,
}) satisfies z.ZodType<InputCameraRecord>;

export const runRecordSchema = z.looseObject({
  pipelineVersion: z.string().optional(),
  input: z.looseObject({ sha256: z.string().optional(), bytes: z.number().optional() }).optional(),
  settings: runSettingsSchema.optional(),
  resolved: z
    .looseObject({
      elevationDeg: finite.optional(),
      /** The quality preset as resolved (view size, steps, Gaussian budget...). */
      preset: z.looseObject({ viewSize: z.int().positive().optional() }).optional(),
      fovyDeg: finite.optional(),
      viewAzimuthsDeg: z.array(finite).optional(),
      /** The orbit camera that took the 512 crop (runs made before it was recorded lack it). */
      inputCamera: inputCameraSchema.optional(),
    })
    .optional(),
  backend: z.looseObject({ id: z.string().optional() }).optional(),
  trainer: z.looseObject({}).optional(),
  outputs: z
    .looseObject({
      headPly: z.string().optional(),
      headPlySha256: z.string().optional(),
      views: z.array(z.string()).optional(),
      renders: z.array(z.string()).optional(),
      landmarks: z.string().optional(),
    })
    .optional(),
  timings: z.record(z.string(), z.number()).optional(),
  versions: z.looseObject({ node: z.string().optional(), platform: z.string().optional() }).optional(),
  warnings: z.array(z.string()).optional(),
  /** On a restyled variant: the run it was made from, and the restyle steps. */
  variantOf: z.looseObject({ runId: z.string(), kind: z.literal('restyle') }).optional(),
  restyle: z.array(headRestyleOpSchema).optional(),
});
export type RunRecord = z.infer<typeof runRecordSchema>;

/**
 * The run's record.json. NOT_FOUND when the folder has none (an unfinished run, or not a run folder);
 * DAMAGED when it is not JSON or a field has the wrong type (the message names the field).
 */
export async function readRunRecord(runDir: string): Promise<RunRecord> {
  const file = runPath(runDir, 'record');
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (err) {
    throw new StudioError(
      'NOT_FOUND',
      `${runDir} is not a finished run folder: no record.json (${(err as Error).message})`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new StudioError('DAMAGED', `${file} is not valid JSON: ${(err as Error).message}`);
  }
  const parsed = runRecordSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new StudioError(
      'DAMAGED',
      `${file} is damaged: ${issue.path.join('.') || '(the whole file)'}: ${issue.message}`,
    );
  }
  return parsed.data;
}

/** The record, or undefined when the run has none or it cannot be read (for callers with defaults). */
export async function readRunRecordIfAny(runDir: string): Promise<RunRecord | undefined> {
  return readRunRecord(runDir).catch(() => undefined);
}

/** Validates and writes record.json atomically (a wrong field is a bug here, not a damaged file). */
export async function writeRunRecord(runDir: string, record: RunRecord): Promise<void> {
  await writeJsonAtomic(runPath(runDir, 'record'), runRecordSchema.parse(record));
}
