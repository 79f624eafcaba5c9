/**
 * Zod schemas for every StudioApi argument list (as a tuple, so arity is checked too). Used by every
 * server side: the Electron main IPC handlers and the WebSocket server both go through
 * src/engine/host/dispatch.ts, which parses with these before the engine sees anything.
 */
import { z } from 'zod';
import type { StudioMethod } from '../contracts/studio-api';

/** Project ids are library folder names: lowercase, digits, dashes; never a path. */
export const projectIdSchema = z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'invalid project id');
export const runIdSchema = z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'invalid run id');
export const jobIdSchema = z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'invalid job id');

export const qualitySchema = z.enum(['draft', 'standard', 'high']);
export const backendSchema = z.union([
  z.literal('default'),
  z.string().regex(/^pack:[A-Za-z0-9._-]{1,64}$/, 'backend must be "default" or "pack:<name>"'),
]) as z.ZodType<'default' | `pack:${string}`>;

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

/** A 2D portrait style (built-in, or a style pack's) and its strength (RunSettings.style, previewPortraitStyle). */
export const portraitStyleSchema = z.strictObject({
  name: z.union([z.enum(['cel', 'pencil', 'painterly']), packStyleIdSchema]),
  strength: z.number().min(0).max(1),
});

export const runSettingsSchema = z.strictObject({
  elevationDeg: z.union([z.literal('auto'), z.number().min(-10).max(40)]),
  seed: z
    .int()
    .min(0)
    .max(2 ** 31 - 1),
  quality: qualitySchema,
  backend: backendSchema,
  steps: z.int().min(1).max(100_000).optional(),
  maxGaussians: z.int().min(1).max(5_000_000).optional(),
  ignoredViews: z.array(z.int().min(0).max(15)).max(15).optional(),
  style: portraitStyleSchema.optional(),
});

/** 200 MB is far beyond any portrait; larger payloads are refused before touching sharp. */
export const MAX_IMAGE_BYTES = 200 * 1024 * 1024;

const nameSchema = z.string().trim().min(1, 'name must not be empty').max(200);

export const settingsSchema = z.strictObject({
  defaultQuality: qualitySchema,
  defaultBackend: backendSchema,
  previewBackground: z.string().regex(/^#[0-9a-fA-F]{6}$/, 'previewBackground must be #rrggbb'),
  theme: z.enum(['dark', 'light']),
});

export const exportRequestSchema = z.strictObject({
  projectId: projectIdSchema,
  runId: runIdSchema,
  format: z.enum(['ply', 'ply-compact', 'splat', 'spz', 'glb', 'compressed-ply', 'sog', 'html', 'mesh-glb']),
  preset: z.enum(['none', 'unity', 'unreal', 'blender', 'godot', 'web']),
  shDegree: z.union([z.literal(0), z.literal(1), z.literal(2), z.literal(3)]).optional(),
  maxSplats: z.int().min(1).max(50_000_000).optional(),
  spzVersion: z.union([z.literal(2), z.literal(3), z.literal(4)]).optional(),
  estimateOnly: z.boolean().optional(),
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

const unitSchema = z.number().min(0).max(1);
const rgbSchema = z.tuple([unitSchema, unitSchema, unitSchema]);
const hexColourSchema = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'colour must be #rrggbb');

/** One 3D restyle step (HeadRestyleOp); the ranges are those src/shared/stylize/cloud-restyle.ts accepts. */
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

export const animationRequestSchema = z
  .strictObject({
    projectId: projectIdSchema,
    runId: runIdSchema,
    path: z.strictObject({
      kind: z.enum(['turntable', 'orbit', 'nod', 'keyframes']),
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
    expression: z.enum(['none', 'blink', 'smile', 'jawOpen', 'browRaise']),
    format: z.enum(['mp4', 'webm', 'gif', 'png']),
    size: z
      .int()
      .min(16)
      .max(2048)
      .refine((v) => v % 2 === 0, 'size must be even (video chroma subsampling)'),
    fps: z.int().min(1).max(60),
    durationS: z.number().min(0.1).max(120),
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

/** One tuple schema per method: validated argument lists. */
export const studioArgSchemas = {
  getEngineInfo: z.tuple([]),
  listProjects: z.tuple([]),
  getProject: z.tuple([projectIdSchema]),
  createProject: z.tuple([
    z.strictObject({
      name: nameSchema,
      fileName: z.string().min(1).max(255),
      bytes: z
        .instanceof(Uint8Array, { message: 'bytes must be a Uint8Array' })
        .refine((b) => b.byteLength > 0, 'image is empty')
        .refine((b) => b.byteLength <= MAX_IMAGE_BYTES, 'image is larger than 200 MB'),
    }),
  ]),
  renameProject: z.tuple([z.strictObject({ id: projectIdSchema, name: nameSchema })]),
  deleteProject: z.tuple([z.strictObject({ id: projectIdSchema })]),
  duplicateProject: z.tuple([z.strictObject({ id: projectIdSchema })]),
  startRun: z.tuple([z.strictObject({ projectId: projectIdSchema, settings: runSettingsSchema })]),
  cancelJob: z.tuple([z.strictObject({ jobId: jobIdSchema })]),
  listJobs: z.tuple([]),
  exportRun: z.tuple([exportRequestSchema]),
  startSeedPreviews: z.tuple([
    z.strictObject({
      projectId: projectIdSchema,
      seeds: z.array(runSettingsSchema.shape.seed).min(1).max(8),
      elevationDeg: runSettingsSchema.shape.elevationDeg,
      backend: backendSchema,
      style: portraitStyleSchema.optional(),
    }),
  ]),
  getSettings: z.tuple([]),
  updateSettings: z.tuple([settingsSchema.partial()]),
  listPortraitStyles: z.tuple([]),
  previewPortraitStyle: z.tuple([z.strictObject({ projectId: projectIdSchema, style: portraitStyleSchema })]),
  saveRestyledRun: z.tuple([
    z.strictObject({
      projectId: projectIdSchema,
      runId: runIdSchema,
      ops: z.array(headRestyleOpSchema).min(1).max(16),
    }),
  ]),
  startAnimationExport: z.tuple([animationRequestSchema]),
  exportFrontalView: z.tuple([
    z.strictObject({ projectId: projectIdSchema, runId: runIdSchema, size: z.int().min(64).max(2048) }),
  ]),
  getFaceAnchors: z.tuple([z.strictObject({ projectId: projectIdSchema, runId: runIdSchema })]),
} satisfies Record<StudioMethod, z.ZodType<unknown[]>>;

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
