/**
 * The Stylize panel's style menu, as a pure function (tested in tests/renderer): the engine's list
 * (listPortraitStyles: built-in styles, then each installed style pack's styles) split into the two
 * groups the menu shows. Until the list arrives (or when it fails) the built-in styles are offered on
 * their own, so the panel works at once; a committed pack style that is no longer installed stays
 * pickable, marked as such, so the settings never hold a value the menu cannot show.
 */
import type { PortraitStyle, PortraitStyleChoice } from '../../shared/contracts/studio-api';

export const BUILTIN_STYLE_CHOICES: readonly PortraitStyleChoice[] = [
  { id: 'cel', label: 'Cel / toon', kind: 'builtin' },
  { id: 'pencil', label: 'Pencil sketch', kind: 'builtin' },
  { id: 'painterly', label: 'Painterly', kind: 'builtin' },
];

export interface StyleMenu {
  builtin: PortraitStyleChoice[];
  packs: PortraitStyleChoice[];
}

export function styleMenu(listed: readonly PortraitStyleChoice[] | null, committed: PortraitStyle | undefined): StyleMenu {
  const all = listed ?? BUILTIN_STYLE_CHOICES;
  const builtin = all.filter((c) => c.kind === 'builtin');
  const packs = all.filter((c) => c.kind === 'pack');
  const name = committed?.name;
  if (name && name.startsWith('pack:') && !all.some((c) => c.id === name)) {
    // 'pack:NAME' alone (from the CLI or an older run) picks the pack's default style.
    const asDefault = all.find((c) => c.isPackDefault === true && c.id.startsWith(`${name}/`));
    packs.push({ id: name, label: asDefault ? `${asDefault.label}, default style` : `${name} (not installed)`, kind: 'pack' });
  }
  return { builtin: builtin.length ? builtin : [...BUILTIN_STYLE_CHOICES], packs };
}
