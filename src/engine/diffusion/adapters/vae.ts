/**
 * VAE encode/decode over batches of frames. Images are [N, 3, H, W] in [-1, 1]; latents are the
 * encoder's raw output [N, C, H/d, W/d] (unscaled: callers multiply by vae.scalingFactor where the
 * sampler works in scaled latents). A network whose batch axis is fixed is run in chunks of that size.
 */
import type * as ort from 'onnxruntime-node';
import type { NetworkSpec } from '../../packs/manifest';
import { fixedBatch, runNetwork } from './run-network';

async function batched(
  label: string,
  session: ort.InferenceSession,
  net: NetworkSpec,
  inRole: string,
  outRole: string,
  data: Float32Array,
  n: number,
  inDims: number[],
  outDims: number[],
): Promise<Float32Array> {
  const inSize = inDims.reduce((a, b) => a * b, 1);
  const outSize = outDims.reduce((a, b) => a * b, 1);
  const chunk = fixedBatch(net.inputs[inRole as keyof typeof net.inputs]!) ?? n;
  const out = new Float32Array(n * outSize);
  for (let start = 0; start < n; start += chunk) {
    const count = Math.min(chunk, n - start);
    // A fixed-batch network gets a zero-padded final chunk; the padding's outputs are dropped.
    const feed = new Float32Array(chunk * inSize);
    feed.set(data.subarray(start * inSize, (start + count) * inSize));
    const res = await runNetwork(label, session, net.inputs, net.outputs as Record<string, NetworkSpec['inputs'][string]>, {
      [inRole]: { data: feed, dims: [chunk, ...inDims] },
    });
    out.set(res[outRole].data.subarray(0, count * outSize), start * outSize);
  }
  return out;
}

export class VaeAdapter {
  constructor(
    private readonly encoder: { session: ort.InferenceSession; net: NetworkSpec },
    private readonly decoder: { session: ort.InferenceSession; net: NetworkSpec },
    readonly latentChannels: number,
    readonly downsample: number,
  ) {}

  /** [N, 3, S, S] in [-1, 1] -> [N, C, S/d, S/d]. */
  encode(images: Float32Array, n: number, size: number): Promise<Float32Array> {
    const h = size / this.downsample;
    return batched('vaeEncoder', this.encoder.session, this.encoder.net, 'image', 'latent', images, n, [3, size, size], [this.latentChannels, h, h]);
  }

  /** [N, C, h, w] (unscaled) -> [N, 3, h*d, w*d] in about [-1, 1]. */
  decode(latents: Float32Array, n: number, h: number): Promise<Float32Array> {
    const size = h * this.downsample;
    return batched('vaeDecoder', this.decoder.session, this.decoder.net, 'latent', 'image', latents, n, [this.latentChannels, h, h], [3, size, size]);
  }
}
