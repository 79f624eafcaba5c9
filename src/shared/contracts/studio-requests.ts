/**
 * What the UI sends the engine: zod schemas for the arguments of StudioApi calls, and the TypeScript
 * types inferred from them (so each enum and range is written once). Every server side parses with
 * these (src/engine/host/dispatch.ts) before the engine sees anything; the CLI parses its flags with
 * the same schemas.
 */
import { z } from 'zod';
import { INPUT_FOVY_RANGE_DEG } from '../camera';

export type ProjectId = string;
export type RunId = string;
export type JobId = string;

/** Project ids are library folder names: lowercase, digits, dashes; never a path. */
export const projectIdSchema = z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'invalid project id');
export const runIdSchema = z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'invalid run id');
export const jobIdSchema = z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'invalid job id');

export const qualitySchema = z.enum(['draft', 'standard', 'high']);
export type Quality = z.infer<typeof qualitySchema>;
export const backendSchema = z.union([
  z.literal('default'),
  z.string().regex(/^pack:[A-Za-z0-9._-]{1,64}$/, 'backend must be "default" or "pack:<name>"'),
]) as z.ZodType<'default' | `pack:${string}`>;
export type BackendId = z.infer<typeof backendSchema>;

/**
 * A style pack's style: 'pack:NAME' or 'pack:NAME/STYLE', in the characters pack names and style ids
 * may hold (src/engine/packs/style-manifest.ts); whether it is installed is the engine's question.
 */
export const packStyleIdSchema = z
  .string()
  .regex(
    /^pack:[a-z0-9][a-z0-9._-]{0,63}(\/[a-z0-9][a-z0-9_-]{0,63})?$/,
    'style must be cel, pencil, painterly, or pack:NAME[/STYLE]',
  ) as z.ZodType<`pack:${string}`>;
/** A style of an installed style pack (ONNX image-to-image): 'pack:NAME' (its default style) or 'pack:NAME/STYLE'. */
export type PackStyleId = z.infer<typeof packStyleIdSchema>;

/** Built-in weight-free 2D portrait styles (src/shared/stylize). */
export const portraitStyleNameSchema = z.enum(['cel', 'pencil', 'painterly']);
export type PortraitStyleName = z.infer<typeof portraitStyleNameSchema>;

/** A 2D portrait style (built-in, or a style pack's) and its strength (RunSettings.style, previewPortraitStyle). */
export const portraitStyleSchema = z.strictObject({
  name: z.union([portraitStyleNameSchema, packStyleIdSchema]),
  /** 0 = unchanged, 1 = strongest (for a pack style: the network's output). */
  strength: z.number().min(0).max(1),
});
export type PortraitStyle = z.infer<typeof portraitStyleSchema>;

export const runSettingsSchema = z.strictObject({
  elevationDeg: z.union([z.literal('auto'), z.number().min(-10).max(40)]),
  seed: z
    .int()
    .min(0)
    .max(2 ** 31 - 1),
  quality: qualitySchema,
  backend: backendSchema,
  steps: z.int().min(1).max(100_000).optional(),
  /** Overrides of the quality preset. */
  maxGaussians: z.int().min(1).max(5_000_000).optional(),
  /** View indices (0..15) excluded from optimisation. */
  ignoredViews: z.array(z.int().min(0).max(15)).max(15).optional(),
  /** 2D style applied to the preprocessed portrait before the multi-view stage. */
  style: portraitStyleSchema.optional(),
  /**
   * The lens that took the photo: its vertical field of view over the whole image, in degrees. Absent:
   * the photo's EXIF focal length when it has one, else the head fit's estimate.
   */
  inputFovyDeg: z.number().min(INPUT_FOVY_RANGE_DEG.min).max(INPUT_FOVY_RANGE_DEG.max).optional(),
});
export type RunSettings = z.infer<typeof runSettingsSchema>;

/** 200 MB is far beyond any portrait; larger payloads are refused before touching sharp. */
export const MAX_IMAGE_BYTES = 200 * 1024 * 1024;

export const nameSchema = z.string().trim().min(1, 'name must not be empty').max(200);

export const settingsSchema = z.strictObject({
  defaultQuality: qualitySchema,
  defaultBackend: backendSchema,
  previewBackground: z.string().regex(/^#[0-9a-fA-F]{6}$/, 'previewBackground must be #rrggbb'),
  theme: z.enum(['dark', 'light']),
});
export type Settings = z.infer<typeof settingsSchema>;

/**
 * Every format the engine writes (src/shared/splat ExportFileFormat; docs/formats.md), and 'mesh-glb':
 * not splats but the fitted head model as a textured mesh with ARKit morph targets and a hair shell
 * (docs/mesh-export.md; preset, SH, budget and clean-up do not apply).
 */
export const exportFormatSchema = z.enum([
  'ply',
  'ply-compact',
  'splat',
  'spz',
  'glb',
  'compressed-ply',
  'sog',
  'html',
  'mesh-glb',
]);
export type ExportFormat = z.infer<typeof exportFormatSchema>;
export const enginePresetSchema = z.enum(['none', 'unity', 'unreal', 'blender', 'godot', 'web']);
export type EnginePreset = z.infer<typeof enginePresetSchema>;

export const exportRequestSchema = z.strictObject({
  projectId: projectIdSchema,
  runId: runIdSchema,
  format: exportFormatSchema,
  preset: enginePresetSchema,
  shDegree: z.union([z.literal(0), z.literal(1), z.literal(2), z.literal(3)]).optional(),
  maxSplats: z.int().min(1).max(50_000_000).optional(),
  /** SPZ only: container version (default 2, the widest support; 4 is zstd). */
  spzVersion: z.union([z.literal(2), z.literal(3), z.literal(4)]).optional(),
  /** Encode and count, write nothing: the export dialog's exact size estimate (not for mesh-glb). */
  estimateOnly: z.boolean().optional(),
  /** Clean-up before the budget, in the head's own axes and metres (src/shared/splat/presets.ts ExportCleanup). */
  cleanup: z
    .strictObject({
      minOpacity: z.number().min(0).max(1).optional(),
      cropBox: z
        .strictObject({
          min: z.tuple([z.number(), z.number(), z.number()]),
          max: z.tuple([z.number(), z.number(), z.number()]),
        })
        .optional(),
      cropSphere: z
        .strictObject({
          center: z.tuple([z.number(), z.number(), z.number()]),
          radius: z.number().positive(),
        })
        .optional(),
    })
    .optional(),
});
export type ExportRequest = z.infer<typeof exportRequestSchema>;

const unitSchema = z.number().min(0).max(1);
const rgbSchema = z.tuple([unitSchema, unitSchema, unitSchema]);
const hexColourSchema = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'colour must be #rrggbb');

/**
 * One 3D recolouring step on a head's Gaussians (src/shared/stylize/cloud-restyle.ts, whose ranges these
 * are); colours are sRGB in [0, 1]; steps apply in order.
 */
export const headRestyleOpSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('hueSaturation'),
    hueDeg: z.number().min(-360).max(360).optional(),
    saturation: z.number().min(0).max(4).optional(),
  }),
  z.strictObject({ kind: z.literal('tint'), color: rgbSchema, strength: unitSchema.optional() }),
  z.strictObject({
    kind: z.literal('posterize'),
    levels: z.int().min(2).max(64),
    strength: unitSchema.optional(),
  }),
  z.strictObject({
    kind: z.literal('palette'),
    palette: z.array(rgbSchema).min(1).max(64),
    strength: unitSchema.optional(),
  }),
]);
export type HeadRestyleOp = z.infer<typeof headRestyleOpSchema>;

export const animationPathKindSchema = z.enum(['turntable', 'orbit', 'nod', 'keyframes']);
export type AnimationPathKind = z.infer<typeof animationPathKindSchema>;
export const animationExpressionSchema = z.enum(['none', 'blink', 'smile', 'jawOpen', 'browRaise']);
export type AnimationExpression = z.infer<typeof animationExpressionSchema>;
export const animationFormatSchema = z.enum(['mp4', 'webm', 'gif', 'png']);
export type AnimationFormat = z.infer<typeof animationFormatSchema>;

export const animationRequestSchema = z
  .strictObject({
    projectId: projectIdSchema,
    runId: runIdSchema,
    /**
     * turntable: one turn at elevationDeg; orbit: one turn while the elevation sweeps -10..30 degrees;
     * nod: the camera bobs +-12 degrees around the front; keyframes: through `keyframes` (times in s).
     */
    path: z.strictObject({
      kind: animationPathKindSchema,
      elevationDeg: z.number().min(-89).max(89).optional(),
      keyframes: z
        .array(
          z.strictObject({
            timeS: z.number().min(0).max(600),
            azimuthDeg: z.number().min(-3600).max(3600),
            elevationDeg: z.number().min(-89).max(89),
          }),
        )
        .min(1)
        .max(256)
        .refine(
          (keys) => keys.every((k, i) => i === 0 || k.timeS > keys[i - 1].timeS),
          'keyframe times must increase',
        )
        .optional(),
    }),
    /**
     * An ARKit take (Live Link Face CSV text: Timecode, the 52 blend shapes, optional HeadYaw / HeadPitch /
     * HeadRoll) driving the face and head over the clip, instead of `expression`; the run needs its
     * fitted head (head-fit.json). A take with missing or unknown columns: BAD_REQUEST naming them.
     */
    arkitCsv: z
      .string()
      .min(1)
      .max(32 * 1024 * 1024)
      .optional(),
    /** Expression pulsed 0 -> 1 -> 0 over the clip ('none' = camera only). */
    expression: animationExpressionSchema,
    /** mp4 (H.264), webm (VP9), gif, or png (a PNG sequence, delivered as one .zip). */
    format: animationFormatSchema,
    /** Square frame size in pixels (even). */
    size: z
      .int()
      .min(16)
      .max(2048)
      .refine((v) => v % 2 === 0, 'size must be even (video chroma subsampling)'),
    fps: z.int().min(1).max(60),
    durationS: z.number().min(0.1).max(120),
    /** '#rrggbb', or 'transparent' (png and gif only). */
    background: z.union([z.literal('transparent'), hexColourSchema]),
  })
  .refine((r) => r.path.kind !== 'keyframes' || (r.path.keyframes?.length ?? 0) > 0, {
    message: 'a keyframes path needs keyframes',
    path: ['path', 'keyframes'],
  })
  .refine((r) => r.background !== 'transparent' || r.format === 'png' || r.format === 'gif', {
    message: 'mp4 and webm cannot be transparent: pick a background colour, or png / gif',
    path: ['background'],
  });
export type AnimationRequest = z.infer<typeof animationRequestSchema>;

/** Human-readable summary of a zod error: "args[0].settings.seed: expected int". */
export function describeZodError(err: z.ZodError): string {
  return err.issues
    .map((issue) => {
      const path = issue.path.length
        ? `args${issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('')}`
        : 'args';
      return `${path}: ${issue.message}`;
    })
    .join('; ');
}
