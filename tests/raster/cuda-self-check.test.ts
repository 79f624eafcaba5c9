/**
 * The CUDA backend's start-up self-check (native/cuda/self_check.h, run by selectBackend in
 * native/cuda/cuda_loader.h): before `auto` lets training use CUDA, one small scene is rendered forward
 * and backward on the CPU and on CUDA and compared; a mismatch falls back to the CPU with the reason.
 * No GPU needed:
 *  - the comparison itself, through the addon's selfCheckForTest hook: CPU vs CPU passes, CPU vs a CPU
 *    wrapper that perturbs one output fails and names what differed;
 *  - the selection, with a stand-in "CUDA library" compiled here by g++ against the same ABI header: its
 *    backend is the addon's own CPU backend (found with dlsym), optionally perturbed. Each case runs in a
 *    child process because the choice is made once per process and reads its environment.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nativeAddon } from '../../src/engine/raster/native-addon';

const repoRoot = path.resolve(__dirname, '../..');
const addonPath = path.join(repoRoot, 'native', 'build', 'Release', 'headforge_raster.node');

interface SelfCheckOutcome {
  passed: boolean;
  failure: string;
  visibleGaussians: number;
  opaquePixels: number;
}
/** The test-only hook of native/src/napi/addon.cpp (not part of the typed addon surface). */
function selfCheckForTest(perturbation: string): SelfCheckOutcome {
  const hook = (nativeAddon() as unknown as { selfCheckForTest: (p: string) => SelfCheckOutcome })
    .selfCheckForTest;
  return hook(perturbation);
}

describe('start-up self-check comparison', () => {
  it('passes CPU against CPU on a scene that is not trivially empty', () => {
    const r = selfCheckForTest('none');
    expect(r).toEqual(expect.objectContaining({ passed: true, failure: '' }));
    // 200 Gaussians on a 40x36 view: most visible, a good part of the image covered.
    expect(r.visibleGaussians).toBeGreaterThan(150);
    expect(r.opaquePixels).toBeGreaterThan(200);
  });

  it.each([
    ['image', /^image max diff 0\.31$/],
    ['gradient', /^positions gradient relative L2 0\.01$/],
    ['radii', /^screen radii differ for 1 of 200 Gaussians$/],
    ['nan', /^shDC gradient has non-finite values \(NaN or Inf\)$/],
    ['throw', /^error: CUDA error: an illegal memory access was encountered$/],
  ])('fails against a backend with a perturbed %s and says what differed', (perturbation, failure) => {
    const r = selfCheckForTest(perturbation);
    expect(r.passed).toBe(false);
    expect(r.failure).toMatch(failure);
  });

  it('refuses an unknown perturbation', () => {
    expect(() => selfCheckForTest('bogus')).toThrow(/perturbation must be none, image/);
  });
});

// A stand-in libheadforge_cuda.so: exports the ABI entry points; its backend wraps the addon's CPU backend
// and perturbs it as HF_FAKE_PERTURB says (none | image | throw). Prints "fake create" / "fake forward" on
// stderr so a test can count how often the loader made and checked it.
const fakeLibrarySource = String.raw`
#include <dlfcn.h>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <string>
#include "abi.h"

namespace {
using MakeCpu = std::unique_ptr<hf::Backend> (*)();
class FakeCuda final : public hf::Backend {
 public:
  FakeCuda(std::unique_ptr<hf::Backend> inner, std::string what) : inner_(std::move(inner)), what_(std::move(what)) {}
  std::string name() const override { return "fake-cuda"; }
  std::unique_ptr<hf::ForwardState> newForwardState() const override { return inner_->newForwardState(); }
  void forward(const hf::CloudView& c, const hf::Camera& cam, const hf::RenderSettings& s, hf::RenderOutputs& out,
               hf::ForwardState* st) override {
    std::fprintf(stderr, "fake forward\n");
    if (what_ == "throw") throw std::runtime_error("CUDA error: an illegal memory access was encountered");
    inner_->forward(c, cam, s, out, st);
    if (what_ == "image") out.rgb[out.rgb.size() / 2] += 0.31f;
  }
  void backward(const hf::CloudView& c, const hf::ForwardState& st, const float* dRgb, const float* dA,
                hf::CloudGrads& g) override {
    inner_->backward(c, st, dRgb, dA, g);
  }
 private:
  std::unique_ptr<hf::Backend> inner_;
  std::string what_;
};
}  // namespace

extern "C" unsigned long long hf_cuda_abi_tag() { return HF_CUDA_ABI_TAG; }
extern "C" hf::Backend* hf_cuda_create_backend(char* msg, size_t len) {
  std::fprintf(stderr, "fake create\n");
  void* addon = dlopen(std::getenv("HF_FAKE_ADDON"), RTLD_LAZY | RTLD_NOLOAD);
  auto make = addon ? reinterpret_cast<MakeCpu>(dlsym(addon, "_ZN2hf16createCpuBackendEv")) : nullptr;
  if (!make) { std::snprintf(msg, len, "fake: addon CPU backend not found"); return nullptr; }
  const char* what = std::getenv("HF_FAKE_PERTURB");
  std::snprintf(msg, len, "fake CUDA device");
  return new FakeCuda(make(), what ? what : "none");
}
`;

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hf-cuda-self-check-'));
const fakeLibrary = path.join(tmp, 'libheadforge_cuda.so');
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** Why the stand-in library could not be built (no g++), or undefined once it is. */
let fakeUnavailable: string | undefined;
beforeAll(() => {
  const source = path.join(tmp, 'fake_cuda.cpp');
  fs.writeFileSync(source, fakeLibrarySource);
  const args = [
    '-std=c++17',
    '-shared',
    '-fPIC',
    '-O0',
    '-I',
    path.join(repoRoot, 'native', 'include'),
    '-I',
    path.join(repoRoot, 'native', 'cuda'),
    source,
    '-o',
    fakeLibrary,
    '-ldl',
  ];
  const r = spawnSync('g++', args, { encoding: 'utf8' });
  if (r.error || r.status !== 0)
    fakeUnavailable = `g++ could not build the stand-in CUDA library: ${r.error?.message ?? r.stderr}`;
}, 60_000);

interface ChildRun {
  /** backendInfo() of each call, in order. */
  infos: { backend: string; reason: string }[];
  stderr: string;
}

/** Calls backendInfo() `calls` times in a fresh process that loads the stand-in library. */
function chooseWithFake(perturb: string, pick: string | undefined, calls = 1): ChildRun {
  const script = `const a = require(${JSON.stringify(addonPath)});
    const infos = []; for (let i = 0; i < ${calls}; i++) { const { backend, reason } = a.backendInfo(); infos.push({ backend, reason }); }
    console.log(JSON.stringify(infos));`;
  const env: Record<string, string | undefined> = {
    ...process.env,
    HEADFORGE_CUDA_LIBRARY: fakeLibrary,
    HF_FAKE_ADDON: addonPath,
    HF_FAKE_PERTURB: perturb,
    HEADFORGE_RASTER_BACKEND: pick,
  };
  for (const k of Object.keys(env)) if (env[k] === undefined) delete env[k];
  const r = spawnSync(process.execPath, ['-e', script], { env: env as NodeJS.ProcessEnv, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`child failed (${r.status}): ${r.stderr}`);
  return {
    infos: JSON.parse(r.stdout.trim().split('\n').pop() ?? '[]') as ChildRun['infos'],
    stderr: r.stderr,
  };
}

const count = (text: string, line: string) => text.split('\n').filter((l) => l === line).length;

describe('backend selection runs the start-up check', () => {
  it('auto: a CUDA backend that matches the CPU is used, checked once per process', (ctx) => {
    if (fakeUnavailable) ctx.skip(fakeUnavailable);
    const run = chooseWithFake('none', undefined, 2);
    expect(run.infos).toEqual([
      { backend: 'fake-cuda', reason: 'fake CUDA device' },
      { backend: 'fake-cuda', reason: 'fake CUDA device' },
    ]);
    expect(count(run.stderr, 'fake create')).toBe(2);
    expect(count(run.stderr, 'fake forward')).toBe(1); // the check's render, not repeated
  });

  it('auto: a CUDA backend with a wrong image falls back to the CPU with an actionable reason, cached', (ctx) => {
    if (fakeUnavailable) ctx.skip(fakeUnavailable);
    const run = chooseWithFake('image', 'auto', 2);
    const reason =
      'CUDA backend failed its start-up check against the CPU (image max diff 0.31); using the CPU - please report this';
    expect(run.infos).toEqual([
      { backend: 'cpu', reason },
      { backend: 'cpu', reason },
    ]);
    expect(count(run.stderr, 'fake create')).toBe(1); // the second choice reuses the failed check
  });

  it('auto: a CUDA backend that throws during the check falls back to the CPU with the error', (ctx) => {
    if (fakeUnavailable) ctx.skip(fakeUnavailable);
    const [info] = chooseWithFake('throw', undefined).infos;
    expect(info.backend).toBe('cpu');
    expect(info.reason).toBe(
      'CUDA backend failed its start-up check against the CPU (error: CUDA error: an illegal memory access was encountered); using the CPU - please report this',
    );
  });

  it('HEADFORGE_RASTER_BACKEND=cuda: a mismatch is reported in the reason, CUDA is still used', (ctx) => {
    if (fakeUnavailable) ctx.skip(fakeUnavailable);
    const [info] = chooseWithFake('image', 'cuda').infos;
    expect(info.backend).toBe('fake-cuda');
    expect(info.reason).toBe(
      'fake CUDA device; WARNING: it failed its start-up check against the CPU (image max diff 0.31), results may be wrong - please report this',
    );
  });
});
