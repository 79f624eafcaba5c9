/**
 * Undo/redo of project renames (project metadata lives in the engine, so undo = rename back). The
 * stack is kept in sessionStorage, so Ctrl+Z still works after a window reload. A step whose project
 * is gone (deleted meanwhile) fails with the engine's message and is dropped.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useStudio } from '../api/StudioProvider';
import { errorMessage } from '../common/errors';
import { useNotify } from '../common/Notifier';
import { emptyCommands, popRedo, popUndo, pushCommand, type CommandStack } from '../common/undo-history';

export interface RenameStep {
  id: string;
  from: string;
  to: string;
}

const STORAGE_KEY = 'gallery.renames';

function isStep(v: unknown): v is RenameStep {
  const s = v as RenameStep | null;
  return !!s && typeof s.id === 'string' && typeof s.from === 'string' && typeof s.to === 'string';
}

function load(): CommandStack<RenameStep> {
  try {
    const raw = JSON.parse(sessionStorage.getItem(STORAGE_KEY) ?? 'null') as { done?: unknown[]; undone?: unknown[] } | null;
    if (raw && Array.isArray(raw.done) && Array.isArray(raw.undone)) return { done: raw.done.filter(isStep), undone: raw.undone.filter(isStep) };
  } catch {
    // Unreadable history: start empty.
  }
  return emptyCommands();
}

export function useRenameHistory() {
  const { api } = useStudio();
  const notify = useNotify();
  const [stack, setStack] = useState<CommandStack<RenameStep>>(load);
  const latest = useRef(stack);
  latest.current = stack;
  const busy = useRef(false);

  useEffect(() => {
    try {
      sessionStorage.setItem(STORAGE_KEY, JSON.stringify(stack));
    } catch {
      // Storage disabled: undo works until the next reload.
    }
  }, [stack]);

  const step = useCallback(
    async (direction: 'undo' | 'redo'): Promise<void> => {
      if (busy.current) return;
      const popped = direction === 'undo' ? popUndo(latest.current) : popRedo(latest.current);
      if (!popped) {
        notify({ severity: 'info', text: direction === 'undo' ? 'Nothing to undo' : 'Nothing to redo', durationMs: 2000 });
        return;
      }
      const { command, next } = popped;
      const name = direction === 'undo' ? command.from : command.to;
      busy.current = true;
      try {
        await api.renameProject({ id: command.id, name });
        setStack(next);
        notify({ severity: 'info', text: `${direction === 'undo' ? 'Undid' : 'Redid'} rename: “${name}”`, durationMs: 3000 });
      } catch (err) {
        setStack({ done: next.done.filter((c) => c !== command), undone: next.undone.filter((c) => c !== command) });
        notify({ severity: 'error', text: `Could not ${direction} the rename: ${errorMessage(err)}` });
      } finally {
        busy.current = false;
      }
    },
    [api, notify],
  );

  return useMemo(
    () => ({
      record: (s: RenameStep) => setStack((current) => pushCommand(current, s)),
      undo: () => step('undo'),
      redo: () => step('redo'),
      canUndo: stack.done.length > 0,
      canRedo: stack.undone.length > 0,
    }),
    [step, stack],
  );
}
