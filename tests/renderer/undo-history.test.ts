/**
 * Undo/redo as a user meets it: a slider drag is one step, a revert is one step, redo after a new edit
 * is gone, Ctrl+Z / Ctrl+Shift+Z / Ctrl+Y are recognised; renames undo and redo in order.
 */
import { describe, expect, it } from 'vitest';
import { MAX_STEPS, createHistory, emptyCommands, popRedo, popUndo, pushCommand, record, redo, undo, undoKey } from '../../src/renderer/common/undo-history';
import { editGroup, parseEditable, type EditableSettings } from '../../src/renderer/workspace/run-settings-store';

const base: EditableSettings = { settings: { elevationDeg: 'auto', seed: 42, quality: 'draft', backend: 'default' }, seedLocked: false };
const withSettings = (patch: Partial<EditableSettings['settings']>, seedLocked = false): EditableSettings => ({ settings: { ...base.settings, ...patch }, seedLocked });
const edit = (h: ReturnType<typeof createHistory<EditableSettings>>, next: EditableSettings, now: number) => record(h, next, { now, group: editGroup(h.present, next), coalesceMs: 800 });

describe('settings undo history', () => {
  it('a slider drag (many quick elevation changes) is undone in one step', () => {
    let h = createHistory(base);
    h = edit(h, withSettings({ elevationDeg: 10 }), 1000);
    for (let t = 1, e = 11; e <= 25; e++, t++) h = edit(h, withSettings({ elevationDeg: e }), 1000 + t * 30);
    expect(h.present.settings.elevationDeg).toBe(25);
    h = undo(h);
    expect(h.present).toEqual(base);
    h = redo(h);
    expect(h.present.settings.elevationDeg).toBe(25);
  });

  it('edits of different controls, or the same control after a pause, are separate steps', () => {
    let h = createHistory(base);
    h = edit(h, withSettings({ elevationDeg: 10 }), 0);
    h = edit(h, withSettings({ elevationDeg: 10, seed: 7 }), 100);
    h = edit(h, withSettings({ elevationDeg: 20, seed: 7 }), 5000);
    expect(h.past).toHaveLength(3);
    h = undo(h);
    expect(h.present.settings).toMatchObject({ elevationDeg: 10, seed: 7 });
    h = undo(h);
    expect(h.present.settings).toMatchObject({ elevationDeg: 10, seed: 42 });
  });

  it('a revert to a run (several fields at once) is one step, and a new edit drops the redo list', () => {
    let h = createHistory(withSettings({ seed: 5 }));
    const reverted = withSettings({ elevationDeg: 20, seed: 777, quality: 'standard', ignoredViews: [3] }, true);
    expect(editGroup(h.present, reverted)).toBeNull();
    h = edit(h, reverted, 0);
    h = undo(h);
    expect(h.present).toEqual(withSettings({ seed: 5 }));
    expect(h.future).toHaveLength(1);
    h = edit(h, withSettings({ seed: 6 }), 10);
    expect(h.future).toEqual([]);
    expect(redo(h)).toBe(h);
  });

  it('recording an unchanged value adds no step; undo at the start does nothing; history is bounded', () => {
    let h = createHistory(base);
    expect(edit(h, structuredClone(base), 0)).toBe(h);
    expect(undo(h)).toBe(h);
    for (let i = 0; i < MAX_STEPS + 20; i++) h = record(h, withSettings({ seed: i + 1 }), { now: i * 10_000 });
    expect(h.past).toHaveLength(MAX_STEPS);
  });

  it('stored history entries are validated before they reach the controls', () => {
    expect(parseEditable({ settings: base.settings, seedLocked: true })).toEqual({ ...base, seedLocked: true });
    expect(parseEditable({ settings: { ...base.settings, elevationDeg: 90 } })).toBeNull();
    expect(parseEditable('junk')).toBeNull();
  });
});

describe('rename commands and undo keys', () => {
  it('undoes and redoes renames in order', () => {
    let s = pushCommand(emptyCommands<{ to: string }>(), { to: 'A' });
    s = pushCommand(s, { to: 'B' });
    const u1 = popUndo(s)!;
    expect(u1.command.to).toBe('B');
    const u2 = popUndo(u1.next)!;
    expect(u2.command.to).toBe('A');
    expect(popUndo(u2.next)).toBeNull();
    const r1 = popRedo(u2.next)!;
    expect(r1.command.to).toBe('A');
    expect(popRedo(pushCommand(r1.next, { to: 'C' }))).toBeNull();
  });

  it('recognises Ctrl+Z, Ctrl+Shift+Z, Ctrl+Y and Cmd+Z, and nothing else', () => {
    const key = (k: string, mods: Partial<{ ctrlKey: boolean; metaKey: boolean; shiftKey: boolean; altKey: boolean }> = {}) =>
      undoKey({ key: k, ctrlKey: false, metaKey: false, shiftKey: false, altKey: false, ...mods });
    expect(key('z', { ctrlKey: true })).toBe('undo');
    expect(key('Z', { ctrlKey: true, shiftKey: true })).toBe('redo');
    expect(key('y', { ctrlKey: true })).toBe('redo');
    expect(key('z', { metaKey: true })).toBe('undo');
    expect(key('z')).toBeNull();
    expect(key('z', { ctrlKey: true, altKey: true })).toBeNull();
  });
});
