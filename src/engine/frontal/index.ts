export { renderFrontal, type FrontalRenderOptions } from './render-frontal';
export {
  frontalFromCloud,
  FRONT_CANDIDATES_DEG,
  searchFrontAzimuth,
  loadRunHead,
  predictFrontal,
  type FrontalResult,
  type FrontalSearchOptions,
  type PredictFrontalOptions,
  type YawDetector,
} from './predict-frontal';
export { faceYawDetector } from './face-yaw';
