/**
 * Style pack manifest (pack.json with `"kind": "style"`): one or more ONNX image-to-image networks
 * that turn a portrait into artwork before generation (the paper's stylized heads). Same folder
 * layout, file rules, hashing and graph checks as the diffusion packs (validate.ts); only the schema
 * and the interface checks differ. See docs/model-packs.md "Style packs".
 *
 * Every style network takes ONE float32 image tensor and returns one of the same shape:
 *   input  `image` [1, 3, H, W]  RGB (channel order rgb), values in `range`
 *   output `image` [1, 3, H, W]  RGB in the same range (clamped by HeadForge)
 * H and W are either fixed numbers (HeadForge resizes the portrait to them and the result back) or
 * symbolic (HeadForge runs at the portrait's size, capped by `maxSide`, rounded to `multipleOf`).
 */
import { z } from 'zod';
import { dim, packPath, sha256 } from './manifest-atoms';
import { PACK_FORMAT, PACK_FORMAT_VERSION } from './manifest';

export const STYLE_PACK_KIND = 'style';

/** Pixel value ranges a style network may work in: '0..1' = rgb / 255, '-1..1' = 2 * rgb / 255 - 1. */
export const STYLE_RANGES = ['0..1', '-1..1'] as const;
export type StyleRange = (typeof STYLE_RANGES)[number];

/** Style networks exchange float32 only (an fp16 graph must keep float32 I/O, like the diffusion fp16 variants). */
const imageTensor = z.strictObject({
  name: z.string().min(1),
  dtype: z.literal('float32', { error: 'style networks take and return float32 tensors' }),
  shape: z.array(dim),
});
export type StyleTensorSpec = z.infer<typeof imageTensor>;

export const styleNetworkSchema = z.strictObject({
  /** Shown by `headforge models` and the studio. */
  label: z.string().min(1),
  description: z.string().default(''),
  file: packPath,
  sha256,
  externalData: z.array(z.strictObject({ file: packPath, sha256 })).default([]),
  range: z.enum(STYLE_RANGES),
  /** Symbolic H/W only: spatial size is rounded down to a multiple of this (e.g. 8 for a 3-level U-Net). */
  multipleOf: z.number().int().min(1).max(256).default(1),
  /** Symbolic H/W only: the longer side is scaled down to at most this many pixels before inference. */
  maxSide: z.number().int().min(16).max(8192).default(1024),
  inputs: z.strictObject({ image: imageTensor }),
  outputs: z.strictObject({ image: imageTensor }),
});
export type StyleNetworkSpec = z.infer<typeof styleNetworkSchema>;

const styleId = z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, 'style ids are lowercase letters, digits, _ and -');

export const stylePackManifestSchema = z
  .strictObject({
    format: z.literal(PACK_FORMAT),
    formatVersion: z.literal(PACK_FORMAT_VERSION),
    kind: z.literal(STYLE_PACK_KIND),
    name: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, 'lowercase letters, digits, . _ -'),
    version: z.string().min(1),
    license: z.string().min(1),
    description: z.string().default(''),
    source: z.string().default(''),
    /** Style id -> network. Ids are what `--style pack:<name>/<id>` names. */
    styles: z.record(styleId, styleNetworkSchema).refine((s) => Object.keys(s).length > 0, { message: 'a style pack needs at least one style' }),
    /** The style `--style pack:<name>` uses; default: the first one listed. */
    defaultStyle: styleId.optional(),
  })
  .superRefine((m, ctx) => {
    if (m.defaultStyle !== undefined && !(m.defaultStyle in m.styles)) {
      ctx.addIssue({ code: 'custom', path: ['defaultStyle'], message: `'${m.defaultStyle}' is not one of the pack's styles (${Object.keys(m.styles).join(', ')})` });
    }
  });

export type StylePackManifest = z.infer<typeof stylePackManifestSchema>;

/** The id `pack:<name>` resolves to when no style id is given. */
export function defaultStyleId(m: StylePackManifest): string {
  return m.defaultStyle ?? Object.keys(m.styles)[0];
}

/** True when pack.json declares itself a style pack (decided before schema validation, to pick the schema). */
export function isStylePackJson(raw: unknown): boolean {
  return !!raw && typeof raw === 'object' && (raw as { kind?: unknown }).kind === STYLE_PACK_KIND;
}
