/**
 * Ground truth from a textured head mesh (GLB/glTF): put the head into the pipeline's frame the way
 * preprocessing frames a portrait, find its front, and render the 16 pipeline views plus the input
 * portrait with alpha.
 *
 * Normalisation (all in place on a copy of the positions):
 *   1. rough: centre the bounding box, scale its largest side to 80% of the frame height;
 *   2. front: render a ring of azimuths, keep the one whose detected face has the smallest |yaw|
 *      (one refinement step by the measured yaw), rotate the mesh so that azimuth becomes 0 (+z);
 *      no face anywhere -> glTF's own front (+z) with a warning;
 *   3. portrait framing: crown (highest vertex of the head) to chin (face landmarks) becomes
 *      HEAD_HEIGHT_FRAC of the frame, its centre sits at HEAD_CENTRE_Y_FRAC from the top (the
 *      preprocess framing, src/engine/preprocess/framing.ts), and the head (vertices between chin and
 *      crown) is centred in x and z so the orbit turns about the head, not the bust.
 */
import path from 'node:path';
import {
  DEFAULT_FOVY_DEG,
  ORBIT_RADIUS,
  orbitCamera,
  viewCameras,
  VIEW_AZIMUTHS_DEG,
} from '../../shared/camera';
import type { FaceAnalysis } from '../../shared/contracts/preprocess';
import type { RgbaImage } from '../../shared/image';
import { compositeOnWhite } from '../../shared/metrics/alignment';
import { renderTexturedMesh, type TexturedMesh } from '../../shared/eval-render/textured-mesh';
import { analyzeFace } from '../face';
import { HEAD_CENTRE_Y_FRAC, HEAD_HEIGHT_FRAC } from '../preprocess/framing';
import { loadGltf } from './gltf-loader';
import type { EvalProtocol, GtSubject } from './types';
import { MESH_POINT_COUNT } from '../multiview/weightfree/face-surface';
import { fitPose2D } from '../multiview/weightfree/pose-fit';

/** Height of the pipeline frame (world units) at the orbit centre: 2 r tan(fovy / 2). */
export const FRAME_HEIGHT_WORLD = 2 * ORBIT_RADIUS * Math.tan(((DEFAULT_FOVY_DEG / 2) * Math.PI) / 180);

export interface MeshSourceOptions {
  /** Size of the 16 GT views (default 256). */
  viewSize?: number;
  /** Size of the input portrait (default 512, what preprocessing works at). */
  portraitSize?: number;
  /** GT camera elevation in degrees (default 0). */
  elevationDeg?: number;
  /** Index (into the 16 views) of the input view (default 0, the front; profile-to-frontal: 5, azimuth 83.5). */
  inputView?: number;
  /** Index of the headline view (profile-to-frontal default: 0, the front). */
  scoreView?: number;
  protocol?: EvalProtocol;
  /** Azimuth of the mesh's front in degrees, skipping the face search (default: search). */
  frontAzimuthDeg?: number;
  /** Face analysis used for the front search and framing (default: the engine's face models). */
  detectFace?: (img: RgbaImage) => Promise<FaceAnalysis | null>;
  log?: (m: string) => void;
}

interface Bounds {
  min: [number, number, number];
  max: [number, number, number];
}

function bounds(pos: Float32Array, filter?: (y: number) => boolean): Bounds | null {
  const min: [number, number, number] = [Infinity, Infinity, Infinity];
  const max: [number, number, number] = [-Infinity, -Infinity, -Infinity];
  let any = false;
  for (let i = 0; i < pos.length; i += 3) {
    if (filter && !filter(pos[i + 1])) continue;
    any = true;
    for (let c = 0; c < 3; c++) {
      min[c] = Math.min(min[c], pos[i + c]);
      max[c] = Math.max(max[c], pos[i + c]);
    }
  }
  return any ? { min, max } : null;
}

/** p <- s * (p - centre) (in place). */
function recentre(pos: Float32Array, centre: [number, number, number], s: number): void {
  for (let i = 0; i < pos.length; i += 3)
    for (let c = 0; c < 3; c++) pos[i + c] = (pos[i + c] - centre[c]) * s;
}

/** Rotate about +y by `deg` (the direction an orbit camera's azimuth turns). */
function rotateY(pos: Float32Array, deg: number): void {
  const a = (deg * Math.PI) / 180,
    c = Math.cos(a),
    s = Math.sin(a);
  for (let i = 0; i < pos.length; i += 3) {
    const x = pos[i],
      z = pos[i + 2];
    pos[i] = c * x + s * z;
    pos[i + 2] = -s * x + c * z;
  }
}

/** Mesh with a private copy of the positions (the loader's mesh stays untouched). */
function withOwnPositions(mesh: TexturedMesh): TexturedMesh {
  return { ...mesh, positions: new Float32Array(mesh.positions) };
}

/** Find the azimuth of the face: smallest |yaw| over a ring, refined once. Null when no face is seen. */
/**
 * Yaw of a detected face from the 2-D landmark fit (weightfree/pose-fit.ts) when the full mesh is there:
 * the landmark model's own 3-D yaw reads a 40-degree turn as ~4, which left test heads' fronts 5-7
 * degrees off. Detectors that return fewer points (tests' fakes) keep their own yaw.
 */
function faceYaw2D(face: { yawDeg: number; landmarks: Float32Array }): number {
  return face.landmarks.length >= MESH_POINT_COUNT * 3 ? fitPose2D(face.landmarks).yawDeg : face.yawDeg;
}

async function findFront(
  mesh: TexturedMesh,
  detect: NonNullable<MeshSourceOptions['detectFace']>,
  log: (m: string) => void,
): Promise<{ azimuthDeg: number; yawDeg: number } | null> {
  const size = 384;
  let best: { azimuthDeg: number; yawDeg: number } | null = null;
  const tryAzimuth = async (az: number) => {
    const face = await detect(
      compositeOnWhite(renderTexturedMesh(mesh, orbitCamera(az, 0, size), { supersample: 1 })),
    );
    const yawDeg = face ? faceYaw2D(face) : 0;
    if (face && (!best || Math.abs(yawDeg) < Math.abs(best.yawDeg))) best = { azimuthDeg: az, yawDeg };
    return face;
  };
  for (let az = -180; az < 180; az += 45) await tryAzimuth(az);
  if (!best) return null;
  // Refine by the measured yaw. The detector's yaw sign convention is not assumed: try both
  // directions, keep what is more frontal; stop when a step no longer helps.
  for (let step = 0; step < 3; step++) {
    const current: { azimuthDeg: number; yawDeg: number } = best;
    if (Math.abs(current.yawDeg) < 1) break;
    for (const sign of [1, -1]) await tryAzimuth(current.azimuthDeg + sign * current.yawDeg);
    if (best === current) break;
  }
  log(
    `eval: mesh front at azimuth ${(best as { azimuthDeg: number }).azimuthDeg.toFixed(1)} deg (residual yaw ${(best as { yawDeg: number }).yawDeg.toFixed(1)} deg)`,
  );
  return best;
}

export interface NormalisedHead {
  mesh: TexturedMesh;
  /** Whether the face was found (front and framing from landmarks) or guessed from the geometry. */
  faceFound: boolean;
  frontAzimuthDeg: number;
  warnings: string[];
}

/** Steps 1-3 of the file comment. */
export async function normaliseHeadMesh(
  input: TexturedMesh,
  opts: MeshSourceOptions = {},
): Promise<NormalisedHead> {
  const log = opts.log ?? (() => undefined);
  const detect = opts.detectFace ?? analyzeFace;
  const warnings: string[] = [];
  const mesh = withOwnPositions(input);
  const b0 = bounds(mesh.positions);
  if (!b0) throw new RangeError('the mesh has no vertices');
  const extent = Math.max(b0.max[0] - b0.min[0], b0.max[1] - b0.min[1], b0.max[2] - b0.min[2]);
  if (!(extent > 0)) throw new RangeError('the mesh is degenerate (zero extent)');
  recentre(
    mesh.positions,
    [0, 1, 2].map((c) => (b0.min[c] + b0.max[c]) / 2) as [number, number, number],
    (0.8 * FRAME_HEIGHT_WORLD) / extent,
  );

  let frontAzimuthDeg = opts.frontAzimuthDeg ?? 0;
  if (opts.frontAzimuthDeg === undefined) {
    const front = await findFront(mesh, detect, log);
    if (front) frontAzimuthDeg = front.azimuthDeg;
    else
      warnings.push(
        'no face found at any azimuth: the mesh is assumed to face +z (glTF front); framing uses the geometry only',
      );
  }
  // The camera at azimuth a sees the face; turning the mesh by -a brings the face to azimuth 0.
  rotateY(mesh.positions, -frontAzimuthDeg);

  // Crown and chin in world y.
  const size = 512;
  const frontCam = orbitCamera(0, 0, size);
  const face = await detect(compositeOnWhite(renderTexturedMesh(mesh, frontCam, { supersample: 1 })));
  const b1 = bounds(mesh.positions);
  if (!b1) throw new RangeError('the mesh has no vertices');
  const crown = b1.max[1];
  let chin: number;
  if (face) {
    let chinPx = -Infinity;
    for (let i = 1; i < face.landmarks.length; i += 3) chinPx = Math.max(chinPx, face.landmarks[i]);
    // Orthographic approximation at the orbit centre (fovy 10 deg: depth changes scale by < 10%).
    chin = ((size / 2 - chinPx) / frontCam.fy) * ORBIT_RADIUS;
    if (!(chin < crown)) {
      warnings.push('the face was found above the top of the mesh: framing uses the geometry only');
      chin = crown - Math.min(b1.max[1] - b1.min[1], 1.3 * (b1.max[0] - b1.min[0]));
    }
  } else {
    if (opts.frontAzimuthDeg !== undefined)
      warnings.push('no face found in the front view: framing uses the geometry only');
    chin = crown - Math.min(b1.max[1] - b1.min[1], 1.3 * (b1.max[0] - b1.min[0]));
  }
  const headBand = bounds(mesh.positions, (y) => y >= chin && y <= crown);
  if (!headBand) throw new RangeError('no vertices between chin and crown');
  const s = (HEAD_HEIGHT_FRAC * FRAME_HEIGHT_WORLD) / (crown - chin);
  const centre: [number, number, number] = [
    (headBand.min[0] + headBand.max[0]) / 2,
    (crown + chin) / 2,
    (headBand.min[2] + headBand.max[2]) / 2,
  ];
  recentre(mesh.positions, centre, s);
  // Head centre sits HEAD_CENTRE_Y_FRAC from the top, i.e. (0.5 - frac) of the frame above the centre.
  const lift = (0.5 - HEAD_CENTRE_Y_FRAC) * FRAME_HEIGHT_WORLD;
  for (let i = 1; i < mesh.positions.length; i += 3) mesh.positions[i] += lift;
  return { mesh, faceFound: face !== null, frontAzimuthDeg, warnings };
}

/** The pipeline view nearest a profile (azimuth 83.5): the mesh's profile-to-frontal input. */
export const MESH_PROFILE_VIEW = 5;

/** Render the normalised head at the 16 pipeline cameras (and the input portrait) as a GT subject. */
export async function meshSubjectFromHead(
  name: string,
  source: string,
  head: NormalisedHead,
  opts: MeshSourceOptions = {},
): Promise<GtSubject> {
  const viewSize = opts.viewSize ?? 256;
  const portraitSize = opts.portraitSize ?? 512;
  const elevationDeg = opts.elevationDeg ?? 0;
  const cameras = viewCameras(elevationDeg, viewSize);
  const views = cameras.map((camera, i) => ({
    label: `az ${VIEW_AZIMUTHS_DEG[i].toFixed(1)}`,
    image: renderTexturedMesh(head.mesh, camera),
    camera,
  }));
  const protocol = opts.protocol ?? 'input-view';
  const inputIndex = opts.inputView ?? (protocol === 'profile-to-frontal' ? MESH_PROFILE_VIEW : 0);
  if (inputIndex < 0 || inputIndex >= views.length)
    throw new RangeError(`input view ${inputIndex} does not exist (16 views)`);
  const scoreIndex = opts.scoreView ?? (protocol === 'profile-to-frontal' ? 0 : undefined);
  if (scoreIndex !== undefined && (scoreIndex < 0 || scoreIndex >= views.length))
    throw new RangeError(`score view ${scoreIndex} does not exist (16 views)`);
  const portrait = renderTexturedMesh(
    head.mesh,
    orbitCamera(VIEW_AZIMUTHS_DEG[inputIndex], elevationDeg, portraitSize),
  );
  return {
    name,
    kind: 'mesh',
    source,
    views,
    inputIndex,
    portrait,
    elevationDeg,
    orbitCentre: [0, 0, 0],
    ...(scoreIndex !== undefined ? { scoreIndex } : {}),
    protocol,
    warnings: [...head.warnings],
  };
}

/** Load, normalise and render a GLB/glTF head. */
export async function meshSubject(file: string, opts: MeshSourceOptions = {}): Promise<GtSubject> {
  const loaded = await loadGltf(file);
  const head = await normaliseHeadMesh(loaded.mesh, opts);
  head.warnings.unshift(...loaded.warnings);
  return meshSubjectFromHead(path.basename(file).replace(/\.(glb|gltf)$/i, ''), file, head, opts);
}
