/**
 * scripts/build-cuda.mjs (run by `npm install`): it must never fail the install. Skipped by the env
 * switch, without nvcc, with a compiler that fails: exit 0 and one clear line; a successful compile
 * lands the library atomically. A stand-in `nvcc` (a shell script) plays the compiler, and the output
 * goes to a temporary folder (HEADFORGE_CUDA_OUT_DIR), never native/build-cuda.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const repoRoot = path.resolve(__dirname, '../..');
const script = path.join(repoRoot, 'scripts', 'build-cuda.mjs');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hf-cuda-build-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** A folder holding an executable `nvcc` with this shell body. */
function fakeNvcc(name: string, body: string): string {
  const dir = path.join(tmp, name);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'nvcc'), `#!/bin/sh\n${body}\n`, { mode: 0o755 });
  return dir;
}

function runScript(env: Record<string, string>, outDir: string) {
  const base: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env))
    if (v !== undefined && !/^(CUDA_HOME|CUDA_PATH|HEADFORGE_)/.test(k)) base[k] = v;
  const r = spawnSync(process.execPath, [script], {
    env: { ...base, HEADFORGE_CUDA_OUT_DIR: outDir, ...env },
    encoding: 'utf8',
  });
  return { status: r.status, lines: r.stdout.trim().split('\n').filter(Boolean), stderr: r.stderr };
}

describe('scripts/build-cuda.mjs', () => {
  it('HEADFORGE_SKIP_CUDA_BUILD=1: one line, exit 0, nothing built', () => {
    const out = path.join(tmp, 'skip');
    const r = runScript({ HEADFORGE_SKIP_CUDA_BUILD: '1' }, out);
    expect(r.status).toBe(0);
    expect(r.lines).toEqual([
      '[headforge cuda] skipped (HEADFORGE_SKIP_CUDA_BUILD=1); the rasterizer uses the CPU backend',
    ]);
    expect(fs.existsSync(out)).toBe(false);
  });

  it('no nvcc on PATH (and no CUDA_HOME): one line, exit 0', () => {
    const out = path.join(tmp, 'none');
    const r = runScript({ PATH: fakeNvcc('empty-bin', 'exit 0').replace(/$/, '-nothing-here') }, out);
    expect(r.status).toBe(0);
    expect(r.lines).toEqual([expect.stringMatching(/^\[headforge cuda\] nvcc not found .*CPU backend$/)]);
    expect(fs.existsSync(path.join(out, 'libheadforge_cuda.so'))).toBe(false);
  });

  it('a failing compiler: exit 0, one FAILED line naming the log, the log holds the error, a stale library is removed', () => {
    const out = path.join(tmp, 'fail');
    fs.mkdirSync(out, { recursive: true });
    fs.writeFileSync(path.join(out, 'libheadforge_cuda.so'), 'stale library from an older build');
    const bin = fakeNvcc('failing', 'echo "cuda_backend.cu(1): error: boom" >&2; exit 2');
    const r = runScript({ PATH: `${bin}:${process.env.PATH ?? ''}` }, out);
    expect(r.status).toBe(0);
    expect(r.lines).toHaveLength(1);
    expect(r.lines[0]).toMatch(
      /^\[headforge cuda\] CUDA backend build FAILED \(exit 2\); the rasterizer uses the CPU backend\. Compiler output: .*build\.log$/,
    );
    expect(fs.readFileSync(path.join(out, 'build.log'), 'utf8')).toContain('error: boom');
    expect(fs.existsSync(path.join(out, 'libheadforge_cuda.so'))).toBe(false);
  });

  it('a working compiler: the library lands under its final name (nvcc gets one -gencode with SASS + PTX)', () => {
    const out = path.join(tmp, 'ok');
    // Writes its arguments to the -o file, standing in for the shared library.
    const bin = fakeNvcc(
      'working',
      'prev=""; for a in "$@"; do if [ "$prev" = "-o" ]; then echo "$@" > "$a"; fi; prev="$a"; done',
    );
    const r = runScript({ PATH: `${bin}:${process.env.PATH ?? ''}`, HEADFORGE_CUDA_ARCH: '86' }, out);
    expect(r.status).toBe(0);
    expect(r.lines).toEqual([
      expect.stringMatching(
        /^\[headforge cuda\] built .*libheadforge_cuda\.so in [\d.]+ s \(sm_86 \+ PTX\)$/,
      ),
    ]);
    const args = fs.readFileSync(path.join(out, 'libheadforge_cuda.so'), 'utf8');
    expect(args).toContain('-gencode arch=compute_86,code=[sm_86,compute_86]');
    expect(args).toContain('--fmad=false');
    expect(fs.readdirSync(out).filter((f) => f.includes('.tmp-'))).toEqual([]);
  });

  it('a second install with unchanged sources does not run nvcc again (the first `npx headforge` reruns the install)', () => {
    const out = path.join(tmp, 'again');
    const count = path.join(tmp, 'again-calls');
    const bin = fakeNvcc(
      'counting',
      `echo x >> '${count}'; prev=""; for a in "$@"; do if [ "$prev" = "-o" ]; then echo lib > "$a"; fi; prev="$a"; done`,
    );
    const env = { PATH: `${bin}:${process.env.PATH ?? ''}` };
    expect(runScript(env, out).lines[0]).toMatch(/built .*libheadforge_cuda\.so/);
    expect(runScript(env, out).lines).toEqual([
      '[headforge cuda] CUDA library up to date (sources unchanged since its build)',
    ]);
    expect(fs.readFileSync(count, 'utf8').trim().split('\n')).toHaveLength(1);
  });

  it('a malformed HEADFORGE_CUDA_ARCH is refused in one line, exit 0', () => {
    const bin = fakeNvcc('never-run', 'exit 1');
    const r = runScript(
      { PATH: `${bin}:${process.env.PATH ?? ''}`, HEADFORGE_CUDA_ARCH: 'sm_86; rm -rf /' },
      path.join(tmp, 'arch'),
    );
    expect(r.status).toBe(0);
    expect(r.lines).toEqual([
      expect.stringMatching(/^\[headforge cuda\] HEADFORGE_CUDA_ARCH must be a compute capability/),
    ]);
  });
});
