/**
 * Backend choice (native/cuda/cuda_loader.h): which backend the addon picks and the reason it gives, for
 * the library missing / unloadable / built, with and without a GPU, and HEADFORGE_RASTER_BACKEND.
 * Each case runs in a child process because the choice reads the environment of the process.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { nativeAddon } from '../../src/engine/raster/native-addon';
import { randomCloud, sceneCamera } from './scenes';

const repoRoot = path.resolve(__dirname, '../..');
const addonPath = path.join(repoRoot, 'native', 'build', 'Release', 'headforge_raster.node');
const builtLibrary = path.join(repoRoot, 'native', 'build-cuda', 'libheadforge_cuda.so');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hf-cuda-choice-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

interface Choice {
  status: number | null;
  info?: { backend: string; reason: string };
  error?: string;
}

/** backendInfo() in a fresh process with `env` added (undefined values removed). */
function chooseIn(env: Record<string, string | undefined>): Choice {
  const script = `try { console.log(JSON.stringify({ info: require(${JSON.stringify(addonPath)}).backendInfo() })); }
    catch (e) { console.log(JSON.stringify({ error: e.message })); }`;
  const childEnv: Record<string, string | undefined> = { ...process.env, HEADFORGE_RASTER_BACKEND: undefined, HEADFORGE_CUDA_LIBRARY: undefined, ...env };
  for (const k of Object.keys(childEnv)) if (childEnv[k] === undefined) delete childEnv[k];
  const r = spawnSync(process.execPath, ['-e', script], { env: childEnv as NodeJS.ProcessEnv, encoding: 'utf8' });
  const line = r.stdout.trim().split('\n').pop() ?? '{}';
  return { status: r.status, ...(JSON.parse(line) as Omit<Choice, 'status'>) };
}

/** An NVIDIA device node exists: the driver is loaded and a GPU may be used. */
const gpuPresent = fs.existsSync('/dev/nvidiactl') || fs.existsSync('/dev/nvidia0');
const missing = path.join(tmp, 'not-built', 'libheadforge_cuda.so');

describe('raster backend choice', () => {
  it('auto without the CUDA library: CPU, and the reason says the library is not built', () => {
    const c = chooseIn({ HEADFORGE_CUDA_LIBRARY: missing });
    expect(c.status).toBe(0);
    expect(c.info?.backend).toBe('cpu');
    expect(c.info?.reason).toMatch(/^CUDA library not built/);
  });

  it('HEADFORGE_RASTER_BACKEND=cuda without the library: a clear error, the process survives', () => {
    const c = chooseIn({ HEADFORGE_RASTER_BACKEND: 'cuda', HEADFORGE_CUDA_LIBRARY: missing });
    expect(c.status).toBe(0);
    expect(c.info).toBeUndefined();
    expect(c.error).toMatch(/HEADFORGE_RASTER_BACKEND=cuda but the CUDA backend is unavailable: CUDA library not built/);
  });

  it('HEADFORGE_RASTER_BACKEND=cpu: CPU even where CUDA could load, and says it was requested', () => {
    const c = chooseIn({ HEADFORGE_RASTER_BACKEND: 'cpu' });
    expect(c.info).toEqual(expect.objectContaining({ backend: 'cpu', reason: 'CPU requested (HEADFORGE_RASTER_BACKEND=cpu)' }));
  });

  it('an unknown HEADFORGE_RASTER_BACKEND value is refused with the allowed values', () => {
    const c = chooseIn({ HEADFORGE_RASTER_BACKEND: 'gpu' });
    expect(c.status).toBe(0);
    expect(c.error).toBe("HEADFORGE_RASTER_BACKEND must be cpu, cuda or auto, got 'gpu'");
  });

  it('a file that is not a loadable library: CPU with the loader error', () => {
    const bogus = path.join(tmp, 'libheadforge_cuda.so');
    fs.writeFileSync(bogus, 'not an ELF file');
    const c = chooseIn({ HEADFORGE_CUDA_LIBRARY: bogus });
    expect(c.info?.backend).toBe('cpu');
    expect(c.info?.reason).toMatch(/^CUDA library failed to load: .*libheadforge_cuda\.so/);
  });

  it('the built library: CUDA where a GPU is present, else CPU with "no CUDA device" and the CUDA error', (ctx) => {
    if (!fs.existsSync(builtLibrary)) ctx.skip(`CUDA library not built here (${path.relative(repoRoot, builtLibrary)}: no nvcc at install)`);
    const auto = chooseIn({});
    const forced = chooseIn({ HEADFORGE_RASTER_BACKEND: 'cuda' });
    if (gpuPresent) {
      expect(auto.info?.backend).toBe('cuda');
      expect(auto.info?.reason).toMatch(/^CUDA device 0: .+, compute \d+\.\d+, \d+ MiB$/);
      expect(forced.info?.backend).toBe('cuda');
    } else {
      expect(auto.info?.backend).toBe('cpu');
      expect(auto.info?.reason).toMatch(/^no CUDA device \(cudaGetDeviceCount: .+\)$/);
      expect(forced.error).toMatch(/^HEADFORGE_RASTER_BACKEND=cuda but the CUDA backend is unavailable: no CUDA device/);
    }
  });

  it('renderBackward(..., "cuda") without a usable GPU rejects with the reason; "cpu" still renders', (ctx) => {
    if (nativeAddon().backendInfo().backend === 'cuda') ctx.skip('a CUDA device is present: cuda-parity.test.ts covers it');
    const cloud = randomCloud(3, { count: 6, shDegree: 0 });
    const cam = sceneCamera(16, 16);
    const w = new Float32Array(16 * 16 * 3).fill(1);
    expect(() => nativeAddon().renderBackward(cloud, cam, {}, w, null, 'cuda')).toThrow(/^CUDA backend unavailable: (no CUDA device|CUDA library)/);
    const cpu = nativeAddon().renderBackward(cloud, cam, {}, w, null, 'cpu');
    expect(cpu.rgb.length).toBe(16 * 16 * 3);
  });
});
