/**
 * Fitting the morphable head to a profile portrait. The landmark model finds no face in a profile, so
 * the weight-free profile analysis (weightfree/profile.ts) stands a canonical face on the profile line
 * and gives its 478 landmarks. Of those only the midline is measured (forehead, nose, lips and chin lie
 * on the matte's outline); the near side's eye, cheek and jaw are the template's guess and the far side
 * is hidden. So the fit weighs the midline fully and the rest lightly (it keeps the identity and the
 * scale plausible), and holds the head side-on (fit-landmarks.ts FitOptions.profile).
 */
import type { HeadModel } from '../head-model/types';
import type { PortraitLens } from '../preprocess/lens';
import { FACE_TEMPLATE } from '../multiview/weightfree/face-template';
import type { ProfileFace } from '../multiview/weightfree/profile';
import { fitLandmarks, type FittedHead } from './fit-landmarks';

/** Template points within this distance of the midline (face widths) lie on the profile line. */
const MIDLINE_HALF_WIDTH = 0.04;
/** Weight of a midline point, and of every other (template-guessed) point. */
const MIDLINE_WEIGHT = 1.5;
const GUESSED_WEIGHT = 0.3;

/** Per-landmark weights (478): the midline measured, the rest a prior. */
const PROFILE_WEIGHTS: Float64Array = (() => {
  const w = new Float64Array(478).fill(GUESSED_WEIGHT);
  for (let i = 0; i < 468; i++) if (Math.abs(FACE_TEMPLATE[i * 3]) < MIDLINE_HALF_WIDTH) w[i] = MIDLINE_WEIGHT;
  return w;
})();

/** Template inter-ocular distance (eye-corner centres 33/133 and 263/362) in face widths. */
const TEMPLATE_IOD: number = (() => {
  const mid = (a: number, b: number, c: number) => (FACE_TEMPLATE[a * 3 + c] + FACE_TEMPLATE[b * 3 + c]) / 2;
  return Math.hypot(mid(33, 133, 0) - mid(263, 362, 0), mid(33, 133, 1) - mid(263, 362, 1));
})();

/** The model fitted to a profile's synthetic landmarks, side-on, facing the profile's way. */
export function fitProfile(model: HeadModel, profile: ProfileFace, lens?: PortraitLens | null): FittedHead {
  return fitLandmarks(model, profile.landmarks, {
    ...(lens ? { lens } : {}),
    profile: { facing: profile.facing, scalePx: TEMPLATE_IOD * profile.faceWidth },
    landmarkWeights: PROFILE_WEIGHTS,
  });
}
