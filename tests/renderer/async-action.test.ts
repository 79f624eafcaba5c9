/** The dialogs' busy/error pattern: busy while running, errors in words, no double start, late results dropped. */
import { describe, expect, it } from 'vitest';
import { createAsyncAction, type AsyncActionState } from '../../src/renderer/common/useAsyncAction';
import { StudioError } from '../../src/shared/rpc/errors';

function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

describe('async action', () => {
  it('is busy while running, then holds the result; a double click starts it once', async () => {
    const seen: AsyncActionState<string>[] = [];
    const d = deferred<string>();
    let calls = 0;
    const action = createAsyncAction(() => (calls++, d.promise), (s) => seen.push(s));
    const first = action.run();
    expect(await action.run()).toBeUndefined(); // second click while busy: ignored
    expect(action.state()).toEqual({ busy: true, error: null, result: null });
    d.resolve('head-none-ply.ply');
    expect(await first).toBe('head-none-ply.ply');
    expect(calls).toBe(1);
    expect(seen.at(-1)).toEqual({ busy: false, error: null, result: 'head-none-ply.ply' });
  });

  it('turns a failure into words (the engine code becomes a hint) and can run again', async () => {
    let fail = true;
    const action = createAsyncAction(async () => {
      if (fail) throw new StudioError('DISK_FULL', 'could not write head.spz');
      return 1;
    }, () => undefined);
    expect(await action.run()).toBeUndefined();
    expect(action.state().error).toMatch(/The disk is full.*could not write head\.spz/);
    fail = false;
    expect(await action.run()).toBe(1);
    expect(action.state().error).toBeNull();
  });

  it('drops an outcome that arrives after reset (dialog closed meanwhile)', async () => {
    const d = deferred<number>();
    const seen: AsyncActionState<number>[] = [];
    const action = createAsyncAction(() => d.promise, (s) => seen.push(s));
    const pending = action.run();
    action.reset();
    d.reject(new Error('too late'));
    expect(await pending).toBeUndefined();
    expect(action.state()).toEqual({ busy: false, error: null, result: null });
    expect(seen.some((s) => s.error !== null)).toBe(false);
  });
});
