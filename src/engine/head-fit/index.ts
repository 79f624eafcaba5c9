/** Fitting the morphable head model to a portrait (DESIGN.md 3.2). */
export type { HeadFit } from './types';
export { fitLandmarks, poseAngles, type FittedHead, type FitOptions } from './fit-landmarks';
export {
  runHeadModel,
  fitPortraitHead,
  fitRunHead,
  type RunHead,
  HEAD_MODEL_ENV,
  MIN_FIT_FACE_SCORE,
  type RunHeadModel,
} from './run-head-model';
