/**
 * Undo/redo, as pure functions (the React hooks in useUndoableState.ts and the gallery wrap them):
 *
 *   History<T>       snapshots of a value (generation settings): past (oldest first), present, future
 *                    (next redo first). Edits closer together than `coalesceMs` with the same `group`
 *                    (one slider drag, typing a seed) become ONE undo step.
 *   CommandStack<C>  edits that live in the engine (renaming a project): done (oldest first) and undone
 *                    (next redo first); the caller performs the command's inverse / the command again.
 *
 * At most MAX_STEPS steps are kept; the oldest fall off.
 */

export const MAX_STEPS = 100;

export interface History<T> {
  past: T[];
  present: T;
  future: T[];
  /** When the present was last changed, and by which kind of edit (for coalescing). */
  lastEditAt: number;
  lastGroup: string | null;
}

export function createHistory<T>(present: T): History<T> {
  return { past: [], present, future: [], lastEditAt: -Infinity, lastGroup: null };
}

/**
 * Record `next` as the new present. `group` names the control being edited; a second edit of the same
 * group within `coalesceMs` replaces the present instead of adding a step. Recording a value equal to the
 * present (by `equals`) changes nothing. Any new edit clears the redo list.
 */
export function record<T>(
  h: History<T>,
  next: T,
  opts: { now: number; group?: string | null; coalesceMs?: number; equals?: (a: T, b: T) => boolean },
): History<T> {
  const equals = opts.equals ?? jsonEquals;
  if (equals(h.present, next)) return h;
  const group = opts.group ?? null;
  const coalesce = group !== null && group === h.lastGroup && opts.now - h.lastEditAt < (opts.coalesceMs ?? 800) && h.past.length > 0;
  const past = coalesce ? h.past : [...h.past, h.present].slice(-MAX_STEPS);
  return { past, present: next, future: [], lastEditAt: opts.now, lastGroup: group };
}

export function undo<T>(h: History<T>): History<T> {
  if (h.past.length === 0) return h;
  const previous = h.past[h.past.length - 1];
  return { past: h.past.slice(0, -1), present: previous, future: [h.present, ...h.future], lastEditAt: -Infinity, lastGroup: null };
}

export function redo<T>(h: History<T>): History<T> {
  if (h.future.length === 0) return h;
  const [next, ...rest] = h.future;
  return { past: [...h.past, h.present].slice(-MAX_STEPS), present: next, future: rest, lastEditAt: -Infinity, lastGroup: null };
}

export interface CommandStack<C> {
  done: C[];
  undone: C[];
}

export function emptyCommands<C>(): CommandStack<C> {
  return { done: [], undone: [] };
}

/** A command was performed: it becomes the next undo, and the redo list is cleared. */
export function pushCommand<C>(s: CommandStack<C>, command: C): CommandStack<C> {
  return { done: [...s.done, command].slice(-MAX_STEPS), undone: [] };
}

/** The command to invert, and the stack after it is undone (null when there is nothing to undo). */
export function popUndo<C>(s: CommandStack<C>): { command: C; next: CommandStack<C> } | null {
  if (s.done.length === 0) return null;
  const command = s.done[s.done.length - 1];
  return { command, next: { done: s.done.slice(0, -1), undone: [command, ...s.undone] } };
}

/** The command to perform again, and the stack after it is redone (null when there is nothing to redo). */
export function popRedo<C>(s: CommandStack<C>): { command: C; next: CommandStack<C> } | null {
  if (s.undone.length === 0) return null;
  const [command, ...rest] = s.undone;
  return { command, next: { done: [...s.done, command].slice(-MAX_STEPS), undone: rest } };
}

/** Which undo action a key press asks for: Ctrl/Cmd+Z undo; Ctrl/Cmd+Shift+Z or Ctrl+Y redo. */
export function undoKey(e: { key: string; ctrlKey: boolean; metaKey: boolean; shiftKey: boolean; altKey: boolean }): 'undo' | 'redo' | null {
  if (!(e.ctrlKey || e.metaKey) || e.altKey) return null;
  const key = e.key.toLowerCase();
  if (key === 'z') return e.shiftKey ? 'redo' : 'undo';
  if (key === 'y' && !e.shiftKey) return 'redo';
  return null;
}

function jsonEquals(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
