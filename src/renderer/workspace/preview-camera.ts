/**
 * How the 3D preview frames a head and which way up it loads each file.
 *
 * Framing: the pipeline's 16 cameras sit on an orbit of radius ORBIT_RADIUS with a narrow vertical
 * field of view (DEFAULT_FOVY_DEG). A 10-degree lens feels like a telescope when orbiting, so the
 * preview uses a wider lens and moves closer by the ratio of the half-angle tangents: the head then
 * fills the frame exactly as it fills a generated view, and "show the 3D head from view i" lines up
 * with the generated image.
 *
 * Orientation: gaussian-splats-3d draws files verbatim in a y-up world. HeadForge writes PLY and
 * .splat in the 3DGS/COLMAP RDF axes (x right, y down, z forward; docs/formats.md), which is the
 * y-up head rotated 180 degrees about x; SPZ and the live 'job-preview' arrays are already y-up. So
 * RDF scenes are loaded with the inverse rotation (180 degrees about x is its own inverse).
 */
import { DEFAULT_FOVY_DEG, ORBIT_RADIUS, orbitPosition, type Vec3 } from '../../shared/camera';

export const PREVIEW_FOV_DEG = 30;

/** Orbit distance at which a PREVIEW_FOV_DEG lens frames the head like the pipeline's views. */
export function previewOrbitDistance(fovDeg = PREVIEW_FOV_DEG, pipelineFovyDeg = DEFAULT_FOVY_DEG, pipelineRadius = ORBIT_RADIUS): number {
  const half = (deg: number): number => Math.tan((deg * Math.PI) / 360);
  return (pipelineRadius * half(pipelineFovyDeg)) / half(fovDeg);
}

/** Preview camera position for a pipeline view direction (same azimuth/elevation convention as src/shared/camera). */
export function previewCameraPosition(azimuthDeg: number, elevationDeg: number): Vec3 {
  return orbitPosition(azimuthDeg, elevationDeg, previewOrbitDistance());
}

export type PreviewSceneKind = 'ply' | 'splat' | 'spz' | 'preview';

/** Quaternion [x, y, z, w] the viewer applies to a scene so that the head stands upright (y up). */
export function uprightRotation(kind: PreviewSceneKind): [number, number, number, number] {
  return kind === 'ply' || kind === 'splat' ? [1, 0, 0, 0] : [0, 0, 0, 1];
}
