/**
 * Model pack manifest (pack.json): the schema every pack is validated against before any network
 * is loaded. A pack is a folder: pack.json + the ONNX files it names (+ external-data files).
 * See docs/model-packs.md for a field-by-field description and an example.
 */
import { z } from 'zod';
import { dim, packPath, sha256 } from './manifest-atoms';
import { PACK_MANIFEST_FILE } from './manifest-file';

export { PACK_MANIFEST_FILE };
export const PACK_FORMAT = 'headforge-model-pack';
export const PACK_FORMAT_VERSION = 1;


const dtype = z.enum(['float32', 'float16', 'int64', 'int32']);

export const tensorSpecSchema = z.strictObject({ name: z.string().min(1), dtype, shape: z.array(dim) });
export type TensorSpec = z.infer<typeof tensorSpecSchema>;

const fileRef = z.strictObject({ file: packPath, sha256 });

/** One network: its ONNX file, hash, external-data files and the tensors HeadForge feeds and reads. */
function networkSchema<I extends string, O extends string>(inputs: readonly [I, ...I[]], outputs: readonly [O, ...O[]], optionalInputs: readonly string[] = []) {
  const inputShape = Object.fromEntries(
    inputs.map((role) => [role, optionalInputs.includes(role) ? tensorSpecSchema.optional() : tensorSpecSchema]),
  ) as Record<I, typeof tensorSpecSchema>;
  const outputShape = Object.fromEntries(outputs.map((role) => [role, tensorSpecSchema])) as Record<O, typeof tensorSpecSchema>;
  return z.strictObject({
    file: packPath,
    sha256,
    externalData: z.array(fileRef).default([]),
    /** Optional half-precision variant used on CUDA; same tensor names, float32 inputs/outputs (keep_io_types). */
    fp16: z.strictObject({ file: packPath, sha256, externalData: z.array(fileRef).default([]) }).optional(),
    inputs: z.strictObject(inputShape),
    outputs: z.strictObject(outputShape),
  });
}

/** Logical tensor roles per network (what the adapters feed/read; names in the graph come from the manifest). */
export const NETWORK_ROLES = {
  vaeEncoder: { inputs: ['image'], outputs: ['latent'] },
  vaeDecoder: { inputs: ['latent'], outputs: ['image'] },
  clipImage: { inputs: ['pixels'], outputs: ['embedding'] },
  arcface: { inputs: ['face'], outputs: ['embedding'] },
  unetStage1: { inputs: ['sample', 'sigma', 'imageEmbedding', 'identityEmbedding', 'elevation'], outputs: ['prediction'] },
  unetStage2: { inputs: ['sample', 'sigma', 'imageEmbedding', 'identityEmbedding', 'elevation'], outputs: ['prediction'] },
  reconstructor: { inputs: ['views'], outputs: ['gaussians'] },
} as const;

const unet = networkSchema(NETWORK_ROLES.unetStage1.inputs, NETWORK_ROLES.unetStage1.outputs);

const normalisation = z.strictObject({
  /** Per-channel mean and std applied to RGB in [0, 1]: x = (rgb - mean) / std. */
  mean: z.tuple([z.number(), z.number(), z.number()]),
  std: z.tuple([z.number().positive(), z.number().positive(), z.number().positive()]),
  channelOrder: z.enum(['rgb', 'bgr']).default('rgb'),
});

const samplerSchema = z.strictObject({
  steps: z.number().int().min(1).max(1000),
  sigmaMin: z.number().positive(),
  sigmaMax: z.number().positive(),
  /** Karras schedule exponent (SVD: 7). */
  rho: z.number().positive().default(7),
  /** What the U-Net predicts: 'v' = SVD v-prediction (sgm VScalingWithEDMcNoise), 'edm' = Karras F_theta (x0 preconditioning). */
  prediction: z.enum(['v', 'edm']),
  sigmaData: z.number().positive().default(1),
  /** Classifier-free guidance, ramped linearly over the frames (SVD LinearPredictionGuider). */
  guidanceMin: z.number().min(0),
  guidanceMax: z.number().min(0),
  /** Initial latent = noise * sqrt(1 + sigma0^2) (sgm) or noise * sigma0 (diffusers 'leading'). */
  initNoiseScale: z.enum(['sqrt1p', 'sigma']).default('sqrt1p'),
});
export type SamplerSettings = z.infer<typeof samplerSchema>;

export const packManifestSchema = z
  .strictObject({
    format: z.literal(PACK_FORMAT),
    formatVersion: z.literal(PACK_FORMAT_VERSION),
    /** Pack kind: absent or 'diffusion' here; 'style' packs have their own schema (style-manifest.ts). */
    kind: z.literal('diffusion').optional(),
    name: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, 'lowercase letters, digits, . _ -'),
    version: z.string().min(1),
    license: z.string().min(1),
    description: z.string().default(''),
    /** Where the weights came from (checkpoint names, commit, export script version). */
    source: z.string().default(''),
    views: z.strictObject({
      azimuthsDeg: z.array(z.number()).length(16),
      reconViewIndices: z.array(z.number().int().min(0).max(15)).length(4),
      fovyDeg: z.number().positive().max(120),
      orbitRadius: z.number().positive(),
    }),
    vae: z.strictObject({
      latentChannels: z.number().int().positive(),
      downsample: z.number().int().positive(),
      /** Latents the sampler works in = scalingFactor * encoder output; decoder input = latent / scalingFactor. */
      scalingFactor: z.number().positive(),
      /** SVD feeds the conditioning image latent unscaled; set true if the U-Net expects it scaled. */
      conditionLatentScaled: z.boolean().default(false),
      /** Std of Gaussian noise added to the conditioning image before encoding (SVD cond_aug). */
      conditionNoiseAug: z.number().min(0).default(0),
    }),
    clip: z.strictObject({ size: z.number().int().positive(), normalisation }),
    arcface: z.strictObject({ size: z.number().int().positive(), normalisation }),
    elevation: z.strictObject({ unit: z.enum(['deg', 'rad']).default('deg') }).default({ unit: 'deg' }),
    /**
     * What the unconditional (CFG) branch zeroes. The released sgm code zeroes the conditioning frames
     * and the CLIP embedding (force_uc_zero_embeddings) and keeps the identity embedding.
     */
    unconditional: z.strictObject({ zeroIdentity: z.boolean().default(false) }).default({ zeroIdentity: false }),
    stage1: z.strictObject({ resolution: z.number().int().positive(), sampler: samplerSchema }),
    stage2: z
      .strictObject({
        resolution: z.number().int().positive(),
        sampler: samplerSchema,
        /** x_init = xi1 * noise + xi2 * VAE(upsampled stage-1 views) (paper 0.4/0.6, released code 0.5/0.5). */
        xi1: z.number().min(0),
        xi2: z.number().min(0),
        /**
         * 'scaled-noise': x = xi1 * s0 * eps + xi2 * j (noise at the start sigma, latent added as is);
         * 'mix-then-scale': x = s0 * (xi1 * eps + xi2 * j).  s0 = the sampler's initial noise scale.
         */
        mixMode: z.enum(['scaled-noise', 'mix-then-scale']).default('mix-then-scale'),
      })
      .optional(),
    reconstructor: z
      .strictObject({
        inputSize: z.number().int().positive(),
        splatSize: z.number().int().positive(),
        normalisation,
        /** 'raw': the graph outputs pre-activation values; 'applied': LGM's activations are in the graph. */
        activations: z.enum(['raw', 'applied']),
        /** Rotate cameras so the first view sits at elevation 0 (LGM canonical frame), rotate Gaussians back. */
        canonicalFirstView: z.boolean().default(false),
      })
      .optional(),
    networks: z.strictObject({
      vaeEncoder: networkSchema(NETWORK_ROLES.vaeEncoder.inputs, NETWORK_ROLES.vaeEncoder.outputs),
      vaeDecoder: networkSchema(NETWORK_ROLES.vaeDecoder.inputs, NETWORK_ROLES.vaeDecoder.outputs),
      clipImage: networkSchema(NETWORK_ROLES.clipImage.inputs, NETWORK_ROLES.clipImage.outputs),
      arcface: networkSchema(NETWORK_ROLES.arcface.inputs, NETWORK_ROLES.arcface.outputs),
      unetStage1: unet,
      unetStage2: unet.optional(),
      reconstructor: networkSchema(NETWORK_ROLES.reconstructor.inputs, NETWORK_ROLES.reconstructor.outputs).optional(),
    }),
  })
  .superRefine((m, ctx) => {
    if (!!m.stage2 !== !!m.networks.unetStage2) {
      ctx.addIssue({ code: 'custom', path: ['stage2'], message: 'stage2 settings and networks.unetStage2 must be given together' });
    }
    if (!!m.reconstructor !== !!m.networks.reconstructor) {
      ctx.addIssue({ code: 'custom', path: ['reconstructor'], message: 'reconstructor settings and networks.reconstructor must be given together' });
    }
    for (const [key, s] of [['stage1', m.stage1], ['stage2', m.stage2]] as const) {
      if (!s) continue;
      if (s.resolution % m.vae.downsample !== 0) {
        ctx.addIssue({ code: 'custom', path: [key, 'resolution'], message: `must be a multiple of vae.downsample (${m.vae.downsample})` });
      }
      if (s.sampler.sigmaMin >= s.sampler.sigmaMax) {
        ctx.addIssue({ code: 'custom', path: [key, 'sampler'], message: 'sigmaMin must be below sigmaMax' });
      }
    }
  });

export type PackManifest = z.infer<typeof packManifestSchema>;
export type NetworkKey = keyof typeof NETWORK_ROLES;
export type NetworkSpec = z.infer<ReturnType<typeof networkSchema>>;

/** Every network the manifest names, with its spec (optional networks omitted when absent). */
export function listNetworks(m: PackManifest): [NetworkKey, NetworkSpec][] {
  return (Object.keys(NETWORK_ROLES) as NetworkKey[])
    .filter((k) => m.networks[k] !== undefined)
    .map((k) => [k, m.networks[k] as unknown as NetworkSpec]);
}

/** Human-readable list of schema problems, one per line with the JSON path. */
export function formatManifestIssues(error: z.ZodError): string[] {
  return error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`);
}
