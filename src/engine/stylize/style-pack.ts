/**
 * Running a style pack's network on a portrait (`headforge stylize --style pack:<name>[/<style>]`).
 * The pack is found by name like a diffusion pack (discover.ts), validated with hashes before any
 * session is created (loadValidatedStylePack), and run through the shared session cache on the
 * provider HEADFORGE_EP asks for (CUDA when it loads, else CPU with the reason).
 */
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import type { RgbaImage } from '../../shared/image';
import { StudioError } from '../../shared/rpc/errors';
import { sessionCache, type SessionCache } from '../onnx/session-cache';
import type { ProviderChoice, ProviderPreference } from '../onnx/providers';
import { findPackByName, type PackSearchOptions } from '../packs/discover';
import { defaultStyleId, type StyleNetworkSpec, type StylePackManifest } from '../packs/style-manifest';
import { loadValidatedStylePack } from '../packs/validate';
import { blendStyled, portraitToStyleTensor, styleTensorToHwc } from './style-tensor';

/** Prefix of a pack style in `--style` (the built-in styles have plain names). */
export const PACK_STYLE_PREFIX = 'pack:';

export interface StylePackRef {
  pack: string;
  /** Style id inside the pack; undefined = the pack's default style. */
  style?: string;
}

/** "pack:NAME" or "pack:NAME/STYLE" -> reference; null when `value` is not a pack style. */
export function parsePackStyle(value: string): StylePackRef | null {
  if (!value.startsWith(PACK_STYLE_PREFIX)) return null;
  const rest = value.slice(PACK_STYLE_PREFIX.length);
  const slash = rest.indexOf('/');
  const pack = slash < 0 ? rest : rest.slice(0, slash);
  const style = slash < 0 ? undefined : rest.slice(slash + 1);
  if (!pack || style === '') throw new StudioError('BAD_REQUEST', `a pack style is written pack:NAME or pack:NAME/STYLE, got '${value}'`);
  return { pack, style };
}

export interface ResolvedStyle {
  dir: string;
  manifest: StylePackManifest;
  styleId: string;
  net: StyleNetworkSpec;
  warnings: string[];
}

/** Find and validate the pack, pick the style. Not installed -> BACKEND_UNAVAILABLE; unknown style -> BAD_REQUEST. */
export async function resolvePackStyle(ref: StylePackRef, search: PackSearchOptions = {}): Promise<ResolvedStyle> {
  const found = findPackByName(ref.pack, search);
  if (!found) throw new StudioError('BACKEND_UNAVAILABLE', `style pack '${ref.pack}' is not installed (see 'headforge models list')`);
  const pack = await loadValidatedStylePack(found.dir);
  const styleId = ref.style ?? defaultStyleId(pack.manifest);
  const net = pack.manifest.styles[styleId];
  if (!net) {
    throw new StudioError('BAD_REQUEST', `style pack '${ref.pack}' has no style '${styleId}'; its styles are ${Object.keys(pack.manifest.styles).join(', ')}`);
  }
  return { dir: pack.dir, manifest: pack.manifest, styleId, net, warnings: pack.warnings };
}

/**
 * The size the network runs at for a portrait of w x h: the fixed H/W of the graph, or for symbolic
 * axes the portrait's size scaled so the longer side is at most maxSide, each side rounded down to
 * multipleOf (at least one multiple).
 */
export function inferenceSize(net: StyleNetworkSpec, w: number, h: number): { width: number; height: number } {
  const [, , H, W] = net.inputs.image.shape;
  const scale = Math.min(1, net.maxSide / Math.max(w, h));
  const fit = (d: number | string, side: number) =>
    typeof d === 'number' ? d : Math.max(net.multipleOf, Math.floor((side * scale) / net.multipleOf) * net.multipleOf);
  return { width: fit(W, w), height: fit(H, h) };
}

export interface RunStyleOptions {
  /** 0 = the portrait unchanged, 1 = the network's output (default 1). */
  strength?: number;
  provider?: ProviderPreference;
  cache?: SessionCache;
}

export interface StyleRunResult {
  image: RgbaImage;
  /** Size the network ran at. */
  width: number;
  height: number;
  provider: ProviderChoice;
  inferenceMs: number;
}

export async function runStyleNetwork(style: ResolvedStyle, img: RgbaImage, opts: RunStyleOptions = {}): Promise<StyleRunResult> {
  const strength = opts.strength ?? 1;
  if (!(strength >= 0 && strength <= 1)) throw new RangeError(`strength must be in 0..1, got ${strength}`);
  const { net } = style;
  const { width, height } = inferenceSize(net, img.width, img.height);
  const cached = await (opts.cache ?? sessionCache).get(path.join(style.dir, net.file), opts.provider ?? 'auto');
  const input = new ort.Tensor('float32', portraitToStyleTensor(img, width, height, net.range), [1, 3, height, width]);
  const t0 = performance.now();
  const outputs = await cached.session.run({ [net.inputs.image.name]: input });
  const inferenceMs = performance.now() - t0;
  const out = outputs[net.outputs.image.name];
  const dims = out?.dims ?? [];
  if (!out || out.type !== 'float32' || dims.length !== 4 || dims[0] !== 1 || dims[1] !== 3 || dims[2] !== height || dims[3] !== width) {
    throw new StudioError(
      'DAMAGED',
      `style '${style.styleId}' of pack ${style.manifest.name} returned ${out ? `${out.type} [${dims.join(', ')}]` : 'nothing'} for a [1, 3, ${height}, ${width}] input; a style network must return float32 [1, 3, ${height}, ${width}]`,
    );
  }
  const styled = styleTensorToHwc(out.data as Float32Array, width, height, net.range);
  return { image: blendStyled(img, styled, width, height, strength), width, height, provider: cached.choice, inferenceMs };
}
