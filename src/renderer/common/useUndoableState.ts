/**
 * A value with undo/redo (undo-history.ts), whose history is kept in sessionStorage under `storageKey`
 * so Ctrl+Z still works after a window reload. Stored snapshots go through `validate`; anything that
 * does not validate is dropped (a stale or hand-edited history never reaches the controls).
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { createHistory, record, redo, undo, type History } from './undo-history';

export interface UndoableState<T> {
  value: T;
  /** Record an edit (coalesced with the previous one when `groupOf` names the same control). */
  set(next: T): void;
  undo(): void;
  redo(): void;
  canUndo: boolean;
  canRedo: boolean;
}

export interface UndoableOptions<T> {
  storageKey: string;
  validate(value: unknown): T | null;
  /** Which control an edit touched (edits of one control in quick succession are one undo step). */
  groupOf?(previous: T, next: T): string | null;
}

export function useUndoableState<T>(initial: () => T, options: UndoableOptions<T>): UndoableState<T> {
  const { storageKey } = options;
  const opts = useRef(options);
  opts.current = options;
  const [history, setHistory] = useState<History<T>>(() => loadHistory(storageKey, initial(), options.validate));

  useEffect(() => {
    try {
      sessionStorage.setItem(storageKey, JSON.stringify({ past: history.past, present: history.present, future: history.future }));
    } catch {
      // Storage full or disabled: undo still works until the window reloads.
    }
  }, [storageKey, history]);

  const set = useCallback((next: T) => {
    setHistory((h) => record(h, next, { now: Date.now(), group: opts.current.groupOf?.(h.present, next) ?? null }));
  }, []);
  return {
    value: history.present,
    set,
    undo: useCallback(() => setHistory(undo), []),
    redo: useCallback(() => setHistory(redo), []),
    canUndo: history.past.length > 0,
    canRedo: history.future.length > 0,
  };
}

function loadHistory<T>(key: string, present: T, validate: (v: unknown) => T | null): History<T> {
  try {
    const raw = JSON.parse(sessionStorage.getItem(key) ?? 'null') as { past?: unknown[]; present?: unknown; future?: unknown[] } | null;
    if (!raw) return createHistory(present);
    const stored = validate(raw.present);
    // The draft saved elsewhere (localStorage) wins if it differs: it is the newer truth after a reload.
    if (stored === null || JSON.stringify(stored) !== JSON.stringify(present)) return createHistory(present);
    const keep = (list: unknown[] | undefined): T[] => (Array.isArray(list) ? list.map(validate).filter((v): v is T => v !== null) : []);
    return { ...createHistory(present), past: keep(raw.past), future: keep(raw.future) };
  } catch {
    return createHistory(present);
  }
}
