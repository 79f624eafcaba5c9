/**
 * Axis frames of the files (see docs/formats.md "Axes").
 *
 * A GaussianCloud is always in HeadForge world axes: x right, y up, z towards the viewer of the
 * frontal portrait ("RUB", the OpenGL/glTF convention; DESIGN.md 2.2).
 * - 'rdf': x right, y down, z forward (OpenCV/COLMAP). What 3DGS training writes into PLY, what the
 *   antimatter15 .splat converter copies, and what Niantic's spz tools and SuperSplat assume for PLY.
 * - 'rub': the cloud's own axes. SPZ is defined as RUB; glTF is y-up with the asset front at +z.
 * RUB <-> RDF is the 180-degree rotation about x, (x, y, z) -> (x, -y, -z): a proper rotation, so
 * quaternions and SH transform exactly (see flipYZ).
 */
import { FLIP_YZ_SH_SIGNS } from '../gaussians/transforms';

export type FileAxes = 'rub' | 'rdf';

/** Per-buffer sign multipliers that implement RUB <-> RDF; all +1 for 'rub'. */
export interface AxisSigns {
  position: [number, number, number];
  /** w x y z */
  rotation: [number, number, number, number];
  /** Per non-DC SH coefficient k (0..14). */
  shRest: number[];
}

export function axisSigns(axes: FileAxes): AxisSigns {
  if (axes === 'rub') return { position: [1, 1, 1], rotation: [1, 1, 1, 1], shRest: new Array(15).fill(1) };
  return { position: [1, -1, -1], rotation: [1, 1, -1, -1], shRest: FLIP_YZ_SH_SIGNS.slice() };
}
