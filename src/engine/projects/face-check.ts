/**
 * The face check at import: the same decode and face mesh as preprocessing (src/engine/preprocess), run
 * once on the portrait so that a picture without a face is flagged on its card before any run
 * (about 0.1-0.4 s per portrait on 2 CPU cores, plus ~0.6 s to load the models once per process).
 * The face models are imported on first use, so an engine that never imports loads no tfjs.
 */
import { compositeOnWhite } from '../../shared/image';
import { decodePortrait } from '../preprocess/decode';

/** True when the portrait has a face, false when it has none, null when the check could not run. */
export async function findFaceInPortrait(bytes: Uint8Array): Promise<boolean | null> {
  try {
    const decoded = await decodePortrait(bytes);
    const { getFaceModels } = await import('../face/index');
    const { landmarker } = await getFaceModels();
    const faces = await landmarker.detect(compositeOnWhite(decoded.image, { keepAlpha: true }));
    return faces.length > 0;
  } catch {
    return null; // no models, or a decode problem image-check already reports: never block an import here
  }
}
