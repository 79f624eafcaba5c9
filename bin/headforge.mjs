#!/usr/bin/env node
// `npx headforge` / `headforge`: register tsx so the TypeScript sources run as they are, then start
// the CLI (src/cli/index.ts). Node >= 20.19 (module.register).
// `headforge`, `headforge --help`: printed from the plain-JavaScript command list, before tsx loads
// (registering tsx alone takes longer than help should).
const [first] = process.argv.slice(2);
if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
  const { helpText } = await import('../src/cli/command-list.mjs');
  // As src/cli/index.ts main: help on stdout; without a command it is a usage error (exit 2).
  process.stdout.write(`${helpText()}\n`, () => process.exit(first === undefined ? 2 : 0));
} else {
  // Before tsx: loaded under tsx, splat-transform costs ~640 MB and ~20 s (see the module).
  const { preloadSplatTransform } = await import('../src/cli/splat-transform-preload.mjs');
  await preloadSplatTransform(process.argv.slice(3));
  const { register } = await import('tsx/esm/api');
  register();
  const { runFromProcess } = await import('../src/cli/index.ts');
  await runFromProcess();
}
