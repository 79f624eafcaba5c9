/** The workspace's shortcut table: what the cheat sheet lists is what the keys do, in the right places. */
import { describe, expect, it } from 'vitest';
import { SHORTCUT_SHEET, WORKSPACE_SHORTCUTS, shortcutFor, type KeyContext } from '../../src/renderer/workspace/shortcuts';

const key = (k: string, mods: Partial<{ ctrlKey: boolean; metaKey: boolean; shiftKey: boolean; altKey: boolean }> = {}) => ({
  key: k,
  ctrlKey: false,
  metaKey: false,
  shiftKey: false,
  altKey: false,
  ...mods,
});
const onPage: KeyContext = { inFormField: false, inTextEntry: false, dialogOpen: false };
const inSeedBox: KeyContext = { inFormField: true, inTextEntry: true, dialogOpen: false };
const onSlider: KeyContext = { inFormField: true, inTextEntry: false, dialogOpen: false };

describe('workspace shortcuts', () => {
  it('the sheet lists every action once, with its key', () => {
    const actions = WORKSPACE_SHORTCUTS.map((s) => s.action);
    expect(new Set(actions).size).toBe(actions.length);
    expect(SHORTCUT_SHEET).toHaveLength(actions.length);
    expect(SHORTCUT_SHEET).toContainEqual(['T', 'Turntable on/off']);
  });

  it('each key listed on the sheet triggers its action on the page', () => {
    const press: Record<string, ReturnType<typeof key>> = {
      'Ctrl/⌘ + Enter': key('Enter', { ctrlKey: true }),
      'Ctrl/⌘ + Z': key('z', { ctrlKey: true }),
      'Ctrl/⌘ + Shift + Z': key('Z', { ctrlKey: true, shiftKey: true }),
    };
    for (const s of WORKSPACE_SHORTCUTS) {
      const e = press[s.label] ?? key(s.label.toLowerCase());
      expect(shortcutFor(e, onPage), s.label).toBe(s.action);
    }
  });

  it('letters do nothing while typing or with Ctrl; Ctrl+Enter runs from the seed box; undo skips text fields and dialogs', () => {
    expect(shortcutFor(key('t'), inSeedBox)).toBeNull();
    expect(shortcutFor(key('t', { ctrlKey: true }), onPage)).toBeNull();
    expect(shortcutFor(key('Enter', { metaKey: true }), inSeedBox)).toBe('run');
    expect(shortcutFor(key('z', { ctrlKey: true }), inSeedBox)).toBeNull();
    expect(shortcutFor(key('z', { ctrlKey: true }), onSlider)).toBe('undo');
    expect(shortcutFor(key('z', { ctrlKey: true }), { ...onPage, dialogOpen: true })).toBeNull();
    expect(shortcutFor(key('x'), onPage)).toBeNull();
  });
});
