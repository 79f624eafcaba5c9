import { describe, expect, it } from 'vitest';
import { gunzipSync, gzipSync } from 'fflate';
import { allocateCloud } from '../../src/shared/gaussians/cloud';
import { makeTestCloud } from '../../src/shared/gaussians/testing';
import { readSplat, writeSplat } from '../../src/shared/splat/splat';
import { readSpz, writeSpz } from '../../src/shared/splat/spz';
import { readGlb, writeGlb } from '../../src/shared/splat/gltf';
import { SplatFormatError } from '../../src/shared/splat/errors';
import { expectBitExact, maxAbsDiff, maxAlphaDiff, maxRotationAngle } from './helpers';

describe('.splat (antimatter15)', () => {
  const cloud = makeTestCloud(500, 0, 31);
  it('round-trips within the 8-bit quantisation bound', () => {
    const bytes = writeSplat(cloud);
    expect(bytes.length).toBe(500 * 32);
    const back = readSplat(bytes);
    expect(maxAbsDiff(back.positions, cloud.positions)).toBe(0);
    expect(maxAbsDiff(back.scales, cloud.scales)).toBeLessThan(1e-6); // log(exp(s)) in float32
    expect(maxAbsDiff(back.shDC, cloud.shDC)).toBeLessThanOrEqual(0.5 / 255 / 0.28209479177387814 + 1e-6);
    expect(maxAlphaDiff(back, cloud)).toBeLessThanOrEqual(0.5 / 255 + 1e-6);
    // Each component within 0.5/128 (1/128 where +1 clamps to 255): a few degrees at most.
    expect(maxRotationAngle(back.rotations, cloud.rotations)).toBeLessThan(0.05);
  });
  it('stores RDF positions and w-first rotation bytes', () => {
    const c = allocateCloud(1, 0);
    c.positions.set([1, 2, 3]);
    const dv = new DataView(writeSplat(c).buffer);
    expect([dv.getFloat32(0, true), dv.getFloat32(4, true), dv.getFloat32(8, true)]).toEqual([1, -2, -3]);
    expect(Array.from(writeSplat(c).subarray(28))).toEqual([255, 128, 128, 128]);
  });
  it('rejects bad sizes, zero scales and NaN', () => {
    expect(() => readSplat(new Uint8Array(33))).toThrow(/multiple of 32/);
    const b = writeSplat(cloud);
    new DataView(b.buffer).setFloat32(32 * 3 + 16, 0, true);
    expect(() => readSplat(b)).toThrow(/scale_1 of Gaussian 3/);
    const n = writeSplat(cloud);
    new DataView(n.buffer).setFloat32(32 * 9 + 4, NaN, true);
    expect(() => readSplat(n)).toThrow(/position y of Gaussian 9/);
  });
});

describe('SPZ', () => {
  const cloud = makeTestCloud(400, 3, 41);
  for (const version of [2, 3] as const)
    it(`v${version} round-trips within the quantisation bounds`, () => {
      const back = readSpz(writeSpz(cloud, { version }));
      expect(back.version).toBe(version);
      const c = back.cloud;
      expect(c.shDegree).toBe(3);
      expect(maxAbsDiff(c.positions, cloud.positions)).toBeLessThanOrEqual(0.5 / 4096 + 1e-7);
      expect(maxAlphaDiff(c, cloud)).toBeLessThanOrEqual(0.5 / 255 + 1e-6);
      expect(maxAbsDiff(c.shDC, cloud.shDC)).toBeLessThanOrEqual(0.5 / (0.15 * 255) + 1e-6);
      expect(maxAbsDiff(c.scales, cloud.scales)).toBeLessThanOrEqual(1 / 32 + 1e-6);
      // v3 (smallest three, 9 bits) is tight everywhere. v2 stores x y z in 8 bits and rebuilds
      // w = sqrt(1 - |xyz|^2), which amplifies the error when w is near 0 (a 0.0068 error in |xyz|^2
      // gives up to ~0.12 in w): bound 0.25 rad worst case, median 0.02 rad, 95% under 0.1 rad.
      expect(maxRotationAngle(c.rotations, cloud.rotations)).toBeLessThan(version === 2 ? 0.25 : 0.01);
      const angles = Array.from({ length: c.count }, (_, i) =>
        maxRotationAngle(c.rotations.subarray(i * 4, i * 4 + 4), cloud.rotations.subarray(i * 4, i * 4 + 4)),
      ).sort((a, b) => a - b);
      expect(angles[Math.floor(c.count * 0.5)]).toBeLessThan(0.02);
      expect(angles[Math.floor(c.count * 0.95)]).toBeLessThan(0.1);
      const band1 = (a: Float32Array) => a.filter((_, j) => j % 45 < 9);
      const rest = (a: Float32Array) => a.filter((_, j) => j % 45 >= 9);
      expect(maxAbsDiff(band1(c.shRest), band1(cloud.shRest))).toBeLessThanOrEqual(4.5 / 128 + 1e-6);
      expect(maxAbsDiff(rest(c.shRest), rest(cloud.shRest))).toBeLessThanOrEqual(8.5 / 128 + 1e-6);
    });
  it('keeps SH order: coefficients on the quantisation grid come back exactly, each in its slot', () => {
    const c = makeTestCloud(4, 3, 5);
    // Band 1 on multiples of 8/128, bands 2-3 on multiples of 16/128, neighbours always different.
    for (let i = 0; i < 4; i++)
      for (let k = 0; k < 15; k++)
        for (let ch = 0; ch < 3; ch++) {
          const step = k < 3 ? 8 : 16;
          const level = ((i * 45 + k * 3 + ch) % Math.floor(256 / step)) * step - 128;
          c.shRest[(i * 15 + k) * 3 + ch] = level / 128;
        }
    const back = readSpz(writeSpz(c)).cloud;
    expect(maxAbsDiff(back.shRest, c.shRest)).toBe(0);
  });
  it('writes the v2 layout GaussianSplats3D expects (exact decompressed size, header fields)', () => {
    const raw = gunzipSync(writeSpz(cloud));
    const dv = new DataView(raw.buffer);
    expect(dv.getUint32(0, true)).toBe(0x5053474e);
    expect(dv.getUint32(4, true)).toBe(2);
    expect(dv.getUint32(8, true)).toBe(400);
    expect([raw[12], raw[13]]).toEqual([3, 12]);
    expect(raw.length).toBe(16 + 400 * (9 + 1 + 3 + 3 + 3 + 45));
  });
  it('keeps SPZ in RUB: positions are not flipped', () => {
    const c = allocateCloud(1, 0);
    c.positions.set([0.5, 0.25, -0.125]);
    expect(Array.from(readSpz(writeSpz(c)).cloud.positions)).toEqual([0.5, 0.25, -0.125]);
  });
  const header = (version: number, n: number, sh = 0) => {
    const h = new Uint8Array(16);
    const dv = new DataView(h.buffer);
    dv.setUint32(0, 0x5053474e, true);
    dv.setUint32(4, version, true);
    dv.setUint32(8, n, true);
    h[12] = sh;
    h[13] = 12;
    return h;
  };
  it('rejects wrong magic, gzip-wrapped v4, v5, truncated data, lying counts and gzip bombs without exhausting memory', () => {
    const err = (b: Uint8Array, re: RegExp) => {
      expect(() => readSpz(b)).toThrow(SplatFormatError);
      expect(() => readSpz(b)).toThrow(re);
    };
    err(gzipSync(new Uint8Array(64)), /wrong magic/);
    err(gzipSync(header(4, 1)), /v4 is a zstd container/);
    err(gzipSync(header(5, 1)), /version 5 is not supported/);
    const good = writeSpz(cloud);
    err(good.subarray(0, good.length - 20), /corrupt or truncated/);
    const raw = gunzipSync(good);
    err(gzipSync(raw.subarray(0, raw.length - 1)), /truncated/);
    // Count claims 40M Gaussians (~2.6 GB) inside a tiny file: refused before allocating.
    err(gzipSync(header(2, 40_000_000, 3)), /impossible from/);
    // A bomb: header says 1 Gaussian, then 16 MB of zeros follow (inflation stops at the first excess).
    const bomb = new Uint8Array(16 * 1024 * 1024);
    bomb.set(header(2, 1));
    err(gzipSync(bomb, { level: 1 }), /larger than the/);
  });
});

describe('GLB (KHR_gaussian_splatting)', () => {
  const cloud = makeTestCloud(300, 3, 51);
  it('round-trips: exact except opacity through sigmoid/logit', () => {
    const back = readGlb(writeGlb(cloud));
    for (const k of ['positions', 'scales', 'shDC', 'shRest'] as const)
      expect(maxAbsDiff(back[k], cloud[k]), k).toBe(0);
    expect(maxAlphaDiff(back, cloud)).toBeLessThan(1e-6);
    expect(maxRotationAngle(back.rotations, cloud.rotations)).toBeLessThan(1e-3);
  });
  it('declares the extension, POINTS and every SH attribute in order', () => {
    const bytes = writeGlb(cloud);
    const dv = new DataView(bytes.buffer);
    const json = JSON.parse(new TextDecoder().decode(bytes.subarray(20, 20 + dv.getUint32(12, true))));
    expect(json.extensionsUsed).toEqual(['KHR_gaussian_splatting']);
    const prim = json.meshes[0].primitives[0];
    expect(prim.mode).toBe(0);
    expect(prim.extensions.KHR_gaussian_splatting).toMatchObject({
      kernel: 'ellipse',
      colorSpace: 'srgb_rec709_display',
    });
    const attrs = Object.keys(prim.attributes);
    expect(attrs).toContain('COLOR_0');
    expect(attrs.filter((a) => a.includes('SH_DEGREE')).length).toBe(16);
    expect(json.accessors[prim.attributes.POSITION].min).toHaveLength(3);
    // SH_DEGREE_2_COEF_1 is shRest coefficient k = 4 of each Gaussian.
    const acc = json.accessors[prim.attributes['KHR_gaussian_splatting:SH_DEGREE_2_COEF_1']];
    const view = json.bufferViews[acc.bufferView];
    const binStart = 20 + dv.getUint32(12, true) + 8;
    const v = new Float32Array(
      bytes.slice(binStart + view.byteOffset, binStart + view.byteOffset + 12).buffer,
    );
    expect(Array.from(v)).toEqual(Array.from(cloud.shRest.subarray(4 * 3, 4 * 3 + 3)));
  });
  it('rejects truncated files, wrong magic and meshes without splats', () => {
    const bytes = writeGlb(makeTestCloud(10, 0, 1));
    expect(() => readGlb(bytes.subarray(0, bytes.length - 4))).toThrow(/truncated/);
    expect(() => readGlb(new Uint8Array(40))).toThrow(/wrong magic/);
    const dv = new DataView(bytes.buffer);
    const jsonLen = dv.getUint32(12, true);
    const text = new TextDecoder()
      .decode(bytes.subarray(20, 20 + jsonLen))
      .replace(/KHR_gaussian_splatting/g, 'KHR_gaussian_splattinX');
    const patched = bytes.slice();
    patched.set(new TextEncoder().encode(text), 20);
    expect(() => readGlb(patched)).toThrow(/no primitive uses/);
  });
});

describe('NaN is refused by every writer', () => {
  const c = makeTestCloud(5, 3, 1);
  c.shRest[3 * 45 + 7] = NaN;
  it.each([
    ['splat', writeSplat],
    ['spz', writeSpz],
    ['glb', writeGlb],
  ] as const)('%s', (_name, write) => {
    expect(() => write(c)).toThrow(/shRest of Gaussian 3/);
  });
  it('sanity: a finite cloud writes', () => expectBitExact(makeTestCloud(2, 0, 1), makeTestCloud(2, 0, 1)));
});
