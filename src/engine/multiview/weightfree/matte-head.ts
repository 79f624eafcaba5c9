/** The head of a portrait without a face: fitted to the matte's outline alone. */
import type { Vec3 } from '../../../shared/camera';
import { craniumPrior, type HeadShape } from './head-model';
import { CROP } from './landmarks';

/** Head fitted to the silhouette alone (no face found): upright, facing the camera. */
export function fitHeadFromMatte(matte: Float32Array): {
  shape: Omit<HeadShape, 'nTheta' | 'nPhi' | 'radius' | 'faceWeight'>;
  chinRow: number;
  chinU: number;
} {
  let top = -1;
  for (let v = 0; v < CROP && top < 0; v++) {
    for (let u = 0; u < CROP; u++) {
      if (matte[v * CROP + u] >= 0.5) {
        top = v;
        break;
      }
    }
  }
  // Median width and centre of the rows in the upper part of the figure.
  const widths: number[] = [];
  const centres: number[] = [];
  const band = Math.max(8, Math.round(0.3 * (CROP - top)));
  for (let v = top; v < Math.min(CROP, top + band); v++) {
    let l = -1,
      r = -1;
    for (let u = 0; u < CROP; u++) {
      if (matte[v * CROP + u] >= 0.5) {
        if (l < 0) l = u;
        r = u;
      }
    }
    if (l >= 0) {
      widths.push(r - l + 1);
      centres.push((l + r + 1) / 2);
    }
  }
  widths.sort((a, b) => a - b);
  centres.sort((a, b) => a - b);
  const faceWidth = Math.max(16, 0.8 * widths[widths.length >> 1]);
  const prior = craniumPrior(faceWidth);
  const breadth = 2 * prior.a;
  const centreV = top + prior.bTop;
  const centreU = centres[centres.length >> 1];
  const origin: Vec3 = [centreU - CROP / 2, CROP / 2 - centreV, 0];
  return {
    shape: {
      frame: { origin, xAxis: [1, 0, 0], yAxis: [0, 1, 0], zAxis: [0, 0, 1] },
      faceWidth,
      prior,
      face: null,
      landmarksH: [],
    },
    chinRow: centreV + 0.75 * breadth,
    chinU: centreU,
  };
}
