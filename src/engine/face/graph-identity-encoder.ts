/**
 * IdentityEncoder running a tfjs graph model on an ArcFace-aligned crop of S x S pixels (the
 * standard 5-point template scaled to S, optionally zoomed out by `zoom` to show more context).
 * Input tensor [1, S, S, 3] float, RGB, values mapped from 0..255 by `(v - mean) / std`.
 * Output: the named (or only) output, flattened, L2-normalised.
 */
import { getTfRuntime, loadGraphModelFile } from './tf-runtime';
import type { FaceForIdentity, IdentityEncoder } from './types';
import { alignedCrop } from './align';

export interface GraphEncoderSpec {
  name: string;
  /** Absolute path of model.json. */
  modelFile: string;
  inputSize: number;
  mean: number;
  std: number;
  /** Output tensor name; omit for the model's single/first output. */
  output?: string;
  /**
   * Zoom factor of the crop around the ArcFace template centre before encoding: 1 = the standard
   * 112 crop; < 1 shows more context (for encoders trained on looser face crops).
   */
  zoom?: number;
  /** Keep only the first `dims` values of a wider output (e.g. faceres' 1024-d of several heads). */
  dims?: number;
}

export class GraphIdentityEncoder implements IdentityEncoder {
  readonly name: string;
  private constructor(
    private readonly spec: GraphEncoderSpec,
    private readonly model: import('@tensorflow/tfjs-converter').GraphModel,
  ) {
    this.name = spec.name;
  }

  static async create(spec: GraphEncoderSpec): Promise<GraphIdentityEncoder> {
    return new GraphIdentityEncoder(spec, await loadGraphModelFile(spec.modelFile));
  }

  async embed(face: FaceForIdentity): Promise<Float32Array> {
    const { tf } = await getTfRuntime();
    const s = this.spec.inputSize;
    const { width, height, data } = alignedCrop(face.image, face.landmarks, s, this.spec.zoom ?? 1);
    const rgb = new Float32Array(width * height * 3);
    for (let i = 0, j = 0; i < data.length; i += 4, j += 3) {
      for (let c = 0; c < 3; c++) rgb[j + c] = (data[i + c] - this.spec.mean) / this.spec.std;
    }
    const values = tf.tidy(() => {
      const x = tf.tensor4d(rgb, [1, height, width, 3]);
      const out = this.spec.output ? this.model.execute(x, this.spec.output) : this.model.execute(x);
      const first = Array.isArray(out) ? out[0] : out;
      return tf.reshape(first, [-1]);
    });
    const raw = (await values.data()) as Float32Array;
    values.dispose();
    const v = this.spec.dims ? raw.slice(0, this.spec.dims) : Float32Array.from(raw);
    return l2Normalise(v);
  }
}

export function l2Normalise(v: Float32Array): Float32Array {
  let n = 0;
  for (const x of v) n += x * x;
  n = Math.sqrt(n);
  if (!(n > 0) || !Number.isFinite(n)) throw new Error('identity embedding is zero or not finite');
  for (let i = 0; i < v.length; i++) v[i] /= n;
  return v;
}

