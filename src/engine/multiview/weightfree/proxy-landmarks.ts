/**
 * The proxy's fitted facial landmarks in world space: the 478 points the head was built from (head
 * frame H -> image frame G -> world through the input camera), i.e. where the eyes, brows and mouth
 * of the generated head are. Saved with the run (landmarks.json) so the expression rig need not
 * re-detect the face on a render.
 */
import { gToWorldVec } from './image-frame';
import { fromHead } from './landmarks';
import type { HeadProxy } from './proxy';

/** [478 * 3] world x y z per landmark (MediaPipe order), or null when the proxy was built without a face. */
export function proxyLandmarksWorld(proxy: HeadProxy): Float32Array | null {
  const lmH = proxy.shape.landmarksH;
  if (lmH.length !== 478) return null;
  const out = new Float32Array(478 * 3);
  for (let i = 0; i < 478; i++) out.set(gToWorldVec(proxy.imageFrame, fromHead(proxy.shape.frame, lmH[i])), i * 3);
  return out;
}
