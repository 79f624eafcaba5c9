/**
 * A linear morphable head model (DESIGN.md 3.2), as installed by the head-model importer from the
 * ICT Face Model Light (ICT-FaceKit `FaceXModel/`). The data itself is third-party and is never in the
 * repository: it is imported on the user's machine into a checksummed asset (see ./asset.ts).
 */

/** A contiguous part of the kit's topology. Ends are exclusive. */
export interface HeadModelPart {
  name: string;
  vertexStart: number;
  vertexEnd: number;
  triangleStart: number;
  triangleEnd: number;
}

export interface HeadModelInfo {
  name: string;
  version: number;
  /** sha256 of the asset's binary file (hex). */
  sha256: string;
  source: string;
  licence: string;
}

export interface HeadModel {
  info: HeadModelInfo;
  vertexCount: number;
  /** Mean head, [V*3] float32, centimetres, +Y up, face looks along +Z (as in the kit). */
  neutral: Float32Array;
  identityCount: number;
  /**
   * Identity modes as deltas from the neutral, mode k at [k*V*3, (k+1)*V*3). The kit stores each mode
   * already scaled by its standard deviation (file = neutral + 1 sigma of that mode), so coefficients
   * are ~N(0,1) (see ./README notes in importer.ts for what was checked).
   */
  identity: Float32Array;
  /** ARKit-style names as in the kit (browDown_L ...). PupilDilate_L/R are NOT included (not expressions). */
  expressionNames: string[];
  /** Expression blend shapes as deltas, same layout as identity (expression k at [k*V*3, (k+1)*V*3)). */
  expressions: Float32Array;
  /** Triangles (quads split consistently), [T*3] vertex indices, counter-clockwise seen from outside. */
  triangles: Uint32Array;
  /**
   * UV per triangle corner, [T*3*2] (OBJ vt indices are per corner). As in the kit these are UDIM
   * tiles: u's integer part is the tile (face 0, head and neck 1, gums/tongue 2, teeth 3, ...), v in
   * [0, 1] flipped to point down (v_here = 1 - v_obj), the project's texture convention (src/shared/mesh).
   */
  triangleUvs: Float32Array;
  /**
   * Named parts: face, headNeck, mouthSocket, eyeSocketL/R, gumsTongue, teeth, eyeballL/R, lacrimalL/R,
   * eyeBlendL/R, eyeOcclusionL/R, eyelashesL/R (ranges from the kit README table; triangle ranges after
   * triangulation).
   */
  parts: HeadModelPart[];
  /**
   * The 478 MediaPipe face-mesh landmarks on the neutral head: triangle index per landmark [478]
   * (-1 = no reliable correspondence) and barycentrics [478*3].
   */
  landmarkTriangles: Int32Array;
  landmarkBarycentrics: Float32Array;
  /** Multi-PIE 68 landmark vertex indices from the kit's README (parsed at import time, not typed into code). */
  multiPie68: Uint32Array;
  /**
   * Why a landmark has no correspondence, per landmark [478]: 0 ok, 1 contour (face-oval points that
   * slide with pose: use a silhouette term), 2 unstable across the rendered views, 3 not detected.
   * (Addition to the agreed interface; optional so hand-made models need not fill it.)
   */
  landmarkStatus?: Uint8Array;
  /**
   * The kit README's jawline vertex lists (parsed at import time; absent when the README lacks them):
   * right/left substitute Multi-PIE 0-7 / 9-16 (subject's right = -x); the extended ones are supersets,
   * ordered along the jaw. Candidates for a silhouette term. (Addition to the agreed interface.)
   */
  jawline?: { right: Uint32Array; left: Uint32Array; rightExtended: Uint32Array; leftExtended: Uint32Array };
}

/** Number of MediaPipe face-mesh landmarks (with irises). */
export const FACE_MESH_LANDMARKS = 478;
