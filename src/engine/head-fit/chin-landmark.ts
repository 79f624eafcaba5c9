/**
 * The face-mesh chin landmark on the head model: the kit maps no face-mesh point to the chin's tip,
 * so its Multi-PIE 68 chin vertex stands in for it (fit-landmarks.ts uses it for the jaw's drop).
 */
import type { HeadModel } from '../head-model/types';

/** Face-mesh chin point and its Multi-PIE 68 index (the kit lists that vertex). */
export const CHIN = 152;
const MULTI_PIE_CHIN = 8;

/**
 * The chin is a contour point for the correspondence search (it slides along the jaw outline with
 * yaw), so it has none; but without it nothing says how far the jaw drops (an open mouth would be
 * explained by the lips alone). Near-frontal faces see the chin's tip where the kit's Multi-PIE chin
 * vertex is: that vertex stands in for it.
 */
export function withChin(model: HeadModel): HeadModel {
  if (model.landmarkTriangles[CHIN] >= 0 || model.multiPie68.length <= MULTI_PIE_CHIN) return model;
  const v = model.multiPie68[MULTI_PIE_CHIN];
  for (let t = 0; t < model.triangles.length / 3; t++) {
    for (let c = 0; c < 3; c++) {
      if (model.triangles[t * 3 + c] !== v) continue;
      const landmarkTriangles = model.landmarkTriangles.slice();
      const landmarkBarycentrics = model.landmarkBarycentrics.slice();
      landmarkTriangles[CHIN] = t;
      landmarkBarycentrics.set([0, 0, 0], CHIN * 3);
      landmarkBarycentrics[CHIN * 3 + c] = 1;
      return { ...model, landmarkTriangles, landmarkBarycentrics };
    }
  }
  return model;
}
