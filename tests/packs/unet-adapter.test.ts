import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { UnetAdapter } from '../../src/engine/diffusion/adapters/unet';
import type { NetworkSpec } from '../../src/engine/packs/manifest';

const F = 16, C = 1, h = 2;
const spec = (name: string, shape: (number | string)[]) => ({ name, dtype: 'float32' as const, shape });

function adapter(batch: number | string, zeroIdentityInUncond?: boolean) {
  const fed: Record<string, ort.Tensor>[] = [];
  const net = {
    file: 'u.onnx',
    sha256: '0'.repeat(64),
    externalData: [],
    inputs: {
      sample: spec('sample', [batch, F, 2 * C, h, h]),
      sigma: spec('t', [batch]),
      imageEmbedding: spec('clip', [batch, 1, 2]),
      identityEmbedding: spec('id', [batch, 3]),
      elevation: spec('elev', [batch]),
    },
    outputs: { prediction: spec('out', [batch, F, C, h, h]) },
  } as unknown as NetworkSpec;
  // Records the feeds and answers with a recognisable output per batch entry (b + 1).
  const session = {
    run: async (feeds: Record<string, ort.Tensor>) => {
      fed.push(feeds);
      const B = feeds.sample.dims[0];
      const out = new Float32Array(B * F * C * h * h);
      for (let b = 0; b < B; b++) out.fill(b + 1, b * F * C * h * h, (b + 1) * F * C * h * h);
      return { out: new ort.Tensor('float32', out, [B, F, C, h, h]) };
    },
  } as unknown as ort.InferenceSession;
  const u = new UnetAdapter('u', session, net, {
    conditionLatent: Float32Array.from([5, 6, 7, 8]),
    imageEmbedding: Float32Array.from([1, 2]),
    identityEmbedding: Float32Array.from([3, 4, 5]),
    elevation: 20,
    zeroIdentityInUncond,
  });
  return { u, fed };
}

describe('U-Net adapter feeds', () => {
  const x = Float32Array.from({ length: F * C * h * h }, (_, i) => i / 100);

  it('runs [uncond, cond] as one batch: uncond zeroes the conditioning latent and CLIP, keeps identity and elevation', async () => {
    const { u, fed } = adapter('B');
    const r = await u.predict(x, 0.7, true);
    expect(fed).toHaveLength(1);
    const f = fed[0];
    expect(f.sample.dims).toEqual([2, F, 2, h, h]);
    const s = f.sample.data as Float32Array;
    const frame = 2 * C * h * h;
    // frame 3 of the uncond entry: c_in x then zeros; of the cond entry: c_in x then the condition latent
    expect(Array.from(s.subarray(3 * frame, 4 * frame))).toEqual([...Array.from(x.subarray(12, 16)), 0, 0, 0, 0]);
    expect(Array.from(s.subarray((F + 3) * frame, (F + 4) * frame))).toEqual([...Array.from(x.subarray(12, 16)), 5, 6, 7, 8]);
    expect(Array.from(f.clip.data as Float32Array)).toEqual([0, 0, 1, 2]);
    expect(Array.from(f.id.data as Float32Array)).toEqual([3, 4, 5, 3, 4, 5]);
    expect(Array.from(f.elev.data as Float32Array)).toEqual([20, 20]);
    expect(Array.from(f.t.data as Float32Array)).toEqual([expect.closeTo(0.7, 6), expect.closeTo(0.7, 6)]);
    expect(r.uncond!.every((v) => v === 1)).toBe(true);
    expect(r.cond.every((v) => v === 2)).toBe(true);
  });

  it('a fixed batch of 1 runs cond and uncond as two calls; zeroIdentity clears identity in uncond', async () => {
    const { u, fed } = adapter(1, true);
    await u.predict(x, 0.1, true);
    expect(fed).toHaveLength(2);
    expect(Array.from(fed[0].id.data as Float32Array)).toEqual([3, 4, 5]);
    expect(Array.from(fed[1].id.data as Float32Array)).toEqual([0, 0, 0]);
    await u.predict(x, 0.1, false);
    expect(fed).toHaveLength(3);
  });
});
