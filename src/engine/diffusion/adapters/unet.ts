/**
 * The ID-TS video U-Net as a DenoiserModel for the sampler.
 *
 * Fed tensors (B = batch: 1, or 2 when cond and uncond run together; F = 16 frames; C = latent channels):
 *   sample            [B, F, 2C, h, w]  per frame: c_in * x (C channels) then the conditioning image latent (C)
 *   sigma             [B]               c_noise = 0.25 ln(sigma)
 *   imageEmbedding    [B, ..., Dc]      CLIP image embedding (cross-attention)
 *   identityEmbedding [B, Di]           ArcFace embedding (cross-attention)
 *   elevation         [B]               camera elevation (pack unit: deg or rad), embedded with the timestep
 * Output prediction [B, F, C, h, w].
 * The unconditional branch (sgm force_uc_zero_embeddings, as the released code) zeroes the
 * conditioning latent and the CLIP embedding and keeps the elevation and (unless the pack says
 * unconditional.zeroIdentity) the identity embedding. Batch order when run together: [uncond, cond].
 */
import type * as ort from 'onnxruntime-node';
import type { NetworkSpec, TensorSpec } from '../../packs/manifest';
import type { DenoiserModel } from '../sampler';
import { throwIfAborted } from '../sampler';
import { fixedBatch, runNetwork, type Fed } from './run-network';

export interface UnetConditioning {
  /** Conditioning image latent [C, h, w] (repeated over frames). */
  conditionLatent: Float32Array;
  imageEmbedding: Float32Array;
  identityEmbedding: Float32Array;
  /** Elevation in the pack's unit. */
  elevation: number;
  /** Zero the identity embedding in the unconditional branch too (default: keep it, as the released code does). */
  zeroIdentityInUncond?: boolean;
}

function perSample(spec: TensorSpec): number {
  return spec.shape.slice(1).reduce<number>((a, d) => a * (typeof d === 'number' ? d : 1), 1);
}

export class UnetAdapter implements DenoiserModel {
  readonly frames: number;
  readonly channels: number;
  readonly h: number;
  /** Network calls made so far (for tests and benches). */
  calls = 0;

  constructor(
    private readonly label: string,
    private readonly session: ort.InferenceSession,
    private readonly net: NetworkSpec,
    private readonly cond: UnetConditioning,
  ) {
    const s = net.inputs.sample!.shape as number[];
    this.frames = s[1];
    this.channels = s[2] / 2;
    this.h = s[3];
    const frameLatent = this.channels * this.h * s[4];
    if (cond.conditionLatent.length !== frameLatent) throw new RangeError(`${label}: conditioning latent has ${cond.conditionLatent.length} values, expected ${frameLatent}`);
    for (const [role, v] of [['imageEmbedding', cond.imageEmbedding], ['identityEmbedding', cond.identityEmbedding]] as const) {
      const want = perSample(net.inputs[role]!);
      if (v.length !== want) throw new RangeError(`${label}: ${role} has ${v.length} values, the network takes ${want}`);
    }
  }

  /** Fed tensors per branch set, built once: only the c_in * x half of `sample` and `sigma` change per step. */
  private readonly feedCache = new Map<string, Record<string, Fed>>();

  /** The fed tensors for the given branches ('u' = unconditional, 'c' = conditional), constant parts filled. */
  private feedsFor(branches: ('u' | 'c')[]): Record<string, Fed> {
    const key = branches.join('');
    const hit = this.feedCache.get(key);
    if (hit) return hit;
    const B = branches.length;
    const { frames } = this;
    const spec = this.net.inputs;
    const frameIn = this.cond.conditionLatent.length;
    const sample = new Float32Array(B * frames * 2 * frameIn);
    const img = new Float32Array(B * this.cond.imageEmbedding.length);
    const id = new Float32Array(B * this.cond.identityEmbedding.length);
    branches.forEach((br, b) => {
      if (br === 'c' || !this.cond.zeroIdentityInUncond) id.set(this.cond.identityEmbedding, b * this.cond.identityEmbedding.length);
      if (br !== 'c') return; // unconditional: conditioning latent and CLIP embedding stay zero
      for (let f = 0; f < frames; f++) sample.set(this.cond.conditionLatent, (b * frames + f) * 2 * frameIn + frameIn);
      img.set(this.cond.imageEmbedding, b * this.cond.imageEmbedding.length);
    });
    const dimsOf = (s: TensorSpec) => [B, ...s.shape.slice(1).map(Number)];
    const feeds = {
      sample: { data: sample, dims: dimsOf(spec.sample!) },
      imageEmbedding: { data: img, dims: dimsOf(spec.imageEmbedding!) },
      identityEmbedding: { data: id, dims: dimsOf(spec.identityEmbedding!) },
      elevation: { data: new Float32Array(B).fill(this.cond.elevation), dims: [B] },
      sigma: { data: new Float32Array(B), dims: [B] },
    };
    this.feedCache.set(key, feeds);
    return feeds;
  }

  private async run(scaledInput: Float32Array, cNoise: number, branches: ('u' | 'c')[]): Promise<Float32Array> {
    const feeds = this.feedsFor(branches);
    const frameIn = this.cond.conditionLatent.length;
    for (let b = 0; b < branches.length; b++) {
      for (let f = 0; f < this.frames; f++) {
        feeds.sample.data.set(scaledInput.subarray(f * frameIn, (f + 1) * frameIn), (b * this.frames + f) * 2 * frameIn);
      }
    }
    feeds.sigma.data.fill(cNoise);
    this.calls++;
    const out = await runNetwork(this.label, this.session, this.net.inputs, this.net.outputs as Record<'prediction', TensorSpec>, feeds);
    // onnxruntime returns a fresh buffer per run, so views into it are safe to hand out and mutate.
    return out.prediction.data;
  }

  async predict(scaledInput: Float32Array, cNoise: number, withUncond: boolean, signal?: AbortSignal): Promise<{ cond: Float32Array; uncond: Float32Array | null }> {
    const batch = fixedBatch(this.net.inputs.sample!);
    const n = scaledInput.length;
    if (batch === 2 || (batch === null && withUncond)) {
      const both = await this.run(scaledInput, cNoise, ['u', 'c']);
      return { uncond: withUncond ? both.subarray(0, n) : null, cond: both.subarray(n, 2 * n) };
    }
    if (batch !== null && batch !== 1) throw new RangeError(`${this.label}: batch axis ${batch} unsupported (use 1, 2 or dynamic)`);
    const cond = await this.run(scaledInput, cNoise, ['c']);
    if (!withUncond) return { cond, uncond: null };
    throwIfAborted(signal);
    return { cond, uncond: await this.run(scaledInput, cNoise, ['u']) };
  }
}
