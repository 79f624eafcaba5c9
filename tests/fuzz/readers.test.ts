/**
 * Fixed-seed fuzzing of every untrusted-bytes reader (tests/fuzz/targets.ts): a few hundred mutated
 * files per format (more for the fast codecs, fewer for splat-transform's formats); each must either
 * decode or throw its format's own error, in under a second of CPU time, with a result in proportion to its size
 * and under 256 MB of peak memory growth. `npm run fuzz -- --count N` runs the same harness for longer
 * with fresh seeds (scripts/fuzz.ts).
 */
import { describe, expect, it } from 'vitest';
import { fuzzTarget } from './harness';
import { FUZZ_TARGETS } from './targets';

const SCALE = Number(process.env.HF_FUZZ_SCALE ?? 1);
/** Inputs per format: ~0.1-3 s each on the 2-core box (compressed PLY ~70 ms an input). */
const ITERATIONS: Record<string, number> = {
  PLY: 600,
  GLB: 600,
  SPZ: 600,
  '.splat': 600,
  'RPC frame': 600,
  'compressed PLY': 40,
  SOG: 60,
};

/** Readers that report damage in their result (a damaged card, a pack's error list), never throw. */
const SHOWS_DAMAGE = new Set(['project.json', 'settings.json', 'model pack', 'style pack']);

describe('readers under fuzzing (fixed seeds)', () => {
  for (const [t, target] of FUZZ_TARGETS.entries()) {
    const n = Math.round((ITERATIONS[target.name] ?? 300) * SCALE);
    it(`${target.name}: ${n} mutated inputs, only its own error, each < 1 s and < 256 MB`, async () => {
      const stats = await fuzzTarget(target, 20_000 + t, n);
      const report = stats.failures
        .slice(0, 5)
        .map(
          (f) => `#${f.iteration}: ${f.reason} [${Buffer.from(f.input.subarray(0, 64)).toString('hex')}…]`,
        );
      expect(report).toEqual([]);
      expect(stats.inputs).toBe(n);
      // The mutations must reach past the magic checks: some inputs are read in full, some refused.
      expect(stats.accepted).toBeGreaterThan(0);
      if (!SHOWS_DAMAGE.has(target.name)) expect(stats.rejected).toBeGreaterThan(0);
    }, 120_000);
  }
});
