/**
 * `npm run fuzz -- [--count N | --seconds N] [--seed S] [--target NAME[=N][,NAME]] [--out DIR]`: fuzz every
 * untrusted-bytes reader (tests/fuzz/targets.ts: PLY, compressed PLY, GLB, SPZ v2/v3/v4, .splat, SOG,
 * RPC frames, portrait PNG/JPEG/WebP, project/run/record/settings JSON, model and style pack
 * manifests, ONNX graphs, ARKit CSV, OBJ) with the harness in tests/fuzz/harness.ts.
 *
 *   --count N    N mutated inputs per format (the issue's bar is 1,000,000)
 *   --seconds N  or a time budget, split evenly between the formats (default 60 when no --count)
 *   --target PLY=742058,GLB  a count for one format overrides --count (what a campaign still lacks)
 *
 * SIGINT / SIGTERM end the current round at the next input and print every format's totals so far
 * (a campaign stopped at a deadline keeps its exact counts).
 *
 * Prints one line per format (inputs, decoded, refused, the slowest input's CPU time, peak RSS, failures) as it
 * finishes; failing inputs are written to DIR (default fuzz-failures/) so they can become regression
 * tests. Exit 1 when anything failed.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fuzzTarget } from '../tests/fuzz/harness';
import { FUZZ_TARGETS, findTargets } from '../tests/fuzz/targets';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string' },
    count: { type: 'string' },
    seed: { type: 'string' },
    target: { type: 'string' },
    out: { type: 'string', default: 'fuzz-failures' },
  },
});
const globalCount = values.count !== undefined ? Number(values.count) : Infinity;
const seconds = values.seconds !== undefined ? Number(values.seconds) : values.count ? Infinity : 60;
const baseSeed = values.seed !== undefined ? Number(values.seed) : Date.now() % 2 ** 31;
// `NAME=COUNT`: that format's own count (the rest of the campaign's 1 M, say).
const ownCounts = new Map<string, number>();
const names = values.target?.split(',').map((entry) => {
  const [name, n] = entry.split('=');
  if (n !== undefined) ownCounts.set(name, Number(n));
  return name;
});
const targets = names ? names.flatMap((n) => findTargets(n)) : findTargets(undefined);
const countOf = new Map(
  (names ?? []).flatMap((n) => findTargets(n).map((t) => [t, ownCounts.get(n) ?? globalCount] as const)),
);
if (
  !targets.length ||
  !(seconds > 0) ||
  !(globalCount > 0) ||
  ![...countOf.values()].every((n) => n > 0) ||
  !Number.isFinite(baseSeed)
) {
  console.error(
    `usage: npm run fuzz -- [--count N | --seconds N] [--seed S] [--target NAME[=COUNT],...] (names: ${FUZZ_TARGETS.map((t) => t.name.replace(/ /g, '')).join('|')})`,
  );
  process.exit(2);
}
console.log(
  `fuzz: seed ${baseSeed}, ${Number.isFinite(globalCount) ? `${globalCount} inputs per format` : `${seconds} s`} over ${targets.length} formats`,
);
type Totals = Record<'inputs' | 'accepted' | 'rejected' | 'slowestMs' | 'failures' | 'peakRssMb', number>;
function report(totals: Totals, t0: number): string {
  return (
    `${totals.inputs} inputs, ${totals.accepted} decoded, ${totals.rejected} refused, ` +
    `slowest ${totals.slowestMs.toFixed(1)} ms CPU, peak RSS ${totals.peakRssMb.toFixed(0)} MB, ` +
    `${totals.failures} failures, ${((performance.now() - t0) / 1000).toFixed(0)} s`
  );
}

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.on(signal, () => {
    if (stopping) process.exit(130);
    stopping = true;
    console.log(`fuzz: ${signal}, stopping after the current input`);
  });

let failed = 0;
for (const [i, target] of targets.entries()) {
  if (stopping) break;
  const count = countOf.get(target) ?? globalCount;
  const t0 = performance.now();
  const deadline = t0 + (seconds * 1000) / targets.length;
  const totals: Totals = { inputs: 0, accepted: 0, rejected: 0, slowestMs: 0, failures: 0, peakRssMb: 0 };
  let slowest: { input: Uint8Array; seed: number } | null = null;
  let lastReport = performance.now();
  // Rounds of 10,000 from successive seeds, so long runs also vary the seed files.
  for (let round = 0; performance.now() < deadline && totals.inputs < count && !stopping; round++) {
    // A long run prints its totals every minute, so a campaign stopped early still has its counts.
    if (performance.now() - lastReport > 60_000) {
      lastReport = performance.now();
      console.log(`  ${target.name}: ${report(totals, t0)}`);
    }
    const seed = baseSeed + 1000 * i + round;
    // A round also ends after a minute, so slow formats report too.
    const roundEnd = Math.min(deadline, performance.now() + 60_000);
    const stats = await fuzzTarget(
      target,
      seed,
      Math.min(10_000, count - totals.inputs),
      roundEnd,
      () => stopping,
    );
    totals.inputs += stats.inputs;
    totals.accepted += stats.accepted;
    totals.rejected += stats.rejected;
    if (stats.slowestInput && stats.slowestMs > totals.slowestMs)
      slowest = { input: stats.slowestInput, seed };
    totals.slowestMs = Math.max(totals.slowestMs, stats.slowestMs);
    totals.peakRssMb = Math.max(totals.peakRssMb, process.resourceUsage().maxRSS / 1024);
    for (const f of stats.failures) {
      totals.failures++;
      fs.mkdirSync(values.out!, { recursive: true });
      const file = path.join(values.out!, `${target.name.replace(/\W/g, '')}-seed${seed}-${f.iteration}.bin`);
      fs.writeFileSync(file, f.input);
      if (totals.failures <= 5)
        console.log(`  ${target.name} seed ${seed} #${f.iteration}: ${f.reason} -> ${file}`);
    }
  }
  // The slowest input of a format, when it took a tenth of the bar or more: a near-miss to read again.
  if (slowest && totals.slowestMs >= 100) {
    fs.mkdirSync(values.out!, { recursive: true });
    const file = path.join(values.out!, `${target.name.replace(/\W/g, '')}-slowest-seed${slowest.seed}.bin`);
    fs.writeFileSync(file, slowest.input);
    console.log(`  ${target.name}: slowest input (${totals.slowestMs.toFixed(0)} ms CPU) -> ${file}`);
  }
  failed += totals.failures;
  console.log(`${target.name.padEnd(15)} ${report(totals, t0)}${stopping ? ' (stopped)' : ''}`);
}
process.exit(failed ? 1 : 0);
