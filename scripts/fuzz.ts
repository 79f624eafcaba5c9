/**
 * `npm run fuzz -- [--seconds N] [--seed S] [--target NAME] [--out DIR]`: fuzz every untrusted-bytes
 * reader (PLY, GLB, SPZ, .splat, RPC frames) with the harness in tests/fuzz/harness.ts for N seconds
 * (default 60, split evenly between targets). Prints one line per target (inputs, accepted, rejected,
 * slowest input, failures); failing inputs are written to DIR (default fuzz-failures/) so they can
 * become regression tests. Exit 1 when anything failed.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { FUZZ_TARGETS, fuzzTarget } from '../tests/fuzz/harness';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '60' },
    seed: { type: 'string' },
    target: { type: 'string' },
    out: { type: 'string', default: 'fuzz-failures' },
  },
});
const seconds = Number(values.seconds);
const baseSeed = values.seed !== undefined ? Number(values.seed) : Date.now() % 2 ** 31;
const targets = FUZZ_TARGETS.filter(
  (t) => !values.target || t.name.toLowerCase() === values.target.toLowerCase(),
);
if (!targets.length || !(seconds > 0) || !Number.isFinite(baseSeed)) {
  console.error(
    `usage: npm run fuzz -- [--seconds N] [--seed S] [--target ${FUZZ_TARGETS.map((t) => t.name).join('|')}]`,
  );
  process.exit(2);
}
console.log(`fuzz: seed ${baseSeed}, ${seconds} s over ${targets.length} targets`);
let failed = 0;
for (const [i, target] of targets.entries()) {
  const deadline = performance.now() + (seconds * 1000) / targets.length;
  const totals = { inputs: 0, accepted: 0, rejected: 0, slowestMs: 0, failures: 0, peakRssMb: 0 };
  // Rounds of 10,000 from successive seeds, so long runs also vary the seed files.
  for (let round = 0; performance.now() < deadline; round++) {
    const seed = baseSeed + 1000 * i + round;
    const stats = fuzzTarget(target, seed, 10_000, deadline);
    totals.inputs += stats.inputs;
    totals.accepted += stats.accepted;
    totals.rejected += stats.rejected;
    totals.slowestMs = Math.max(totals.slowestMs, stats.slowestMs);
    totals.peakRssMb = Math.max(totals.peakRssMb, process.memoryUsage().rss / 2 ** 20);
    for (const f of stats.failures) {
      totals.failures++;
      fs.mkdirSync(values.out!, { recursive: true });
      const file = path.join(values.out!, `${target.name.replace(/\W/g, '')}-seed${seed}-${f.iteration}.bin`);
      fs.writeFileSync(file, f.input);
      if (totals.failures <= 5)
        console.log(`  ${target.name} seed ${seed} #${f.iteration}: ${f.reason} -> ${file}`);
    }
  }
  failed += totals.failures;
  console.log(
    `${target.name.padEnd(10)} ${totals.inputs} inputs, ${totals.accepted} decoded, ${totals.rejected} refused, ` +
      `slowest ${totals.slowestMs.toFixed(1)} ms, RSS ${totals.peakRssMb.toFixed(0)} MB, ${totals.failures} failures`,
  );
}
process.exit(failed ? 1 : 0);
