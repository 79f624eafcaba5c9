#!/usr/bin/env node
/**
 * Builds the optional CUDA rasterizer backend, native/cuda/*.cu -> native/build-cuda/libheadforge_cuda.so,
 * when nvcc is found (PATH, then $CUDA_HOME/bin, then $CUDA_PATH/bin). Run by `npm install` after the main
 * addon (scripts/postinstall.mjs). The main addon never links CUDA: it dlopen()s this library at run time
 * and falls back to the CPU backend with the reason (native/cuda/cuda_loader.h).
 *
 * It NEVER fails the install: no nvcc, a compiler error or a timeout prints one line (the compiler output
 * goes to native/build-cuda/build.log) and exits 0. The library lives outside native/build because
 * `node-gyp rebuild` deletes that folder.
 *
 *   HEADFORGE_SKIP_CUDA_BUILD=1   skip it
 *   HEADFORGE_CUDA_ARCH=86        SASS for that compute capability (default 75: Turing, the oldest CUDA 13
 *                                 supports) plus PTX of the same, which newer GPUs JIT-compile on first use
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { inputsHash, readStamp, writeStamp } from './native-stamp.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// HEADFORGE_CUDA_OUT_DIR: another output folder (the build-script tests use one, never the real build).
const outDir = process.env.HEADFORGE_CUDA_OUT_DIR
  ? path.resolve(process.env.HEADFORGE_CUDA_OUT_DIR)
  : path.join(root, 'native', 'build-cuda');
const library = path.join(outDir, 'libheadforge_cuda.so');
const logFile = path.join(outDir, 'build.log');
// Hash of the inputs of the last build (native-stamp.mjs): an unchanged build is skipped, so the install
// npm reruns on the first `npx headforge` does not recompile for half a minute.
const stampFile = path.join(outDir, 'libheadforge_cuda.stamp');
const TIMEOUT_MS = 240_000; // a hung compiler must not hang `npm ci`

function log(msg) {
  console.log(`[headforge cuda] ${msg}`);
}

/** nvcc's path, or undefined. */
function findNvcc() {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (dir && fs.existsSync(path.join(dir, 'nvcc'))) return path.join(dir, 'nvcc');
  }
  for (const home of [process.env.CUDA_HOME, process.env.CUDA_PATH]) {
    if (home && fs.existsSync(path.join(home, 'bin', 'nvcc'))) return path.join(home, 'bin', 'nvcc');
  }
  return undefined;
}

/** nvcc arguments for one compute capability (digits, e.g. "75"). */
export function nvccArgs(arch, output) {
  return [
    '-std=c++17',
    '-O3',
    // No fused multiply-add: the blending must round like the CPU backend's for the parity test.
    '--fmad=false',
    '-Xcompiler',
    '-fPIC,-fvisibility=hidden,-Wall,-Wextra',
    '-I',
    path.join(root, 'native', 'include'),
    '-gencode',
    `arch=compute_${arch},code=[sm_${arch},compute_${arch}]`,
    // Static runtime: the library needs only the driver (libcuda.so.1) at run time, and loads (then says
    // "no CUDA device") on a machine without one.
    '-cudart',
    'static',
    '-shared',
    '-Xlinker',
    '-z,defs',
    '-o',
    output,
    path.join(root, 'native', 'cuda', 'cuda_backend.cu'),
  ];
}

function main() {
  if (process.env.HEADFORGE_SKIP_CUDA_BUILD === '1') {
    log('skipped (HEADFORGE_SKIP_CUDA_BUILD=1); the rasterizer uses the CPU backend');
    return;
  }
  if (process.platform !== 'linux') {
    log(
      `skipped: the CUDA backend is built on Linux only (this is ${process.platform}); the rasterizer uses the CPU backend`,
    );
    return;
  }
  const nvcc = findNvcc();
  if (!nvcc) {
    log(
      'nvcc not found (PATH, CUDA_HOME, CUDA_PATH): CUDA backend not built; the rasterizer uses the CPU backend',
    );
    return;
  }
  const arch = process.env.HEADFORGE_CUDA_ARCH ?? '75';
  if (!/^\d{2,3}$/.test(arch)) {
    log(
      `HEADFORGE_CUDA_ARCH must be a compute capability like 75 or 86, got '${arch}': CUDA backend not built`,
    );
    return;
  }
  const native = path.join(root, 'native');
  const hash = inputsHash(
    native,
    [{ dir: 'cuda' }, { dir: 'include' }],
    [nvcc, ...nvccArgs(arch, 'OUT')],
  );
  const stamp = readStamp(stampFile);
  if (!process.argv.includes('--force') && stamp?.hash === hash) {
    if (stamp.ok && fs.existsSync(library)) {
      log('CUDA library up to date (sources unchanged since its build)');
      return;
    }
    if (!stamp.ok) {
      log(
        `the last CUDA build of these sources failed (${path.relative(root, logFile)}); not retrying (node scripts/build-cuda.mjs --force retries)`,
      );
      return;
    }
  }
  fs.mkdirSync(outDir, { recursive: true });
  fs.writeFileSync(path.join(outDir, '.gitignore'), '# build output of scripts/build-cuda.mjs\n*\n');
  const temp = `${library}.tmp-${process.pid}`;
  const t0 = Date.now();
  const r = spawnSync(nvcc, nvccArgs(arch, temp), { cwd: root, encoding: 'utf8', timeout: TIMEOUT_MS });
  fs.writeFileSync(logFile, `${nvcc} ${nvccArgs(arch, temp).join(' ')}\n${r.stdout ?? ''}${r.stderr ?? ''}`);
  const seconds = ((Date.now() - t0) / 1000).toFixed(1);
  if (r.status === 0 && fs.existsSync(temp)) {
    fs.renameSync(temp, library); // atomic: a process loading the old library never sees half a file
    writeStamp(stampFile, hash, true);
    const warnings = /warning/i.test(`${r.stdout}${r.stderr}`)
      ? ` (compiler warnings: ${path.relative(root, logFile)})`
      : '';
    log(`built ${path.relative(root, library)} in ${seconds} s (sm_${arch} + PTX)${warnings}`);
    return;
  }
  fs.rmSync(temp, { force: true });
  fs.rmSync(library, { force: true }); // never leave a stale library from an older build behind
  // A compile error is remembered (not retried until the sources change); a timeout or a kill is not.
  if (typeof r.status === 'number' && !r.error) writeStamp(stampFile, hash, false);
  const why = r.error
    ? r.error.message
    : r.signal
      ? `killed by ${r.signal} after ${seconds} s`
      : `exit ${r.status}`;
  log(
    `CUDA backend build FAILED (${why}); the rasterizer uses the CPU backend. Compiler output: ${path.relative(root, logFile)}`,
  );
}

try {
  main();
} catch (err) {
  log(
    `CUDA backend not built after an unexpected error: ${err instanceof Error ? err.message : String(err)}`,
  );
}
process.exitCode = 0;
