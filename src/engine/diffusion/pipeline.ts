/**
 * ID-TS multi-view diffusion + LGM reconstruction over a validated model pack (DESIGN.md 2-3).
 *
 *   conditioning: CLIP(portrait), ArcFace(112 crop), VAE(portrait at the stage resolution)
 *   stage 1     : x = s0 * eps(seed, stream 0) -> Euler/EDM with guidance ramp -> VAE decode (16 views)
 *   stage 2     : j = scale * VAE(upsample(stage-1 views)); x = xi mix of eps(seed, stream 1) and j
 *                 -> Euler/EDM -> VAE decode (16 views at the stage-2 resolution)
 *   reconstruct : views at reconViewIndices + Plücker rays -> [N, 14] -> GaussianCloud
 * Latents are Float32Array [16, C, h, w]. Noise comes from the counter-based generator, so a seed
 * gives the same views on any provider.
 */
import type { GaussianCloud } from '../../shared/gaussians/cloud';
import type { RgbaImage } from '../../shared/image';
import { sessionCache as defaultCache, type CachedSession, type SessionCache } from '../onnx/session-cache';
import type { ProviderChoice, ProviderPreference } from '../onnx/providers';
import type { NetworkKey, NetworkSpec, PackManifest, SamplerSettings } from '../packs/manifest';
import { loadValidatedPack } from '../packs/validate';
import path from 'node:path';
import { ArcFaceAdapter, ClipImageAdapter } from './adapters/encoders';
import { ReconstructorAdapter } from './adapters/reconstructor';
import { UnetAdapter } from './adapters/unet';
import { VaeAdapter } from './adapters/vae';
import { chwToRgba, imageToChw, MINUS_ONE_TO_ONE, resizeNchw } from './image-tensor';
import { gaussianNoise, NoiseStream } from './noise';
import { sampleEuler, throwIfAborted, type SamplerProgress } from './sampler';
import { initialNoiseScale, karrasSigmas } from './schedule';
import { xiMix } from './xi-mix';

export interface IdTsInput {
  /** The preprocessed square portrait (RGB on white); resized to each stage's resolution. */
  image: RgbaImage;
  /** 112x112 aligned identity crop; null = no face (identity embedding zero, with a warning). */
  idCrop112: RgbaImage | null;
}

export type IdTsPhase = 'load' | 'condition' | 'stage1' | 'decode1' | 'stage2' | 'decode2' | 'reconstruct';

export interface IdTsProgress {
  phase: IdTsPhase;
  step: number;
  steps: number;
  /** Present for sampler steps. */
  sampler?: SamplerProgress;
}

export interface IdTsRunOptions {
  elevationDeg: number;
  seed: number;
  /** Quick seed preview: stop after stage 1. */
  stage1Only?: boolean;
  /** Override the pack's step counts (e.g. fewer steps for previews). */
  steps?: { stage1?: number; stage2?: number };
  /** Run the reconstructor when the pack has one (default true). */
  reconstruct?: boolean;
  onProgress?: (p: IdTsProgress) => void;
  signal?: AbortSignal;
}

export interface IdTsResult {
  stage1Views: RgbaImage[];
  /** Final views: stage 2 when run, else stage 1. */
  views: RgbaImage[];
  cloud: GaussianCloud | null;
  /** Provider of every network used, with the reason (for the job log). */
  providers: Partial<Record<NetworkKey, ProviderChoice>>;
  timings: { phase: IdTsPhase; ms: number }[];
  warnings: string[];
}

export interface OpenPipelineOptions {
  provider?: ProviderPreference;
  cache?: SessionCache;
  /** Release this pack's sessions when a run is cancelled (default true): frees the weights' memory. */
  releaseSessionsOnCancel?: boolean;
}

export class IdTsPipeline {
  readonly providers: Partial<Record<NetworkKey, ProviderChoice>> = {};

  private constructor(
    readonly dir: string,
    readonly manifest: PackManifest,
    readonly packWarnings: string[],
    private readonly opts: Required<OpenPipelineOptions>,
  ) {}

  /** Validate the pack (hashes included) and prepare a pipeline; sessions are created lazily. */
  static async open(dir: string, options: OpenPipelineOptions = {}): Promise<IdTsPipeline> {
    const pack = await loadValidatedPack(dir);
    return new IdTsPipeline(pack.dir, pack.manifest, pack.warnings, {
      provider: options.provider ?? 'auto',
      cache: options.cache ?? defaultCache,
      releaseSessionsOnCancel: options.releaseSessionsOnCancel ?? true,
    });
  }

  private async session(key: NetworkKey): Promise<{ session: CachedSession['session']; net: NetworkSpec }> {
    const net = this.manifest.networks[key] as unknown as NetworkSpec | undefined;
    if (!net) throw new Error(`pack ${this.manifest.name} has no ${key} network`);
    // fp16 variants only pay off on CUDA; on CPU they are slower than fp32.
    const useFp16 = net.fp16 && this.opts.provider !== 'cpu' && this.providers[key]?.provider !== 'cpu';
    const file = path.join(this.dir, useFp16 ? net.fp16!.file : net.file);
    const cached = await this.opts.cache.get(file, this.opts.provider);
    this.providers[key] = cached.choice;
    return { session: cached.session, net };
  }

  /** Release this pack's cached sessions (weights) now. */
  release(): Promise<number> {
    return this.opts.cache.releaseUnder(this.dir + path.sep);
  }

  async run(input: IdTsInput, options: IdTsRunOptions): Promise<IdTsResult> {
    try {
      return await this.runInner(input, options);
    } catch (err) {
      if (options.signal?.aborted && this.opts.releaseSessionsOnCancel) await this.release();
      throw err;
    }
  }

  private elevationForNet(deg: number): number {
    return this.manifest.elevation.unit === 'rad' ? (deg * Math.PI) / 180 : deg;
  }

  /** Conditioning image latent [C, h, w] at `size` (optionally noise-augmented, scaled per the pack). */
  private async conditionLatent(vae: VaeAdapter, image: RgbaImage, size: number, seed: number, stream: number): Promise<Float32Array> {
    const m = this.manifest.vae;
    const chw = imageToChw(image, size, MINUS_ONE_TO_ONE);
    if (m.conditionNoiseAug > 0) {
      const eps = gaussianNoise(seed, stream, chw.length);
      for (let i = 0; i < chw.length; i++) chw[i] += m.conditionNoiseAug * eps[i];
    }
    const lat = await vae.encode(chw, 1, size);
    if (m.conditionLatentScaled) for (let i = 0; i < lat.length; i++) lat[i] *= m.scalingFactor;
    return lat;
  }

  private async runInner(input: IdTsInput, o: IdTsRunOptions): Promise<IdTsResult> {
    const m = this.manifest;
    const F = 16;
    const C = m.vae.latentChannels;
    const timings: IdTsResult['timings'] = [];
    const warnings = [...this.packWarnings];
    let t = performance.now();
    const mark = (phase: IdTsPhase) => {
      const now = performance.now();
      timings.push({ phase, ms: now - t });
      t = now;
    };
    const progress = (phase: IdTsPhase, step: number, steps: number, sampler?: SamplerProgress) => o.onProgress?.({ phase, step, steps, sampler });

    progress('load', 0, 1);
    const enc = await this.session('vaeEncoder');
    const dec = await this.session('vaeDecoder');
    const vae = new VaeAdapter(enc, dec, C, m.vae.downsample);
    const clipS = await this.session('clipImage');
    const clip = new ClipImageAdapter(clipS.session, clipS.net, m.clip.size, m.clip.normalisation);
    const arcS = await this.session('arcface');
    const arcface = new ArcFaceAdapter(arcS.session, arcS.net, m.arcface.size, m.arcface.normalisation);
    progress('load', 1, 1);
    mark('load');
    throwIfAborted(o.signal);

    const imageEmbedding = await clip.embed(input.image);
    if (!input.idCrop112) warnings.push('no face crop: identity embedding left empty (views will follow the identity less closely)');
    const identityEmbedding = await arcface.embed(input.idCrop112);
    const elevation = this.elevationForNet(o.elevationDeg);
    mark('condition');

    // ---- stage 1
    const res1 = m.stage1.resolution;
    const h1 = res1 / m.vae.downsample;
    const u1 = await this.session('unetStage1');
    const unet1 = new UnetAdapter('unetStage1', u1.session, u1.net, {
      conditionLatent: await this.conditionLatent(vae, input.image, res1, o.seed, NoiseStream.conditionAug1),
      imageEmbedding,
      identityEmbedding,
      elevation,
      zeroIdentityInUncond: m.unconditional.zeroIdentity,
    });
    const s1 = { ...m.stage1.sampler, steps: o.steps?.stage1 ?? m.stage1.sampler.steps };
    const sig1 = karrasSigmas(s1.steps, s1.sigmaMin, s1.sigmaMax, s1.rho);
    const x1 = gaussianNoise(o.seed, NoiseStream.stage1Init, F * C * h1 * h1);
    const s01 = initialNoiseScale(sig1[0], s1.initNoiseScale);
    for (let i = 0; i < x1.length; i++) x1[i] *= s01;
    const lat1 = await sampleEuler(unet1, x1, {
      settings: s1,
      sigmas: sig1,
      frames: F,
      signal: o.signal,
      onStep: (p) => progress('stage1', p.step, p.steps, p),
    });
    mark('stage1');
    const img1 = await vae.decode(this.unscale(lat1), F, h1);
    const stage1Views = this.toViews(img1, res1);
    progress('decode1', 1, 1);
    mark('decode1');

    let views = stage1Views;
    if (!o.stage1Only && m.stage2 && m.networks.unetStage2) {
      throwIfAborted(o.signal);
      views = this.toViews(await this.stage2(vae, input, img1, { imageEmbedding, identityEmbedding, elevation }, o, progress), m.stage2.resolution);
      mark('stage2');
    }

    let cloud: GaussianCloud | null = null;
    if (!o.stage1Only && (o.reconstruct ?? true) && m.reconstructor && m.networks.reconstructor) {
      throwIfAborted(o.signal);
      progress('reconstruct', 0, 1);
      const r = await this.session('reconstructor');
      const recon = new ReconstructorAdapter(r.session, r.net, m.reconstructor, m.views.fovyDeg, m.views.orbitRadius);
      const idx = m.views.reconViewIndices;
      cloud = await recon.reconstruct(idx.map((i) => views[i]), idx.map((i) => m.views.azimuthsDeg[i]), o.elevationDeg);
      progress('reconstruct', 1, 1);
      mark('reconstruct');
    }
    return { stage1Views, views, cloud, providers: { ...this.providers }, timings, warnings };
  }

  private async stage2(
    vae: VaeAdapter,
    input: IdTsInput,
    img1: Float32Array,
    cond: { imageEmbedding: Float32Array; identityEmbedding: Float32Array; elevation: number },
    o: IdTsRunOptions,
    progress: (phase: IdTsPhase, step: number, steps: number, sampler?: SamplerProgress) => void,
  ): Promise<Float32Array> {
    const m = this.manifest;
    const st2 = m.stage2!;
    const F = 16;
    const res1 = m.stage1.resolution;
    const res2 = st2.resolution;
    const h2 = res2 / m.vae.downsample;
    const u2 = await this.session('unetStage2');
    const unet2 = new UnetAdapter('unetStage2', u2.session, u2.net, {
      conditionLatent: await this.conditionLatent(vae, input.image, res2, o.seed, NoiseStream.conditionAug2),
      ...cond,
      zeroIdentityInUncond: m.unconditional.zeroIdentity,
    });
    // j: the stage-1 views upsampled to the stage-2 resolution, encoded, in the sampler's (scaled) latent space.
    const up = resizeNchw(img1, F, 3, res1, res1, res2, res2);
    const j = await vae.encode(up, F, res2);
    for (let i = 0; i < j.length; i++) j[i] *= m.vae.scalingFactor;
    const s2: SamplerSettings = { ...st2.sampler, steps: o.steps?.stage2 ?? st2.sampler.steps };
    const sig2 = karrasSigmas(s2.steps, s2.sigmaMin, s2.sigmaMax, s2.rho);
    const eps = gaussianNoise(o.seed, NoiseStream.stage2Init, j.length);
    const x2 = xiMix(eps, j, st2.xi1, st2.xi2, initialNoiseScale(sig2[0], s2.initNoiseScale), st2.mixMode);
    const lat2 = await sampleEuler(unet2, x2, {
      settings: s2,
      sigmas: sig2,
      frames: F,
      signal: o.signal,
      onStep: (p) => progress('stage2', p.step, p.steps, p),
    });
    const img2 = await vae.decode(this.unscale(lat2), F, h2);
    progress('decode2', 1, 1);
    return img2;
  }

  private unscale(lat: Float32Array): Float32Array {
    const k = 1 / this.manifest.vae.scalingFactor;
    for (let i = 0; i < lat.length; i++) lat[i] *= k;
    return lat;
  }

  private toViews(images: Float32Array, size: number): RgbaImage[] {
    const per = 3 * size * size;
    return Array.from({ length: 16 }, (_, f) => chwToRgba(images, f * per, size, size));
  }
}
