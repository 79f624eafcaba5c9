/**
 * A campaign stops when asked even when its reader never waits on I/O (splat-transform on in-memory
 * files resolves in microtasks only): the harness turns the event loop, so a timer's or a signal's
 * handler runs and fuzzTarget returns with the inputs it counted.
 */
import { describe, expect, it } from 'vitest';
import { fuzzTarget, type FuzzTarget } from './harness';

const busy: FuzzTarget = {
  name: 'busy',
  errorClass: Error,
  maxAmplification: 1,
  seeds: () => [new Uint8Array(16)],
  // 1 ms of CPU, resolved without any I/O.
  read: async () => {
    const end = performance.now() + 1;
    while (performance.now() < end);
    return 0;
  },
};

describe('fuzzTarget stop()', () => {
  it('returns soon after a timer asks it to, with a reader that never yields', async () => {
    let stop = false;
    setTimeout(() => (stop = true), 300);
    const t0 = performance.now();
    // 5,000 inputs of 1 ms: without the turns of the event loop, all of them (5 s), not 300 ms.
    const stats = await fuzzTarget(busy, 1, 5000, Infinity, () => stop);
    expect(performance.now() - t0).toBeLessThan(2500);
    expect(stats.inputs).toBeLessThan(5000);
    expect(stats.inputs).toBeGreaterThan(10);
    expect(stats.failures).toEqual([]);
  }, 10_000);
});
