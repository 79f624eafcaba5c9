/**
 * `node scripts/fuzz.mjs --bench [--count N] [--seed S] [--target NAME[,NAME]]` (or under tsx:
 * `tsx scripts/fuzz-bench.ts ...`): where a fuzz target's CPU goes, per input, after a warm-up
 * round: making the mutated input (the harness's share), the harness's checks around a reader that
 * does nothing, and the whole loop (mutation + checks + the reader). CPU time of this process, so a
 * loaded box changes the numbers less than wall time would; compare runs on the same box only.
 */
import { parseArgs } from 'node:util';
import { checkOne, fuzzTarget, type FuzzTarget } from '../tests/fuzz/harness';
import { mutateBytes, pick, rng } from '../tests/fuzz/mutate';
import { findTargets } from '../tests/fuzz/targets';

const cpuMs = (c: NodeJS.CpuUsage): number => (c.user + c.system) / 1000;

async function measure(f: () => Promise<unknown> | unknown): Promise<number> {
  const c0 = process.cpuUsage();
  await f();
  return cpuMs(process.cpuUsage(c0));
}

async function bench(target: FuzzTarget, seed: number, n: number): Promise<string> {
  await fuzzTarget(target, seed, Math.max(20, n >> 3)); // warm-up: module loads, JIT, fixtures
  const r = rng(seed + 1);
  const seeds = await target.seeds(r);
  const inputs: Uint8Array[] = [];
  const mutateMs = await measure(() => {
    for (let i = 0; i < n; i++) {
      const base = pick(r, seeds);
      let input: Uint8Array | null = null;
      if (target.mutate && r() < 0.4) input = target.mutate(r, base);
      inputs.push(input ?? mutateBytes(r, base));
    }
  });
  const noop: FuzzTarget = { ...target, read: () => 0 };
  const checkMs = await measure(async () => {
    for (const input of inputs) await checkOne(noop, input);
  });
  const totalMs = await measure(() => fuzzTarget(target, seed + 2, n));
  const per = (ms: number): string => `${((ms / n) * 1000).toFixed(0).padStart(6)} us`;
  return (
    `${target.name.padEnd(15)} ${n} inputs: mutate ${per(mutateMs)}, checks ${per(checkMs)}, ` +
    `whole loop ${per(totalMs)} (${((n / totalMs) * 1000).toFixed(0)} inputs per CPU-second)`
  );
}

const { values } = parseArgs({
  options: {
    bench: { type: 'boolean' },
    count: { type: 'string', default: '300' },
    seed: { type: 'string', default: '1' },
    target: { type: 'string' },
  },
});
for (const target of findTargets(values.target))
  console.log(await bench(target, Number(values.seed), Number(values.count)));
