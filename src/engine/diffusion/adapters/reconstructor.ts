/**
 * LGM-style reconstructor: 4 views + Plücker rays -> [N, 14] packed Gaussians -> GaussianCloud.
 *
 * Fed tensor views [1, 4, 9, S, S]: per view, 3 normalised RGB channels then the 6 Plücker channels
 * (o x d, d) of that view's camera (src/shared/plucker.ts), in the order of views.reconViewIndices.
 *
 * canonicalFirstView: LGM is trained with the first camera at elevation 0. With it set, the cameras
 * are expressed in a world rotated about +x by the elevation (first camera -> elevation 0), and the
 * Gaussians are rotated back into HeadForge's world afterwards.
 */
import type * as ort from 'onnxruntime-node';
import { orbitCamera, type RasterCamera } from '../../../shared/camera';
import type { GaussianCloud } from '../../../shared/gaussians/cloud';
import { transformCloud } from '../../../shared/gaussians/transforms';
import type { RgbaImage } from '../../../shared/image';
import { pluckerRays } from '../../../shared/plucker';
import type { NetworkSpec, PackManifest, TensorSpec } from '../../packs/manifest';
import { imageToChw } from '../image-tensor';
import { runNetwork } from './run-network';
import { packedLgmToCloud } from './lgm-decode';

type ReconSettings = NonNullable<PackManifest['reconstructor']>;

/** Rotate a camera's world frame: cameras see world' = Rx(angle) world. Returns the camera in world' coordinates. */
export function rotateCameraWorldX(cam: RasterCamera, angleRad: number): RasterCamera {
  const c = Math.cos(angleRad);
  const s = Math.sin(angleRad);
  // p = Rx^T p'; R_new = R Rx^T. Rx = [[1,0,0],[0,c,-s],[0,s,c]] so Rx^T = [[1,0,0],[0,c,s],[0,-s,c]].
  const m = cam.worldToCamera;
  const out = new Float64Array(12);
  for (let r = 0; r < 3; r++) {
    const a = m[r * 4], b = m[r * 4 + 1], d = m[r * 4 + 2];
    out[r * 4] = a;
    out[r * 4 + 1] = b * c - d * s;
    out[r * 4 + 2] = b * s + d * c;
    out[r * 4 + 3] = m[r * 4 + 3];
  }
  return { ...cam, worldToCamera: out };
}

export class ReconstructorAdapter {
  constructor(
    private readonly session: ort.InferenceSession,
    private readonly net: NetworkSpec,
    private readonly settings: ReconSettings,
    private readonly fovyDeg: number,
    private readonly orbitRadius: number,
  ) {}

  /** Cameras of the 4 input views (HeadForge world, or the canonical world when configured). */
  cameras(azimuthsDeg: number[], elevationDeg: number): RasterCamera[] {
    const size = this.settings.inputSize;
    const cams = azimuthsDeg.map((az) => orbitCamera(az, elevationDeg, size, this.fovyDeg, this.orbitRadius));
    if (!this.settings.canonicalFirstView) return cams;
    return cams.map((c) => rotateCameraWorldX(c, (elevationDeg * Math.PI) / 180));
  }

  /** The fed tensor [1, 4, 9, S, S]. */
  buildInput(views: RgbaImage[], cams: RasterCamera[]): Float32Array {
    if (views.length !== 4 || cams.length !== 4) throw new RangeError('reconstructor takes exactly 4 views');
    const S = this.settings.inputSize;
    const plane = S * S;
    const input = new Float32Array(4 * 9 * plane);
    for (let v = 0; v < 4; v++) {
      input.set(imageToChw(views[v], S, this.settings.normalisation), v * 9 * plane);
      input.set(pluckerRays(cams[v]), (v * 9 + 3) * plane);
    }
    return input;
  }

  async reconstruct(views: RgbaImage[], azimuthsDeg: number[], elevationDeg: number): Promise<GaussianCloud> {
    const S = this.settings.inputSize;
    const input = this.buildInput(views, this.cameras(azimuthsDeg, elevationDeg));
    const out = await runNetwork('reconstructor', this.session, this.net.inputs, this.net.outputs as Record<'gaussians', TensorSpec>, {
      views: { data: input, dims: [1, 4, 9, S, S] },
    });
    const cloud = packedLgmToCloud(out.gaussians.data, this.settings.activations);
    if (!this.settings.canonicalFirstView || elevationDeg === 0) return cloud;
    // Back from world' = Rx(e) world: rotate by Rx(-e) (quaternion about +x by -e).
    const half = (-elevationDeg * Math.PI) / 360;
    return transformCloud(cloud, { rotation: [Math.cos(half), Math.sin(half), 0, 0] });
  }
}
