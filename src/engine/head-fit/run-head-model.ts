/**
 * Which head model a run fits, and fitting it to a preprocessed portrait.
 *
 * Lookup: $HEADFORGE_HEAD_MODEL (an installed asset folder, or the kit's own folder, imported once
 * into a cache: how tests, CI and `npm run demo` use ../shared's copy), else the installed models
 * (`headforge models import-head`, src/engine/head-model/discover.ts). Without one, runs use the
 * landmark proxy and say how to install the model.
 */
import fs from 'node:fs';
import path from 'node:path';
import { clampElevation } from '../../shared/camera';
import type { PreprocessResult } from '../../shared/contracts/preprocess';
import {
  findHeadModel,
  HEAD_MODEL_MANIFEST,
  loadHeadModel,
  loadOrImportHeadModel,
  type HeadModel,
} from '../head-model';
import { fitLandmarks, type FittedHead } from './fit-landmarks';
import { fitProfile } from './fit-profile';
import { profileFace, WEAK_FACE_SCORE } from '../multiview/weightfree/profile';
import type { PortraitLens } from '../preprocess/lens';
import type { HeadFit } from './types';

export const HEAD_MODEL_ENV = 'HEADFORGE_HEAD_MODEL';
/** Face detections below this score are not fitted as detected: they are checked for a profile. */
export const MIN_FIT_FACE_SCORE = WEAK_FACE_SCORE;

/** How the run log names where the fit's lens came from. */
const LENS_SOURCE_WORDS: Record<HeadFit['lensSource'], string> = {
  fitted: 'estimated',
  prior: 'a portrait lens assumed: the face is too turned to tell',
  exif: "from the photo's EXIF",
  stated: 'as stated',
};

export type RunHeadModel = { model: HeadModel; dir: string } | { model: null; reason: string };

const loaded = new Map<string, Promise<RunHeadModel>>();

async function load(dir: string): Promise<RunHeadModel> {
  const abs = path.resolve(dir);
  if (!fs.existsSync(abs)) return { model: null, reason: `${HEAD_MODEL_ENV}=${dir}: no such folder` };
  try {
    if (fs.existsSync(path.join(abs, HEAD_MODEL_MANIFEST))) return { model: loadHeadModel(abs), dir: abs };
    const r = await loadOrImportHeadModel(abs);
    return { model: r.model, dir: r.dir };
  } catch (err) {
    return { model: null, reason: `head model at ${dir}: ${(err as Error).message}` };
  }
}

/**
 * The head model runs use (each folder loaded once per process): `dir` when the caller names one
 * (generate --head-model), else $HEADFORGE_HEAD_MODEL, else the installed one.
 */
export function runHeadModel(dir?: string): Promise<RunHeadModel> {
  const chosen = dir ?? process.env[HEAD_MODEL_ENV];
  const key = chosen ? `dir:${path.resolve(chosen)}` : 'installed';
  let p = loaded.get(key);
  if (!p) {
    p = chosen
      ? load(chosen)
      : Promise.resolve().then(() => {
          const r = findHeadModel();
          return r.model ? { model: r.model, dir: r.dir } : { model: null, reason: r.reason };
        });
    loaded.set(key, p);
  }
  return p;
}

/**
 * The model fitted to the portrait's landmarks; without a confident detection, to a profile's
 * synthetic landmarks (the same decision weightfree/build.ts takes); null when the portrait is neither
 * (no face and no profile outline: the back of a head, a missed frontal face). `cameraElevationDeg`:
 * the camera's elevation when it is known (stated), the world the head is held upright in.
 */
export function fitPortraitHead(
  model: HeadModel,
  pre: PreprocessResult,
  lens?: PortraitLens | null,
  cameraElevationDeg?: number,
): FittedHead | null {
  if (pre.face && pre.face.score >= MIN_FIT_FACE_SCORE)
    return fitLandmarks(model, pre.face.fitLandmarks ?? pre.face.landmarks, {
      ...(lens ? { lens } : {}),
      ...(cameraElevationDeg !== undefined ? { cameraElevationDeg } : {}),
    });
  const profile = profileFace(pre);
  return profile ? fitProfile(model, profile, lens) : null;
}

export interface RunHead {
  /** The model and its fit, or null (no model installed, or no face to fit). */
  head: { model: HeadModel; fitted: FittedHead } | null;
  /** Set when no model is installed: what the run does instead and how to install one. */
  warning?: string;
}

/**
 * Fit the run's head model to the portrait and, when it fits, set the portrait's estimated elevation
 * to the fitted camera's (clamped to the pipeline's range). `lens`: the photo's lens when known
 * (preprocess/lens.ts portraitLens: stated or EXIF), held by the fit instead of estimated;
 * `cameraElevationDeg`: the elevation the user stated, if any (fitLandmarks' upright and level priors).
 */
export async function fitRunHead(
  pre: PreprocessResult,
  log: (m: string) => void,
  headModelDir?: string,
  lens?: PortraitLens | null,
  cameraElevationDeg?: number,
): Promise<RunHead> {
  const hm = await runHeadModel(headModelDir);
  if (!hm.model) {
    const warning = `no head model: the head is the landmark proxy (less faithful away from the input view); ${hm.reason}`;
    log(warning);
    return { head: null, warning };
  }
  const fitted = fitPortraitHead(hm.model, pre, lens, cameraElevationDeg);
  if (!fitted) {
    log('head model: no face and no profile to fit; the head is built from the outline');
    return { head: null };
  }
  const f = fitted.fit;
  log(
    `head model fitted${f.landmarkSource === 'profile' ? ' to the profile line' : ''} in ${f.timeMs.toFixed(0)} ms: landmark error ${f.meanErrorPx.toFixed(2)} px (${(100 * f.meanErrorIod).toFixed(1)}% of the eye distance), ` +
      `yaw ${f.yawDeg.toFixed(1)}, pitch ${f.pitchDeg.toFixed(1)}, roll ${f.rollDeg.toFixed(1)} deg, camera elevation ${f.cameraElevationDeg.toFixed(1)} deg, crop field of view ${f.cropFovyDeg.toFixed(1)} deg (${LENS_SOURCE_WORDS[f.lensSource]})`,
  );
  pre.elevationDeg = clampElevation(f.cameraElevationDeg);
  return { head: { model: hm.model, fitted } };
}
