/**
 * Conditioning encoders: CLIP image embedding of the portrait and ArcFace identity embedding of the
 * 112x112 aligned face crop. Both take one image and return one flat embedding vector.
 */
import type * as ort from 'onnxruntime-node';
import type { RgbaImage } from '../../../shared/image';
import type { NetworkSpec } from '../../packs/manifest';
import { imageToChw, type Normalisation } from '../image-tensor';
import { runNetwork } from './run-network';

async function embedOne(label: string, session: ort.InferenceSession, net: NetworkSpec, role: string, img: RgbaImage, size: number, norm: Normalisation) {
  const chw = imageToChw(img, size, norm);
  const res = await runNetwork(label, session, net.inputs, net.outputs as Record<string, NetworkSpec['inputs'][string]>, {
    [role]: { data: chw, dims: [1, 3, size, size] },
  });
  return Float32Array.from(res.embedding.data);
}

export class ClipImageAdapter {
  constructor(
    private readonly session: ort.InferenceSession,
    private readonly net: NetworkSpec,
    private readonly size: number,
    private readonly norm: Normalisation,
  ) {}

  /** CLIP image embedding of the portrait (flattened, length = last axis of the output). */
  embed(img: RgbaImage): Promise<Float32Array> {
    return embedOne('clipImage', this.session, this.net, 'pixels', img, this.size, this.norm);
  }
}

export class ArcFaceAdapter {
  constructor(
    private readonly session: ort.InferenceSession,
    private readonly net: NetworkSpec,
    private readonly size: number,
    private readonly norm: Normalisation,
  ) {}

  /** L2-normalised identity embedding of the aligned crop; all zeros when there is no face (the unconditional value). */
  async embed(crop: RgbaImage | null): Promise<Float32Array> {
    const width = Number(this.net.outputs.embedding.shape[this.net.outputs.embedding.shape.length - 1]);
    if (!crop) return new Float32Array(width);
    const e = await embedOne('arcface', this.session, this.net, 'face', crop, this.size, this.norm);
    const norm = Math.hypot(...e);
    if (norm > 0) for (let i = 0; i < e.length; i++) e[i] /= norm;
    return e;
  }
}
