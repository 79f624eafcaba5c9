/**
 * head-fit.json: the head model fitted to a run's portrait (head-fit/types.ts HeadFit), written by the
 * pipeline and read by the mesh export, the expression rig and the evaluation report. One reader, so
 * that all three agree on what an absent, damaged or malformed file is:
 *   - absent (a run made without a head model, or before runs stored their fit): undefined;
 *   - not JSON: DAMAGED (read-optional-json.ts);
 *   - JSON without the fields a reader relies on (finite pose, lens, error; arrays of numbers for the
 *     coefficients, rotation and translation): DAMAGED, naming the first bad field.
 */
import { z } from 'zod';
import { StudioError } from '../../shared/rpc/errors';
import type { HeadFit } from '../head-fit/types';
import { LENS_SOURCES } from '../preprocess/lens';
import { runPath } from './layout';
import { readOptionalJson } from './read-optional-json';

const finite = z.number().finite();

const headFitSchema = z
  .object({
    model: z.object({ name: z.string(), sha256: z.string() }),
    identity: z.array(finite),
    expression: z.record(z.string(), finite),
    rotation: z.array(finite).length(9),
    translation: z.tuple([finite, finite, finite]),
    focalPx: finite,
    cx: finite,
    cy: finite,
    cropFovyDeg: finite,
    lensSource: z.enum(LENS_SOURCES),
    landmarkSource: z.enum(['detected', 'profile']),
    yawDeg: finite,
    pitchDeg: finite,
    rollDeg: finite,
    cameraElevationDeg: finite,
    meanErrorPx: finite,
    rmsErrorPx: finite,
    meanErrorIod: finite,
    interOcularPx: finite,
    landmarksUsed: finite,
    timeMs: finite,
  })
  .passthrough();

/** The run's head fit, or undefined when the run has none; DAMAGED when the file is not a head fit. */
export async function readRunHeadFit(runDir: string): Promise<HeadFit | undefined> {
  const file = runPath(runDir, 'headFit');
  const raw = await readOptionalJson(file);
  if (raw === undefined) return undefined;
  const parsed = headFitSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new StudioError(
      'DAMAGED',
      `${file} is not a head fit: ${issue.path.join('.') || '(root)'} ${issue.message}`,
    );
  }
  return parsed.data as HeadFit;
}
