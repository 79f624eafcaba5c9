/**
 * How the run history and the compare view name runs and restyled variants (run-variants.ts), and
 * the Stylize panel's style menu (style-choices.ts): what the artist reads in the studio.
 */
import { describe, expect, it } from 'vitest';
import type { PortraitStyleChoice, RunSummary } from '../../src/shared/contracts/studio-api';
import { runNumbers, styleSummary, variantNote } from '../../src/renderer/workspace/run-variants';
import { BUILTIN_STYLE_CHOICES, styleMenu } from '../../src/renderer/workspace/style-choices';

const run = (id: string, minute: number, variantOf?: RunSummary['variantOf']): RunSummary => ({
  id,
  projectId: 'p',
  createdAt: `2026-11-24T10:${String(minute).padStart(2, '0')}:00.000Z`,
  state: 'done',
  settings: { elevationDeg: 'auto', seed: 1, quality: 'draft', backend: 'default' },
  ...(variantOf ? { variantOf } : {}),
});

describe('run numbers and variants', () => {
  it('numbers runs oldest first, whatever order they are listed in', () => {
    const numbers = runNumbers([run('c', 30), run('a', 10), run('b', 20)]);
    expect([numbers.get('a'), numbers.get('b'), numbers.get('c')]).toEqual([1, 2, 3]);
  });

  it('a restyled run says which run it came from; an ordinary run says nothing', () => {
    const runs = [run('src', 10), run('other', 20), run('v', 30, { runId: 'src', kind: 'restyle' })];
    const numbers = runNumbers(runs);
    expect(variantNote(runs[2], numbers)).toBe('Restyled from run 1');
    expect(variantNote(runs[1], numbers)).toBeNull();
  });

  it('a variant whose source was deleted says so instead of naming a wrong run', () => {
    const orphan = run('v', 30, { runId: 'gone', kind: 'restyle' });
    expect(variantNote(orphan, runNumbers([orphan]))).toBe('Restyled from a deleted run');
  });

  it('summarises a run style in words', () => {
    expect(styleSummary(undefined)).toBe('none');
    expect(styleSummary({ name: 'cel', strength: 0.65 })).toBe('cel 65%');
    expect(styleSummary({ name: 'pack:tiny-styles/sepia', strength: 1 })).toBe('pack:tiny-styles/sepia 100%');
  });
});

describe('style menu', () => {
  const listed: PortraitStyleChoice[] = [
    ...BUILTIN_STYLE_CHOICES,
    { id: 'pack:tiny-styles/sepia', label: 'Sepia (tiny-styles)', kind: 'pack', isPackDefault: true },
    { id: 'pack:tiny-styles/cool-64', label: 'Cool (tiny-styles)', kind: 'pack' },
  ];

  it('offers the built-in styles at once, before the engine has listed the packs', () => {
    expect(styleMenu(null, undefined)).toEqual({ builtin: BUILTIN_STYLE_CHOICES, packs: [] });
  });

  it('groups the installed pack styles after the built-in ones', () => {
    const menu = styleMenu(listed, { name: 'cel', strength: 0.5 });
    expect(menu.builtin.map((c) => c.id)).toEqual(['cel', 'pencil', 'painterly']);
    expect(menu.packs.map((c) => c.id)).toEqual(['pack:tiny-styles/sepia', 'pack:tiny-styles/cool-64']);
  });

  it('keeps a committed pack style that is no longer installed, marked as such', () => {
    const menu = styleMenu(listed, { name: 'pack:gone/ink', strength: 1 });
    expect(menu.packs.at(-1)).toEqual({ id: 'pack:gone/ink', label: 'pack:gone/ink (not installed)', kind: 'pack' });
  });

  it("names 'pack:NAME' alone after the pack's default style", () => {
    const menu = styleMenu(listed, { name: 'pack:tiny-styles', strength: 1 });
    expect(menu.packs.at(-1)).toEqual({ id: 'pack:tiny-styles', label: 'Sepia (tiny-styles), default style', kind: 'pack' });
  });
});
