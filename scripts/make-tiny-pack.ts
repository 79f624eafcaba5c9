/**
 * Writes a tiny but structurally faithful model pack: the same networks, tensor names, ranks and
 * conditioning inputs as a real HQ-Head pack, with a few channels and deterministic weights, so CI
 * runs every adapter, both stages, guidance, the xi mix and the reconstructor decode through the real
 * onnxruntime. The graphs are not trained: their views are patterns, not heads.
 *
 *   npx tsx scripts/make-tiny-pack.ts OUT_DIR
 *
 * Sizes: latent 4 channels (downsample 8), stage 1 at 64 px (8x8 latents), stage 2 at 128 px,
 * CLIP 224 -> 16-d, ArcFace 112 -> 8-d, reconstructor 64 px views -> 4 x 16 x 16 = 1024 Gaussians.
 * Batch axes: stage-1 U-Net dynamic (cond+uncond in one call), stage-2 U-Net fixed 1 (two calls),
 * VAE decoder fixed 8 (chunked) — so each batching path of the adapters runs.
 */
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { VIEW_AZIMUTHS_DEG, RECON_VIEW_INDICES } from '../src/shared/camera';
import { deterministicWeights, GraphBuilder } from '../src/engine/onnx/onnx-builder';
import { sha256Bytes } from '../src/engine/packs/hash';
import { PACK_FORMAT, PACK_FORMAT_VERSION, PACK_MANIFEST_FILE, type PackManifest } from '../src/engine/packs/manifest';

const C = 4;
const CLIP_D = 16;
const ID_D = 8;
const RES1 = 64;
const RES2 = 128;
const RECON_IN = 64;
const SPLAT = 16;

function vaeEncoder(): Uint8Array {
  const g = new GraphBuilder('vae_encoder', [{ name: 'image', dtype: 'float32', shape: ['N', 3, 'H', 'W'] }], [
    { name: 'latent_mean', dtype: 'float32', shape: ['N', C, 'h', 'w'] },
  ]);
  const w = g.floatInit('enc_w', [C, 3, 8, 8], deterministicWeights(C * 3 * 64, 1, 0.05));
  const b = g.floatInit('enc_b', [C], deterministicWeights(C, 2, 0.1));
  g.op('Conv', ['image', w, b], { kernel_shape: [8, 8], strides: [8, 8] }, 'latent_mean');
  return g.encode();
}

function vaeDecoder(): Uint8Array {
  const g = new GraphBuilder('vae_decoder', [{ name: 'latent', dtype: 'float32', shape: [8, C, 'h', 'w'] }], [
    { name: 'sample', dtype: 'float32', shape: [8, 3, 'H', 'W'] },
  ]);
  const w = g.floatInit('dec_w', [C, 3, 8, 8], deterministicWeights(C * 3 * 64, 3, 0.6));
  const b = g.floatInit('dec_b', [3], [0.2, 0.0, -0.2]);
  const up = g.op('ConvTranspose', ['latent', w, b], { kernel_shape: [8, 8], strides: [8, 8] });
  g.op('Tanh', [up], {}, 'sample');
  return g.encode();
}

function clipImage(): Uint8Array {
  const g = new GraphBuilder('clip_image', [{ name: 'pixel_values', dtype: 'float32', shape: [1, 3, 224, 224] }], [
    { name: 'image_embeds', dtype: 'float32', shape: [1, 1, CLIP_D] },
  ]);
  const cw = g.floatInit('patch_w', [CLIP_D, 3, 32, 32], deterministicWeights(CLIP_D * 3 * 1024, 4, 0.02));
  const patches = g.op('Conv', ['pixel_values', cw], { kernel_shape: [32, 32], strides: [32, 32] });
  const pooled = g.op('GlobalAveragePool', [patches]);
  g.op('Reshape', [pooled, g.int64Init('clip_shape', [1, 1, CLIP_D])], {}, 'image_embeds');
  return g.encode();
}

function arcface(): Uint8Array {
  const g = new GraphBuilder('arcface', [{ name: 'input.1', dtype: 'float32', shape: [1, 3, 112, 112] }], [
    { name: 'embedding', dtype: 'float32', shape: [1, ID_D] },
  ]);
  const w = g.floatInit('arc_w', [ID_D, 3, 16, 16], deterministicWeights(ID_D * 3 * 256, 5, 0.05));
  const f = g.op('Relu', [g.op('Conv', ['input.1', w], { kernel_shape: [16, 16], strides: [16, 16] })]);
  g.op('Flatten', [g.op('GlobalAveragePool', [f])], { axis: 1 }, 'embedding');
  return g.encode();
}

/** Video U-Net stand-in: per-frame 3x3 conv + conditioning bias (CLIP, ArcFace, c_noise, elevation, frame) + temporal mean mixing. */
function unet(stage: 1 | 2, batch: number | string): Uint8Array {
  const h = (stage === 1 ? RES1 : RES2) / 8;
  const g = new GraphBuilder(
    `unet_stage${stage}`,
    [
      { name: 'sample', dtype: 'float32', shape: [batch, 16, 2 * C, h, h] },
      { name: 'timestep', dtype: 'float32', shape: [batch] },
      { name: 'encoder_hidden_states', dtype: 'float32', shape: [batch, 1, CLIP_D] },
      { name: 'identity_embeds', dtype: 'float32', shape: [batch, ID_D] },
      { name: 'elevation', dtype: 'float32', shape: [batch] },
    ],
    [{ name: 'out_sample', dtype: 'float32', shape: [batch, 16, C, h, h] }],
  );
  const k = stage * 100;
  const frames = g.op('Reshape', ['sample', g.int64Init('s_frames', [-1, 2 * C, h, h])]);
  const conv = g.op('Conv', [frames, g.floatInit('conv_w', [C, 2 * C, 3, 3], deterministicWeights(C * 2 * C * 9, k + 1, 0.25))], {
    kernel_shape: [3, 3],
    pads: [1, 1, 1, 1],
  });
  const clip = g.op('MatMul', [g.op('Reshape', ['encoder_hidden_states', g.int64Init('s_clip', [-1, CLIP_D])]), g.floatInit('clip_w', [CLIP_D, C], deterministicWeights(CLIP_D * C, k + 2, 0.5))]);
  const id = g.op('MatMul', ['identity_embeds', g.floatInit('id_w', [ID_D, C], deterministicWeights(ID_D * C, k + 3, 0.5))]);
  const t = g.op('Mul', [g.op('Unsqueeze', ['timestep', g.int64Init('ax1', [1])]), g.floatInit('t_w', [1, C], deterministicWeights(C, k + 4, 0.3))]);
  const e = g.op('Mul', [g.op('Unsqueeze', ['elevation', g.int64Init('ax1b', [1])]), g.floatInit('e_w', [1, C], deterministicWeights(C, k + 5, 0.02))]);
  const cond = g.op('Add', [g.op('Add', [clip, id]), g.op('Add', [t, e])]); // [B, C]
  const perFrame = g.op('Add', [g.op('Unsqueeze', [cond, g.int64Init('ax1c', [1])]), g.floatInit('frame_b', [16, C], deterministicWeights(16 * C, k + 6, 0.3))]); // [B,16,C]
  const bias = g.op('Reshape', [perFrame, g.int64Init('s_bias', [-1, C, 1, 1])]);
  const act = g.op('Tanh', [g.op('Add', [conv, bias])]);
  const video = g.op('Reshape', [act, g.int64Init('s_video', [-1, 16, C, h, h])]);
  const temporal = g.op('Mul', [g.op('ReduceMean', [video], { axes: [1], keepdims: 1 }), g.floatInit('mix', [1], [0.5])]);
  g.op('Add', [video, temporal], {}, 'out_sample');
  return g.encode();
}

function reconstructor(): Uint8Array {
  const g = new GraphBuilder('lgm', [{ name: 'images', dtype: 'float32', shape: [1, 4, 9, RECON_IN, RECON_IN] }], [
    { name: 'gaussians', dtype: 'float32', shape: [1, 4 * SPLAT * SPLAT, 14] },
  ]);
  const s = RECON_IN / SPLAT;
  const views = g.op('Reshape', ['images', g.int64Init('s_views', [4, 9, RECON_IN, RECON_IN])]);
  const bias = [0, 0, 0, 1, -3, -3, -3, 1, 0, 0, 0, 0, 0, 0];
  const conv = g.op('Conv', [views, g.floatInit('rw', [14, 9, s, s], deterministicWeights(14 * 9 * s * s, 7, 0.2)), g.floatInit('rb', [14], bias)], {
    kernel_shape: [s, s],
    strides: [s, s],
  });
  const hwc = g.op('Transpose', [conv], { perm: [0, 2, 3, 1] });
  g.op('Reshape', [hwc, g.int64Init('s_out', [1, 4 * SPLAT * SPLAT, 14])], {}, 'gaussians');
  return g.encode();
}

export interface TinyPackOptions {
  stage2?: boolean;
  reconstructor?: boolean;
}

/** Write the tiny pack into `dir` (created) and return its manifest. */
export function writeTinyPack(dir: string, options: TinyPackOptions = {}): PackManifest {
  fs.mkdirSync(dir, { recursive: true });
  const write = (file: string, bytes: Uint8Array) => {
    fs.writeFileSync(path.join(dir, file), bytes);
    return { file, sha256: sha256Bytes(bytes), externalData: [] };
  };
  const sampler = (steps: number, sigmaMax: number) => ({
    steps,
    sigmaMin: 0.002,
    sigmaMax,
    rho: 7,
    prediction: 'v' as const,
    sigmaData: 1,
    guidanceMin: 1,
    guidanceMax: 2.5,
    initNoiseScale: 'sqrt1p' as const,
  });
  const withStage2 = options.stage2 ?? true;
  const withRecon = options.reconstructor ?? true;
  const h1 = RES1 / 8;
  const h2 = RES2 / 8;
  const unetIo = (h: number, batch: number | string) => ({
    inputs: {
      sample: { name: 'sample', dtype: 'float32' as const, shape: [batch, 16, 2 * C, h, h] },
      sigma: { name: 'timestep', dtype: 'float32' as const, shape: [batch] },
      imageEmbedding: { name: 'encoder_hidden_states', dtype: 'float32' as const, shape: [batch, 1, CLIP_D] },
      identityEmbedding: { name: 'identity_embeds', dtype: 'float32' as const, shape: [batch, ID_D] },
      elevation: { name: 'elevation', dtype: 'float32' as const, shape: [batch] },
    },
    outputs: { prediction: { name: 'out_sample', dtype: 'float32' as const, shape: [batch, 16, C, h, h] } },
  });
  const manifest: PackManifest = {
    format: PACK_FORMAT,
    formatVersion: PACK_FORMAT_VERSION,
    name: 'tiny-test',
    version: '1.0.0',
    license: 'Apache-2.0',
    description: 'Tiny structurally faithful test pack (untrained deterministic weights) written by scripts/make-tiny-pack.ts',
    source: 'scripts/make-tiny-pack.ts',
    views: { azimuthsDeg: [...VIEW_AZIMUTHS_DEG], reconViewIndices: [...RECON_VIEW_INDICES], fovyDeg: 10, orbitRadius: 1.5 },
    vae: { latentChannels: C, downsample: 8, scalingFactor: 0.18215, conditionLatentScaled: false, conditionNoiseAug: 0.02 },
    clip: { size: 224, normalisation: { mean: [0.48145466, 0.4578275, 0.40821073], std: [0.26862954, 0.26130258, 0.27577711], channelOrder: 'rgb' } },
    arcface: { size: 112, normalisation: { mean: [0.5, 0.5, 0.5], std: [0.5, 0.5, 0.5], channelOrder: 'bgr' } },
    elevation: { unit: 'deg' },
    unconditional: { zeroIdentity: false },
    stage1: { resolution: RES1, sampler: sampler(4, 700) },
    stage2: withStage2 ? { resolution: RES2, sampler: sampler(3, 2), xi1: 0.4, xi2: 0.6, mixMode: 'mix-then-scale' } : undefined,
    reconstructor: withRecon
      ? { inputSize: RECON_IN, splatSize: SPLAT, normalisation: { mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225], channelOrder: 'rgb' }, activations: 'raw', canonicalFirstView: false }
      : undefined,
    networks: {
      vaeEncoder: {
        ...write('vae_encoder.onnx', vaeEncoder()),
        inputs: { image: { name: 'image', dtype: 'float32', shape: ['N', 3, 'H', 'W'] } },
        outputs: { latent: { name: 'latent_mean', dtype: 'float32', shape: ['N', C, 'h', 'w'] } },
      },
      vaeDecoder: {
        ...write('vae_decoder.onnx', vaeDecoder()),
        inputs: { latent: { name: 'latent', dtype: 'float32', shape: [8, C, 'h', 'w'] } },
        outputs: { image: { name: 'sample', dtype: 'float32', shape: [8, 3, 'H', 'W'] } },
      },
      clipImage: {
        ...write('clip_image.onnx', clipImage()),
        inputs: { pixels: { name: 'pixel_values', dtype: 'float32', shape: [1, 3, 224, 224] } },
        outputs: { embedding: { name: 'image_embeds', dtype: 'float32', shape: [1, 1, CLIP_D] } },
      },
      arcface: {
        ...write('arcface.onnx', arcface()),
        inputs: { face: { name: 'input.1', dtype: 'float32', shape: [1, 3, 112, 112] } },
        outputs: { embedding: { name: 'embedding', dtype: 'float32', shape: [1, ID_D] } },
      },
      unetStage1: { ...write('unet_stage1.onnx', unet(1, 'batch')), ...unetIo(h1, 'batch') },
      unetStage2: withStage2 ? { ...write('unet_stage2.onnx', unet(2, 1)), ...unetIo(h2, 1) } : undefined,
      reconstructor: withRecon
        ? {
            ...write('reconstructor.onnx', reconstructor()),
            inputs: { views: { name: 'images', dtype: 'float32', shape: [1, 4, 9, RECON_IN, RECON_IN] } },
            outputs: { gaussians: { name: 'gaussians', dtype: 'float32', shape: [1, 4 * SPLAT * SPLAT, 14] } },
          }
        : undefined,
    },
  };
  fs.writeFileSync(path.join(dir, PACK_MANIFEST_FILE), JSON.stringify(manifest, null, 2) + '\n');
  return manifest;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const out = process.argv[2];
  if (!out) {
    console.error('usage: tsx scripts/make-tiny-pack.ts OUT_DIR');
    process.exit(2);
  }
  writeTinyPack(out);
  console.log(`tiny pack written to ${path.resolve(out)}`);
}
