/**
 * A band of the head's atlas (proxy.ts head rows, what every view shows of the head) for the
 * appearance tests: the texels whose azimuth from the face lies within [fromDeg, toDeg] on either side
 * and whose surface point's height on the head lies between the chin and `chin + up * (eyes - chin)`
 * for `up` in [fromUp, toUp] (heights in the head frame, from the portrait's landmarks).
 */
import type { PreprocessResult } from '../../src/shared/contracts/preprocess';
import { direction, radiusAt } from '../../src/engine/multiview/weightfree/head-model';
import { landmarkG, LM, toHead } from '../../src/engine/multiview/weightfree/landmarks';
import { ATLAS_WIDTH, HEAD_ROWS, atlasAngle, type HeadProxy } from '../../src/engine/multiview/weightfree/proxy';

export interface BandTexel {
  /** Offset of the texel's RGBA in proxy.texture.data. */
  offset: number;
  /** 0: the subject's right (azimuth < 0), 1: the subject's left. */
  side: 0 | 1;
}

export function headAtlasBand(
  pre: PreprocessResult,
  proxy: HeadProxy,
  [fromDeg, toDeg]: readonly [number, number],
  [fromUp, toUp]: readonly [number, number],
): BandTexel[] {
  const lm = pre.face!.landmarks;
  const eyeY = toHead(proxy.shape.frame, landmarkG(lm, LM.rightEyeOuter))[1];
  const chinY = toHead(proxy.shape.frame, landmarkG(lm, LM.chin))[1];
  const [lo, hi] = [chinY + fromUp * (eyeY - chinY), chinY + toUp * (eyeY - chinY)];
  const out: BandTexel[] = [];
  for (let y = 0; y < HEAD_ROWS; y++) {
    const theta = (Math.PI * (y + 0.5)) / HEAD_ROWS;
    for (let x = 0; x < ATLAS_WIDTH; x++) {
      const phi = atlasAngle(x);
      const deg = Math.abs((phi * 180) / Math.PI);
      if (deg < fromDeg || deg > toDeg) continue;
      const h = radiusAt(proxy.shape, theta, phi) * direction(theta, phi)[1];
      if (h < lo || h > hi) continue;
      out.push({ offset: (y * ATLAS_WIDTH + x) * 4, side: phi < 0 ? 0 : 1 });
    }
  }
  return out;
}
