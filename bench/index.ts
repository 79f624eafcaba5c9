/**
 * `npm run bench [-- --json] [-- --filter substr]`: runs every bench/*.bench.ts.
 * Table on stdout by default; with --json one object per line: {name, value, unit, machine}.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { machineDescription, type Bench, type BenchResult } from './harness';

const args = process.argv.slice(2);
const json = args.includes('--json');
const filterIdx = args.indexOf('--filter');
const filter = filterIdx >= 0 ? args[filterIdx + 1] : undefined;

const dir = path.dirname(fileURLToPath(import.meta.url));
const files = fs
  .readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts'))
  .sort();

const machine = machineDescription();
if (!json) console.log(`HeadForge benchmarks on ${machine}\n`);
const rows: BenchResult[] = [];
for (const file of files) {
  const mod = (await import(pathToFileURL(path.join(dir, file)).href)) as { benches?: Bench[] };
  for (const bench of mod.benches ?? []) {
    if (filter && !bench.name.includes(filter) && !file.includes(filter)) continue;
    if (!json) process.stdout.write(`running ${bench.name} ...\n`);
    try {
      const results = await bench.run();
      for (const r of results) {
        rows.push(r);
        if (json) console.log(JSON.stringify({ ...r, machine }));
      }
    } catch (err) {
      const msg = err instanceof Error ? err.message : String(err);
      if (json) console.log(JSON.stringify({ name: bench.name, value: null, unit: 'error', error: msg, machine }));
      else console.log(`  FAILED: ${msg}`);
    }
  }
}
if (!json) {
  const w = Math.max(10, ...rows.map((r) => r.name.length));
  console.log(`\n${'benchmark'.padEnd(w)}  ${'value'.padStart(12)}  unit`);
  console.log(`${'-'.repeat(w)}  ${'-'.repeat(12)}  ----`);
  for (const r of rows) {
    const v = Math.abs(r.value) >= 100 ? r.value.toFixed(0) : r.value.toPrecision(4);
    console.log(`${r.name.padEnd(w)}  ${v.padStart(12)}  ${r.unit}`);
  }
}
