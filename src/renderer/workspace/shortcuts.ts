/**
 * The workspace's keyboard shortcuts, written once: the cheat sheet (?) lists this table and the
 * key handler dispatches from it, so the two cannot disagree.
 * Scope says when a key counts:
 *   anywhere       also while typing (Ctrl/Cmd+Enter runs from the seed box)
 *   outside-text   not while typing into a text field, nor with a dialog open (undo/redo belong to them)
 *   plain          a bare key (no Ctrl/Cmd/Alt) while no form field has focus
 */
import { useEffect, useRef } from 'react';
import { dialogOpen, isTextEntry } from '../common/keys';
import { undoKey } from '../common/undo-history';

export type ShortcutAction =
  | 'run'
  | 'undo'
  | 'redo'
  | 'turntable'
  | 'reset-camera'
  | 'frame-time'
  | 'progressive'
  | 'mode-views'
  | 'mode-side-by-side'
  | 'mode-overlay'
  | 'mode-difference'
  | 'compare-runs'
  | 'cheat-sheet';

type KeyInfo = Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'shiftKey' | 'altKey'>;

interface Shortcut {
  action: ShortcutAction;
  /** How the sheet writes the key. */
  label: string;
  help: string;
  scope: 'anywhere' | 'outside-text' | 'plain';
  matches(e: KeyInfo): boolean;
}

const bare = (key: string) => (e: KeyInfo) => e.key === key;

export const WORKSPACE_SHORTCUTS: readonly Shortcut[] = [
  { action: 'run', label: 'Ctrl/⌘ + Enter', help: 'Run with the current settings', scope: 'anywhere', matches: (e) => (e.ctrlKey || e.metaKey) && e.key === 'Enter' },
  { action: 'turntable', label: 'T', help: 'Turntable on/off', scope: 'plain', matches: bare('t') },
  { action: 'reset-camera', label: 'R', help: 'Reset the 3D camera to the front', scope: 'plain', matches: bare('r') },
  { action: 'frame-time', label: 'F', help: 'Frame time of the 3D preview on/off (top-right corner)', scope: 'plain', matches: bare('f') },
  {
    action: 'progressive',
    label: 'Q',
    help: 'Full quality while orbiting on/off (on = fewer splats at lower resolution while moving, full at rest)',
    scope: 'plain',
    matches: bare('q'),
  },
  { action: 'mode-views', label: 'V', help: 'Views: generated only', scope: 'plain', matches: bare('v') },
  { action: 'mode-side-by-side', label: 'S', help: 'Views: generated and render side by side', scope: 'plain', matches: bare('s') },
  { action: 'mode-overlay', label: 'O', help: 'Views: render over generated with a slider', scope: 'plain', matches: bare('o') },
  { action: 'mode-difference', label: 'D', help: 'Views: difference heatmap', scope: 'plain', matches: bare('d') },
  { action: 'compare-runs', label: 'C', help: 'Compare two runs side by side', scope: 'plain', matches: bare('c') },
  {
    action: 'undo',
    label: 'Ctrl/⌘ + Z',
    help: 'Undo the last settings change (also reverts a "Revert to this run")',
    scope: 'outside-text',
    matches: (e) => undoKey(e) === 'undo',
  },
  { action: 'redo', label: 'Ctrl/⌘ + Shift + Z', help: 'Redo the settings change', scope: 'outside-text', matches: (e) => undoKey(e) === 'redo' },
  { action: 'cheat-sheet', label: '?', help: 'This cheat sheet', scope: 'plain', matches: bare('?') },
];

/** [key, what it does] rows for the cheat sheet. */
export const SHORTCUT_SHEET: readonly (readonly [string, string])[] = WORKSPACE_SHORTCUTS.map((s) => [s.label, s.help]);

/** Where the key went: a form field (any), a text field, with a dialog open. */
export interface KeyContext {
  inFormField: boolean;
  inTextEntry: boolean;
  dialogOpen: boolean;
}

/** The action a key press triggers in this context, or null. */
export function shortcutFor(e: KeyInfo, ctx: KeyContext): ShortcutAction | null {
  for (const s of WORKSPACE_SHORTCUTS) {
    if (!s.matches(e)) continue;
    if (s.scope === 'outside-text' && (ctx.inTextEntry || ctx.dialogOpen)) continue;
    if (s.scope === 'plain' && (ctx.inFormField || e.ctrlKey || e.metaKey || e.altKey)) continue;
    return s.action;
  }
  return null;
}

/** Listen on the window and run the matching action (the newest handlers, without re-subscribing). */
export function useShortcuts(actions: Record<ShortcutAction, () => void>): void {
  const current = useRef(actions);
  current.current = actions;
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      const t = e.target;
      const inFormField =
        t instanceof HTMLElement && (t.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(t.tagName));
      const action = shortcutFor(e, { inFormField, inTextEntry: isTextEntry(t), dialogOpen: dialogOpen() });
      if (!action) return;
      if (action === 'run' || action === 'undo' || action === 'redo') e.preventDefault();
      current.current[action]();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
