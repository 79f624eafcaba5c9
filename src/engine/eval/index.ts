/** Evaluation harness (headforge eval): ground-truth sources, protocol, reports. See docs/eval.md. */
export { loadGltf, parseGltf, GltfError } from './gltf-loader';
export {
  meshSubject,
  normaliseHeadMesh,
  meshSubjectFromHead,
  FRAME_HEIGHT_WORLD,
  type MeshSourceOptions,
} from './mesh-source';
export { folderSubject, CAMERAS_FILE, type FolderSourceOptions } from './folder-source';
export { mirrorSubject } from './mirror-subject';
export { runSubject } from './run-source';
export {
  mapCamerasToPipeline,
  identityCrop,
  pipelineFrameBox,
  resizeCamera,
  type CropTransform,
  type PipelineMapping,
} from './camera-mapping';
export { orbitCentreOf, portraitFovyDeg, profileViewOf, rigElevationDeg } from './gt-rig';
export { loadCandidateRun, runPipeline, type CandidateHead, type EvalRunSettings } from './candidate';
export { runEvaluation, scoreSubject, cropForCandidate, type EvalOptions } from './protocol';
export { markdownReport, writeReport, contactSheet, differenceImage } from './report';
export { scoreView, imageScores, summariseViews, summariseSubjects, LPIPS_NOTE } from './view-scores';
export type * from './types';
