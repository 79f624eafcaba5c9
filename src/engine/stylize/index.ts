/**
 * One entry point for every 2D portrait style the engine offers: the weight-free built-in styles
 * (src/shared/stylize) and the styles of installed style packs (`pack:NAME/STYLE`). For the studio's
 * style picker and live preview, and anything else that takes a style by name.
 */
import type { PortraitStyleChoice } from '../../shared/contracts/studio-api';
import type { RgbaImage } from '../../shared/image';
import { isStyleName, STYLE_NAMES, stylizeImage } from '../../shared/stylize';
import { StudioError } from '../../shared/rpc/errors';
import type { ProviderPreference } from '../onnx/providers';
import { discoverPacks, type PackSearchOptions } from '../packs/discover';
import { defaultStyleId } from '../packs/style-manifest';
import { validatePack } from '../packs/validate';
import { parsePackStyle, resolvePackStyle, runStyleNetwork } from './style-pack';

export { parsePackStyle, resolvePackStyle, runStyleNetwork, inferenceSize, PACK_STYLE_PREFIX } from './style-pack';

/** What `--style` / a style request takes ('cel', or 'pack:NAME/STYLE'), labelled for a picker. */
export type StyleChoice = PortraitStyleChoice;

const BUILTIN_LABELS: Record<(typeof STYLE_NAMES)[number], string> = {
  cel: 'Cel / toon',
  pencil: 'Pencil sketch',
  painterly: 'Painterly',
};

/**
 * Built-in styles, then every style of every VALID style pack found (quick check, no hashing; the
 * hashes are checked when a style runs). Invalid packs are left out here; `headforge models list` says why.
 */
export async function listStyleChoices(search: PackSearchOptions = {}): Promise<StyleChoice[]> {
  const choices: StyleChoice[] = STYLE_NAMES.map((id) => ({ id, label: BUILTIN_LABELS[id], kind: 'builtin' as const }));
  const seen = new Set<string>();
  for (const candidate of discoverPacks(search)) {
    const v = await validatePack(candidate.dir, { verifyHashes: false });
    const m = v.styleManifest;
    if (!v.ok || !m || seen.has(m.name)) continue; // the first pack with a name wins, as for diffusion packs
    seen.add(m.name);
    const def = defaultStyleId(m);
    for (const [id, s] of Object.entries(m.styles)) choices.push({ id: `pack:${m.name}/${id}` as const, label: `${s.label} (${m.name})`, kind: 'pack', isPackDefault: id === def });
  }
  return choices;
}

export interface StylizePortraitOptions {
  /** 0 = unchanged, 1 = strongest / the network's output. */
  strength: number;
  search?: PackSearchOptions;
  provider?: ProviderPreference;
}

/** Apply a style given by id (built-in name or pack:NAME[/STYLE]); unknown ids are BAD_REQUEST. */
export async function stylizePortrait(img: RgbaImage, style: string, opts: StylizePortraitOptions): Promise<RgbaImage> {
  const ref = parsePackStyle(style);
  if (ref) return (await runStyleNetwork(await resolvePackStyle(ref, opts.search), img, { strength: opts.strength, provider: opts.provider })).image;
  if (!isStyleName(style)) throw new StudioError('BAD_REQUEST', `unknown style '${style}': one of ${STYLE_NAMES.join(', ')}, or pack:NAME[/STYLE]`);
  return stylizeImage(img, { style, strength: opts.strength });
}
