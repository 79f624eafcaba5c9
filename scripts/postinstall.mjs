#!/usr/bin/env node
/**
 * `npm install` hook and `npm run build:native`: builds the native rasterizer addon (native/ ->
 * native/build/Release/headforge_raster.node) with node-gyp, only when its inputs changed.
 *
 * It also links the CLI into node_modules/.bin (link-cli-bin.mjs says why). Other installs may still
 * rerun this hook (a second `npm install`, an install into an npx cache), so:
 *  - a stamp next to the addon (headforge_raster.stamp, see native-stamp.mjs) holds the hash of the
 *    sources, binding.gyp and platform; an addon whose stamp matches is not rebuilt (about 0.1 s);
 *  - a build happens in native/build-next (a copy of binding.gyp and the sources, with their times, and
 *    node-gyp's build/ beside them, kept for incremental rebuilds) and the finished addon replaces the
 *    old one by a rename, so native/build/Release never lacks an addon that is already there
 *    (node-gyp `rebuild` in native/ would delete it for the whole build).
 * It never fails the install: without a compiler the engine reports "native addon missing" and this
 * script says what to install. HEADFORGE_SKIP_NATIVE=1 skips it; --force rebuilds regardless.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { linkCliBin } from './link-cli-bin.mjs';
import { inputsHash, readStamp, withLock, writeStamp } from './native-stamp.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const nativeDir = path.join(root, 'native');
const addon = path.join(nativeDir, 'build', 'Release', 'headforge_raster.node');
const stampFile = path.join(nativeDir, 'build', 'Release', 'headforge_raster.stamp');
// node-gyp builds in <folder of binding.gyp>/build, so the build runs on a copy of the inputs.
const stageDir = path.join(nativeDir, 'build-next');
const stagedAddon = path.join(stageDir, 'build', 'Release', 'headforge_raster.node');
const force = process.argv.includes('--force');

function log(msg) {
  console.log(`[headforge native] ${msg}`);
}

/** What the build reads from native/ (addon.cpp includes ../../cuda/self_check.h). */
const STAGED_INPUTS = ['binding.gyp', 'src', 'include', 'cuda'];

/** What decides the addon's bytes: binding.gyp, the C++ sources and headers (the CUDA loader's included). */
function addonInputsHash() {
  const isHeader = (f) => /\.(h|hpp)$/.test(f);
  return inputsHash(
    nativeDir,
    [{ dir: 'binding.gyp' }, { dir: 'src' }, { dir: 'include' }, { dir: 'cuda', keep: isHeader }],
    [process.platform, process.arch, `node-abi-${process.versions.modules}`],
  );
}

function hasCommand(cmd) {
  const r = spawnSync(
    process.platform === 'win32' ? 'where' : 'sh',
    process.platform === 'win32' ? [cmd] : ['-c', `command -v ${cmd}`],
    {
      stdio: 'ignore',
    },
  );
  return r.status === 0;
}

function explainMissing(missing) {
  log(`cannot build the rasterizer addon: missing ${missing.join(', ')}.`);
  log('HeadForge will run, but Gaussian optimisation and previews report "native addon missing".');
  if (process.platform === 'linux')
    log('Install the build tools, e.g. Debian/Ubuntu: sudo apt-get install -y g++ make python3');
  else if (process.platform === 'darwin')
    log('Install the build tools: xcode-select --install (and python3)');
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

/** node-gyp configure + build in native/build-next: 'built' (the staged addon is there), 'failed' or 'killed'. */
function buildStaged(gyp) {
  fs.mkdirSync(stageDir, { recursive: true });
  fs.writeFileSync(path.join(stageDir, '.gitignore'), '# staging build of scripts/postinstall.mjs\n*\n');
  // Fresh copies (a source deleted in native/ must not linger); the times are kept so make recompiles
  // only what changed since the objects in build-next/build were made.
  for (const input of STAGED_INPUTS) {
    fs.rmSync(path.join(stageDir, input), { recursive: true, force: true });
    fs.cpSync(path.join(nativeDir, input), path.join(stageDir, input), {
      recursive: true,
      preserveTimestamps: true,
    });
  }
  fs.rmSync(stagedAddon, { force: true });
  const nodedir = localNodeDir();
  const common = ['--directory', stageDir, ...(nodedir ? [`--nodedir=${nodedir}`] : [])];
  log(`building (${nodedir ? `headers from ${nodedir}` : 'node-gyp headers'}) ...`);
  for (const step of [['configure'], ['build', '-j', String(Math.max(1, os.cpus().length))]]) {
    const r = spawnSync(process.execPath, [gyp, ...step, ...common], {
      cwd: root,
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    if (r.status !== 0) {
      log(`node-gyp ${step[0]} FAILED (exit ${r.status ?? r.signal}). See the compiler output above.`);
      // A compile error is remembered (not retried until the sources change); a kill is not.
      return r.status === null ? 'killed' : 'failed';
    }
  }
  return fs.existsSync(stagedAddon) ? 'built' : 'failed';
}

/** Copies the staged addon beside the live one, then renames it over: a loader sees old or new, never none. */
function install() {
  fs.mkdirSync(path.dirname(addon), { recursive: true });
  const tmp = `${addon}.tmp-${process.pid}`;
  fs.copyFileSync(stagedAddon, tmp);
  fs.renameSync(tmp, addon);
}

function main() {
  if (process.env.HEADFORGE_SKIP_NATIVE === '1') {
    log('skipped (HEADFORGE_SKIP_NATIVE=1)');
    return;
  }
  const hash = addonInputsHash();
  const stamp = readStamp(stampFile);
  if (!force && stamp?.hash === hash && stamp.ok && fs.existsSync(addon)) {
    log('addon up to date (sources unchanged since its build)');
    return;
  }
  if (!force && stamp?.hash === hash && !stamp.ok) {
    log('the last build of these sources failed; not retrying (npm run build:native -- --force retries)');
    return;
  }
  const gyp = path.join(root, 'node_modules', 'node-gyp', 'bin', 'node-gyp.js');
  if (!fs.existsSync(gyp)) {
    log('node-gyp is not installed (dev dependencies missing?): skipping the addon build.');
    return;
  }
  if (process.platform !== 'win32') {
    const missing = ['g++', 'make', 'python3'].filter(
      (c) => !(c === 'g++' ? hasCommand('g++') || hasCommand('c++') : hasCommand(c)),
    );
    if (missing.length > 0) {
      explainMissing(missing);
      return;
    }
  }
  withLock(
    path.join(nativeDir, 'build-next.lock'),
    () => {
      // Another install may have built these sources while this one waited for the lock.
      const now = readStamp(stampFile);
      if (!force && now?.hash === hash && now.ok && fs.existsSync(addon)) {
        log('addon up to date (built by the install this one waited for)');
        return;
      }
      const t0 = Date.now();
      const outcome = buildStaged(gyp);
      if (outcome === 'built') {
        install();
        writeStamp(stampFile, hash, true);
        log(`built ${path.relative(root, addon)} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
        return;
      }
      if (outcome === 'failed') writeStamp(stampFile, hash, false);
      if (fs.existsSync(addon)) log('the previous addon stays in place (built from older sources)');
      explainMissing(['a working C++17 toolchain (g++ >= 9), make, python3']);
    },
    log,
  );
}

try {
  console.log(`[headforge cli] ${linkCliBin(root)}`);
} catch (err) {
  console.log(`[headforge cli] could not link node_modules/.bin/headforge: ${err instanceof Error ? err.message : String(err)}`);
}
try {
  main();
} catch (err) {
  log(`build skipped after an unexpected error: ${err instanceof Error ? err.message : String(err)}`);
}
