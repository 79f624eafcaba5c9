/**
 * Head models (DESIGN.md 3.2): the ICT Face Model imported into a checksummed asset, found like a
 * model pack, posed by identity and expression coefficients.
 */
export type { HeadModel, HeadModelPart, HeadModelInfo } from './types';
export { FACE_MESH_LANDMARKS } from './types';
export {
  loadHeadModel,
  readHeadModelManifest,
  HeadModelAssetError,
  LANDMARK_STATUS,
  HEAD_MODEL_MANIFEST,
  HEAD_MODEL_BIN,
  type HeadModelManifest,
} from './asset';
export {
  importHeadModel,
  resolveKitModelDir,
  REQUIRED_PARTS,
  ICT_MODEL_NAME,
  HEAD_MODEL_IMPORTER_VERSION,
  type ImportHeadModelOptions,
} from './importer';
export {
  findHeadModel,
  discoverHeadModels,
  defaultHeadModelInstallDir,
  HEAD_MODEL_INSTALL_HINT,
  HEAD_MODELS_SUBDIR,
  type HeadModelCandidate,
  type FindHeadModelResult,
  type HeadModelSearchOptions,
} from './discover';
export {
  loadOrImportHeadModel,
  headModelCacheKey,
  DEFAULT_HEAD_MODEL_CACHE,
  type LoadOrImportResult,
} from './cache';
export { headModelVertices, headModelLandmarks, expressionIndex, headModelPart } from './vertices';
export {
  FACE_MESH_OVAL,
  FIRST_IRIS_LANDMARK,
  DEFAULT_LANDMARK_VIEWS,
  computeLandmarkCorrespondences,
  type LandmarkOptions,
} from './landmarks';
