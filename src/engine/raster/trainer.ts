/**
 * GaussianTrainer: per-subject optimisation of a GaussianCloud against target views, running in the
 * native addon on a worker thread. `step(n)` resolves after n steps (or fewer when cancelled) with
 * stats; the event loop stays free meanwhile. One step() at a time; getCloud/setCloud between steps.
 */
import type { RasterCamera } from '../../shared/camera';
import type { GaussianCloud } from '../../shared/gaussians/cloud';
import type { GrayImageF32, RgbaImage } from '../../shared/image';
import { nativeAddon, type NativeTrainer, type NativeTrainStats } from './native-addon';
import { validateCamera, validateCloud } from './validate';

export interface TrainView {
  /** Target image, straight alpha; its alpha is the target coverage unless `mask` is given. */
  image: RgbaImage;
  camera: RasterCamera;
  /** Optional target alpha [H*W] in [0, 1] (overrides the image's alpha). */
  mask?: GrayImageF32;
}

/** All optional; defaults follow 3DGS scaled to a head of ~0.25 world units seen from radius 1.5. */
export interface TrainerOptions {
  seed?: number;
  /** Worker threads (0 = all cores). Results are identical for every thread count. */
  threads?: number;
  /** lambda in (1 - lambda) L1 + lambda (1 - SSIM); default 0.2. */
  ssimWeight?: number;
  /** Weight of mean |alpha - target alpha|; default 0 (off). */
  alphaWeight?: number;
  background?: [number, number, number];
  /** A random background colour per step (targets are composited over the same colour). */
  randomBackground?: boolean;
  /** World size of the subject; scales the position learning rate and the size thresholds. Default 0.35. */
  sceneExtent?: number;
  lrPositionInit?: number;
  lrPositionFinal?: number;
  /** Steps over which the position LR decays exponentially from init to final. Default 3000. */
  lrPositionSteps?: number;
  lrScale?: number;
  lrRotation?: number;
  lrOpacity?: number;
  lrShDC?: number;
  lrShRest?: number;
  /** Densify every `densifyInterval` steps in [densifyFrom, densifyUntil]; interval 0 = off. */
  densifyFrom?: number;
  densifyUntil?: number;
  densifyInterval?: number;
  densifyGradThreshold?: number;
  percentDense?: number;
  /** Hard cap on the Gaussian count; default 200,000. */
  maxCount?: number;
  pruneOpacity?: number;
  pruneWorldScale?: number;
  /** Reset all opacities to <= 0.01 every N steps while densifying; 0 = never (default). */
  opacityResetInterval?: number;
  /** Raise the active SH degree by one every N steps, up to the cloud's degree; 0 = all at once. */
  shDegreeInterval?: number;
}

/** The addon's stats plus the PSNR (dB) derived from this call's mean squared error. */
export interface TrainStats extends NativeTrainStats {
  psnr: number;
}

export class GaussianTrainer {
  private native: NativeTrainer | null;

  private constructor(native: NativeTrainer) {
    this.native = native;
  }

  static create(init: GaussianCloud, views: TrainView[], opts: TrainerOptions = {}): GaussianTrainer {
    validateCloud(init, 'initial cloud');
    if (!Array.isArray(views) || views.length === 0) throw new RangeError('the trainer needs at least one target view');
    const nativeViews = views.map((v, i) => {
      validateCamera(v.camera, `views[${i}].camera`);
      const { width, height, data } = v.image;
      if (width !== v.camera.width || height !== v.camera.height)
        throw new RangeError(`views[${i}]: image is ${width}x${height} but its camera is ${v.camera.width}x${v.camera.height}`);
      if (data.length !== width * height * 4) throw new RangeError(`views[${i}].image.data must hold ${width * height * 4} bytes`);
      if (v.mask && (v.mask.width !== width || v.mask.height !== height)) throw new RangeError(`views[${i}].mask size differs from its image`);
      return { width, height, rgba: data, camera: v.camera, ...(v.mask ? { mask: v.mask.data } : {}) };
    });
    for (const [k, val] of Object.entries(opts))
      if (typeof val === 'number' && !Number.isFinite(val)) throw new RangeError(`trainer option ${k} must be finite`);
    const Trainer = nativeAddon().Trainer;
    return new GaussianTrainer(new Trainer(init, nativeViews, { ...opts }));
  }

  private live(): NativeTrainer {
    if (!this.native) throw new Error('GaussianTrainer was disposed');
    return this.native;
  }

  /** Runs n optimisation steps off the JS thread. */
  async step(n: number): Promise<TrainStats> {
    const s = await this.live().step(n);
    const psnr = s.mse > 0 ? -10 * Math.log10(s.mse) : Infinity;
    return { ...s, psnr };
  }

  /** Stops a running step() between two steps; it resolves with cancelled = true. */
  cancel(): void {
    this.native?.cancel();
  }

  get busy(): boolean {
    return this.native?.busy ?? false;
  }

  /** A copy of the current parameters. Throws while a step() is running. */
  getCloud(): GaussianCloud {
    return this.live().getCloud();
  }

  /**
   * Per Gaussian of getCloud() [count]: the row of the initial cloud (create's, or the last setCloud's)
   * it descends from. Clone and split children inherit their source's row; pruned Gaussians take
   * theirs with them. Throws while a step() is running.
   */
  getLineage(): Int32Array {
    return this.live().getLineage();
  }

  /** Replaces the parameters (optimiser state, densification statistics and lineage reset). */
  setCloud(cloud: GaussianCloud): void {
    validateCloud(cloud);
    this.live().setCloud(cloud);
  }

  /** Frees the native state (safe during a step: it is cancelled and freed when it ends). */
  dispose(): void {
    this.native?.dispose();
    this.native = null;
  }
}
