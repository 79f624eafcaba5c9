/** A failed splat load reaches the preview as a rejection it can show, not as a page error or a hang. */
import { afterEach, describe, expect, it } from 'vitest';
import { AbortablePromise } from '@mkkellogg/gaussian-splats-3d';
import { settledLoad } from '../../src/renderer/workspace/scene-load';

/** A load as the viewer makes it: the library's own promise, settled after a tick. */
function libraryLoad(fail: boolean): AbortablePromise<void> {
  return new AbortablePromise<void>((resolve, reject) => {
    setTimeout(
      () => (fail ? reject(new Error('Viewer::addSplatScene -> Could not load file x.ply')) : resolve()),
      5,
    );
  });
}

const unhandled: unknown[] = [];
const onUnhandled = (e: unknown): void => void unhandled.push(e);

afterEach(() => {
  process.off('unhandledRejection', onUnhandled);
  unhandled.length = 0;
});

const tick = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('settledLoad', () => {
  it('rejects with the viewer error when the load fails, leaving no unhandled rejection', async () => {
    process.on('unhandledRejection', onUnhandled);
    await expect(settledLoad(libraryLoad(true))).rejects.toThrow('Could not load file x.ply');
    await tick(20);
    expect(unhandled).toEqual([]);
  });

  it('resolves when the load succeeds', async () => {
    await expect(settledLoad(libraryLoad(false))).resolves.toBeUndefined();
  });

  it('is needed: awaiting the library promise directly never settles on failure and leaks the error', async () => {
    process.on('unhandledRejection', onUnhandled);
    let settled = false;
    const direct = (async () => {
      try {
        await (libraryLoad(true) as unknown as Promise<void>);
      } catch {
        /* never reached: the library's then() drops the rejection handler */
      }
      settled = true;
    })();
    void direct;
    await tick(50);
    expect(settled).toBe(false);
    expect(unhandled).toHaveLength(1);
  });
});
