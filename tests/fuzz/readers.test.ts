/**
 * Fixed-seed fuzzing of every untrusted-bytes reader (issue 20): a few thousand mutated PLY, GLB,
 * SPZ, .splat files and RPC frames; each must either decode or throw its format's error class, in
 * under a second, with a result in proportion to its size. `npm run fuzz -- --seconds N` runs the same
 * harness for longer with fresh seeds (scripts/fuzz.ts).
 */
import { describe, expect, it } from 'vitest';
import { FUZZ_TARGETS, fuzzTarget } from './harness';

const ITERATIONS = Number(process.env.HF_FUZZ_ITERATIONS ?? 3000);

describe('readers under fuzzing (fixed seeds)', () => {
  for (const [t, target] of FUZZ_TARGETS.entries()) {
    it(`${target.name}: ${ITERATIONS} mutated inputs, only ${target.errorClass.name}, each < 1 s`, () => {
      const stats = fuzzTarget(target, 20_000 + t, ITERATIONS);
      const report = stats.failures
        .slice(0, 5)
        .map(
          (f) => `#${f.iteration}: ${f.reason} [${Buffer.from(f.input.subarray(0, 64)).toString('hex')}…]`,
        );
      expect(report).toEqual([]);
      expect(stats.inputs).toBe(ITERATIONS);
      // The mutations must reach past the magic checks: some inputs decode, some are refused.
      expect(stats.accepted).toBeGreaterThan(0);
      expect(stats.rejected).toBeGreaterThan(0);
    }, 120_000);
  }
});
