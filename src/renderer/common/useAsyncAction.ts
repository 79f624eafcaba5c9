/**
 * The busy/error/result pattern every dialog repeats (export, rename, duplicate, seed explorer):
 *
 *   const exportAction = useAsyncAction((req: ExportRequest) => api.exportRun(req));
 *   <Button disabled={exportAction.busy} onClick={() => void exportAction.run(req)}>
 *   {exportAction.error && <Alert>{exportAction.error}</Alert>}
 *
 * Rules (in createAsyncAction, so they are testable without React): a second run() while one is in
 * flight is ignored (double clicks start nothing twice); the error is the message in words
 * (common/errors.ts); a result or error that arrives after reset() or unmount is dropped.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { errorMessage } from './errors';

export interface AsyncActionState<R> {
  busy: boolean;
  error: string | null;
  result: R | null;
}

export interface AsyncAction<A extends unknown[], R> {
  /** Resolves with the result, or undefined when it failed, was ignored, or was reset meanwhile. */
  run(...args: A): Promise<R | undefined>;
  reset(): void;
  state(): AsyncActionState<R>;
}

export const IDLE: AsyncActionState<never> = { busy: false, error: null, result: null };

export function createAsyncAction<A extends unknown[], R>(
  fn: (...args: A) => Promise<R>,
  onChange: (state: AsyncActionState<R>) => void,
  describe: (err: unknown) => string = errorMessage,
): AsyncAction<A, R> {
  let state: AsyncActionState<R> = IDLE;
  // Bumped by each run and by reset: only the latest run may write its outcome.
  let generation = 0;
  const set = (next: AsyncActionState<R>): void => {
    state = next;
    onChange(next);
  };
  return {
    async run(...args) {
      if (state.busy) return undefined;
      const mine = ++generation;
      set({ busy: true, error: null, result: null });
      try {
        const result = await fn(...args);
        if (mine !== generation) return undefined;
        set({ busy: false, error: null, result });
        return result;
      } catch (err) {
        if (mine === generation) set({ busy: false, error: describe(err), result: null });
        return undefined;
      }
    },
    reset() {
      generation++;
      set(IDLE);
    },
    state: () => state,
  };
}

export function useAsyncAction<A extends unknown[], R>(fn: (...args: A) => Promise<R>): AsyncActionState<R> & Omit<AsyncAction<A, R>, 'state'> {
  const [state, setState] = useState<AsyncActionState<R>>(IDLE);
  const latestFn = useRef(fn);
  latestFn.current = fn;
  const action = useMemo(() => createAsyncAction<A, R>((...args) => latestFn.current(...args), setState), []);
  // After unmount nothing may set state: reset() bumps the generation so late outcomes are dropped.
  useEffect(() => () => action.reset(), [action]);
  return { ...state, run: action.run, reset: action.reset };
}
