#!/usr/bin/env node
/**
 * `npm install` hook: builds the native rasterizer addon (native/ -> native/build/Release/headforge_raster.node)
 * with node-gyp. It never fails the install: without a compiler the engine reports "native addon missing"
 * and this script says exactly what to install. Set HEADFORGE_SKIP_NATIVE=1 to skip the build.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const addon = path.join(root, 'native', 'build', 'Release', 'headforge_raster.node');

function log(msg) {
  console.log(`[headforge native] ${msg}`);
}

function hasCommand(cmd) {
  const r = spawnSync(process.platform === 'win32' ? 'where' : 'sh', process.platform === 'win32' ? [cmd] : ['-c', `command -v ${cmd}`], {
    stdio: 'ignore',
  });
  return r.status === 0;
}

function explainMissing(missing) {
  log(`cannot build the rasterizer addon: missing ${missing.join(', ')}.`);
  log('HeadForge will run, but Gaussian optimisation and previews report "native addon missing".');
  if (process.platform === 'linux') log('Install the build tools, e.g. Debian/Ubuntu: sudo apt-get install -y g++ make python3');
  else if (process.platform === 'darwin') log('Install the build tools: xcode-select --install (and python3)');
  else log('Install Visual Studio Build Tools (C++ workload) and Python 3');
  log('then run: npm run build:native');
}

/** Node's own headers (e.g. Debian's /usr/include/node) so node-gyp does not try to download them. */
function localNodeDir() {
  if (process.env.npm_config_nodedir) return undefined; // npm already tells node-gyp where they are
  const prefix = path.resolve(path.dirname(process.execPath), '..');
  const versionHeader = path.join(prefix, 'include', 'node', 'node_version.h');
  if (!fs.existsSync(versionHeader)) return undefined;
  const text = fs.readFileSync(versionHeader, 'utf8');
  const major = /#define NODE_MAJOR_VERSION (\d+)/.exec(text)?.[1];
  return major === process.versions.node.split('.')[0] ? prefix : undefined;
}

function main() {
  if (process.env.HEADFORGE_SKIP_NATIVE === '1') {
    log('skipped (HEADFORGE_SKIP_NATIVE=1)');
    return;
  }
  const gyp = path.join(root, 'node_modules', 'node-gyp', 'bin', 'node-gyp.js');
  if (!fs.existsSync(gyp)) {
    log('node-gyp is not installed (dev dependencies missing?): skipping the addon build.');
    return;
  }
  if (process.platform !== 'win32') {
    const missing = ['g++', 'make', 'python3'].filter((c) => !(c === 'g++' ? hasCommand('g++') || hasCommand('c++') : hasCommand(c)));
    if (missing.length > 0) {
      explainMissing(missing);
      return;
    }
  }
  const args = [gyp, 'rebuild', '--directory', 'native', '-j', String(Math.max(1, os.cpus().length))];
  const nodedir = localNodeDir();
  if (nodedir) args.push(`--nodedir=${nodedir}`);
  log(`building (${nodedir ? `headers from ${nodedir}` : 'node-gyp headers'}) ...`);
  const t0 = Date.now();
  const r = spawnSync(process.execPath, args, { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.status === 0 && fs.existsSync(addon)) {
    log(`built ${path.relative(root, addon)} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    return;
  }
  log(`build FAILED (exit ${r.status ?? r.signal}). See the compiler output above.`);
  explainMissing(['a working C++17 toolchain (g++ >= 9), make, python3']);
}

try {
  main();
} catch (err) {
  log(`build skipped after an unexpected error: ${err instanceof Error ? err.message : String(err)}`);
}
