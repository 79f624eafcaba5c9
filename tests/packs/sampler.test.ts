import { describe, expect, it } from 'vitest';
import { applyGuidance, guidanceRamp } from '../../src/engine/diffusion/guidance';
import { gaussianNoise, philox4x32 } from '../../src/engine/diffusion/noise';
import { eulerStep, sampleEuler, type DenoiserModel } from '../../src/engine/diffusion/sampler';
import { initialNoiseScale, karrasSigmas, preconditioning } from '../../src/engine/diffusion/schedule';
import { xiMix } from '../../src/engine/diffusion/xi-mix';

const hex = (a: Uint32Array) => [...a].map((x) => x.toString(16).padStart(8, '0')).join(' ');

describe('Philox4x32-10 noise', () => {
  it('matches the Random123 known-answer vectors', () => {
    expect(hex(philox4x32([0, 0, 0, 0], [0, 0]))).toBe('6627e8d5 e169c58d bc57ac4c 9b00dbd8');
    expect(hex(philox4x32([0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff], [0xffffffff, 0xffffffff]))).toBe('408f276d 41c83b0e a20bc7c6 6d5451fd');
    expect(hex(philox4x32([0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344], [0xa4093822, 0x299f31d0]))).toBe('d16cfe09 94fdcceb 5001e420 24126ea1');
  });

  it('is a pure function of (seed, tensor, index): prefixes agree, seeds and tensors differ', () => {
    const a = gaussianNoise(7, 0, 1001);
    const b = gaussianNoise(7, 0, 37);
    expect(Array.from(b)).toEqual(Array.from(a.subarray(0, 37)));
    expect(gaussianNoise(8, 0, 37)).not.toEqual(b);
    expect(gaussianNoise(7, 1, 37)).not.toEqual(b);
    expect(gaussianNoise(2 ** 40 + 7, 0, 37)).not.toEqual(b); // high key word is used
  });

  it('is standard normal (mean 0, variance 1, no NaN) over 200k draws', () => {
    const n = 200_000;
    const x = gaussianNoise(123, 0, n);
    let s = 0;
    let s2 = 0;
    let nonFinite = 0;
    for (const v of x) {
      if (!Number.isFinite(v)) nonFinite++;
      s += v;
      s2 += v * v;
    }
    expect(nonFinite).toBe(0);
    expect(Math.abs(s / n)).toBeLessThan(0.01);
    expect(Math.abs(s2 / n - 1)).toBeLessThan(0.01);
  });

  it('rejects seeds that are not non-negative safe integers', () => {
    expect(() => gaussianNoise(-1, 0, 4)).toThrow(/seed/);
    expect(() => gaussianNoise(1.5, 0, 4)).toThrow(/seed/);
  });
});

describe('EDM schedule and SVD preconditioning', () => {
  it('Karras sigmas: endpoints, hand-computed midpoint, trailing zero', () => {
    const s = karrasSigmas(3, 0.002, 700, 7);
    expect(s.length).toBe(4);
    expect(s[0]).toBeCloseTo(700, 9);
    expect(s[1]).toBeCloseTo(15.58996780, 6); // ((700^(1/7) + 0.002^(1/7)) / 2)^7
    expect(s[2]).toBeCloseTo(0.002, 12);
    expect(s[3]).toBe(0);
  });

  it('v-prediction preconditioning at sigma = 2 (sigma_data = 1)', () => {
    const p = preconditioning(2, 'v', 1);
    expect(p.cSkip).toBeCloseTo(0.2, 12);
    expect(p.cOut).toBeCloseTo(-0.894427191, 9);
    expect(p.cIn).toBeCloseTo(0.4472135955, 9);
    expect(p.cNoise).toBeCloseTo(0.1732867951, 9);
    const e = preconditioning(2, 'edm', 0.5);
    expect(e.cSkip).toBeCloseTo(0.25 / 4.25, 12);
    expect(e.cOut).toBeCloseTo(1 / Math.sqrt(4.25), 12);
  });

  it('initial noise scale: sgm sqrt(1 + sigma^2) or sigma', () => {
    expect(initialNoiseScale(700, 'sqrt1p')).toBeCloseTo(700.000714, 5);
    expect(initialNoiseScale(700, 'sigma')).toBe(700);
  });

  it('one Euler step from sigma 2 to 1 equals the hand computation', () => {
    // x = [1, -2], F = [0.5, 0.25]; D = 0.2 x - 0.894427191 F = [-0.2472135955, -0.6236067977]
    // x' = x + (x - D) / 2 * (1 - 2) = [0.3763932023, -1.3118033989]
    const x = Float32Array.from([1, -2]);
    const seen: { input: number[]; cNoise: number }[] = [];
    const model: DenoiserModel = {
      async predict(input, cNoise) {
        seen.push({ input: Array.from(input), cNoise });
        return { cond: Float32Array.from([0.5, 0.25]), uncond: null };
      },
    };
    const sigmas = Float64Array.from([2, 1]);
    return sampleEuler(model, x, { settings: { prediction: 'v', sigmaData: 1, guidanceMin: 1, guidanceMax: 1 }, sigmas, frames: 1 }).then((out) => {
      expect(seen).toHaveLength(1);
      expect(seen[0].input[0]).toBeCloseTo(0.4472135955, 6);
      expect(seen[0].input[1]).toBeCloseTo(-0.894427191, 6);
      expect(seen[0].cNoise).toBeCloseTo(0.1732867951, 9);
      expect(out[0]).toBeCloseTo(0.3763932023, 6);
      expect(out[1]).toBeCloseTo(-1.3118033989, 6);
    });
  });

  it('a final step to sigma 0 lands on the denoised estimate', () => {
    const x = Float32Array.from([3, 4]);
    const den = Float32Array.from([0.5, -1]);
    expect(Array.from(eulerStep(x, den, 0.5, 0))).toEqual([0.5, -1]);
  });
});

describe('guidance ramp over frames', () => {
  it('16 frames from 1.0 to 2.5 in equal steps of 0.1', () => {
    const r = guidanceRamp(16, 1, 2.5);
    expect(r[0]).toBe(1);
    expect(r[15]).toBe(2.5);
    for (let f = 0; f < 16; f++) expect(r[f]).toBeCloseTo(1 + 0.1 * f, 12);
  });

  it('combines per frame: uncond + scale_f (cond - uncond)', () => {
    const cond = Float32Array.from([1, 1, 1, 1]); // 2 frames x 2 values
    const uncond = Float32Array.from([0, 0, 2, 2]);
    applyGuidance(cond, uncond, Float64Array.from([1, 3]));
    expect(Array.from(cond)).toEqual([1, 1, -1, -1]);
  });

  it('the sampler runs the unconditional branch only when guidance is not identity', async () => {
    let withUncondCalls = 0;
    const model: DenoiserModel = {
      async predict(input, _c, withUncond) {
        if (withUncond) withUncondCalls++;
        return { cond: new Float32Array(input.length).fill(1), uncond: withUncond ? new Float32Array(input.length) : null };
      },
    };
    const sigmas = karrasSigmas(2, 0.002, 10, 7);
    await sampleEuler(model, new Float32Array(4), { settings: { prediction: 'v', sigmaData: 1, guidanceMin: 1, guidanceMax: 1 }, sigmas, frames: 2 });
    expect(withUncondCalls).toBe(0);
    await sampleEuler(model, new Float32Array(4), { settings: { prediction: 'v', sigmaData: 1, guidanceMin: 1, guidanceMax: 2.5 }, sigmas, frames: 2 });
    expect(withUncondCalls).toBe(2);
  });

  it('honours an AbortSignal between steps', async () => {
    const ac = new AbortController();
    let calls = 0;
    const model: DenoiserModel = {
      async predict(input) {
        if (++calls === 2) ac.abort();
        return { cond: new Float32Array(input.length), uncond: null };
      },
    };
    const run = sampleEuler(model, new Float32Array(4), {
      settings: { prediction: 'v', sigmaData: 1, guidanceMin: 1, guidanceMax: 1 },
      sigmas: karrasSigmas(10, 0.002, 10, 7),
      frames: 1,
      signal: ac.signal,
    });
    await expect(run).rejects.toThrow();
    expect(calls).toBe(2);
  });
});

describe('stage-2 xi mix', () => {
  const eps = Float32Array.from([1, -1]);
  const j = Float32Array.from([2, 4]);
  it("'scaled-noise': xi1 * s0 * eps + xi2 * j", () => {
    const x = xiMix(eps, j, 0.4, 0.6, 10, 'scaled-noise');
    expect(x[0]).toBeCloseTo(0.4 * 10 + 1.2, 5);
    expect(x[1]).toBeCloseTo(-4 + 2.4, 5);
  });
  it("'mix-then-scale': s0 * (xi1 * eps + xi2 * j)", () => {
    const x = xiMix(eps, j, 0.5, 0.5, 10, 'mix-then-scale');
    expect(Array.from(x)).toEqual([15, 15]);
  });
  it('rejects mismatched sizes', () => {
    expect(() => xiMix(eps, new Float32Array(3), 0.5, 0.5, 1, 'scaled-noise')).toThrow(/xi mix/);
  });
});
