#!/usr/bin/env node
/**
 * Checks the installer configuration (electron-builder.yml) with electron-builder's own validation
 * (app-builder-lib getConfig + validateConfiguration: the JSON schema every `electron-builder` build
 * applies first), and that the files it names exist. Builds nothing and downloads no Electron.
 * Run through `npm run dist:check`, which provides electron-builder (pinned) via npx, so the app's
 * own dependencies stay as they are.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// npx -p puts the package's .bin on PATH; its node_modules is the folder above.
const searchPaths = (process.env.PATH ?? '')
  .split(path.delimiter)
  .filter((p) => p.endsWith(path.join('node_modules', '.bin')))
  .map((p) => path.dirname(p));
const require = createRequire(import.meta.url);
let configModule;
try {
  configModule = require(
    require.resolve('app-builder-lib/out/util/config/config', { paths: [root, ...searchPaths] }),
  );
} catch {
  console.error(
    'electron-builder is not available: run `npm run dist:check` (it fetches electron-builder 26.18.1 with npx).',
  );
  process.exit(2);
}
const { getConfig, validateConfiguration } = configModule;
const config = await getConfig(root, path.join(root, 'electron-builder.yml'), null);
const log = { isEnabled: false, add() {} };
try {
  await validateConfiguration(config, log);
} catch (err) {
  console.error(`electron-builder.yml is not valid: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
}
const named = [
  config.linux?.icon,
  config.win?.icon,
  config.mac?.icon,
  config.mac?.entitlements,
  config.mac?.entitlementsInherit,
].filter(Boolean);
const missing = named.filter((f) => !existsSync(path.join(root, f)));
if (missing.length) {
  console.error(`electron-builder.yml names files that do not exist: ${missing.join(', ')}`);
  process.exit(1);
}
const targets = ['linux', 'win', 'mac']
  .map((os) => `${os}: ${[config[os]?.target].flat().join(', ')}`)
  .join('; ');
console.log(
  `electron-builder.yml is valid (electron-builder's schema). Targets ${targets}. Output: ${config.directories?.output}/.`,
);
