import { describe, expect, it } from 'vitest';
import { makeTestCloud } from '../../src/shared/gaussians/testing';
import { readPly, writePly } from '../../src/shared/splat/ply';
import { SplatFormatError } from '../../src/shared/splat/errors';
import { expectBitExact, maxAbsDiff } from './helpers';

const enc = (s: string) => new TextEncoder().encode(s);
function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
function headerOf(bytes: Uint8Array): string {
  const s = new TextDecoder('latin1').decode(bytes.subarray(0, 4096));
  return s.slice(0, s.indexOf('end_header\n') + 'end_header\n'.length);
}

/**
 * What graphdeco-inria/gaussian-splatting writes (construct_list_of_attributes + plyfile) for SH
 * degree 3, spelled out by hand: x y z nx ny nz f_dc_0..2 f_rest_0..44 opacity scale_0..2 rot_0..3.
 */
function inriaHeader(count: number): string {
  const props = ['x', 'y', 'z', 'nx', 'ny', 'nz', 'f_dc_0', 'f_dc_1', 'f_dc_2'];
  for (let i = 0; i < 45; i++) props.push('f_rest_' + i);
  props.push('opacity', 'scale_0', 'scale_1', 'scale_2', 'rot_0', 'rot_1', 'rot_2', 'rot_3');
  return `ply\nformat binary_little_endian 1.0\nelement vertex ${count}\n${props.map((p) => `property float ${p}\n`).join('')}end_header\n`;
}

describe('PLY round trip (tolerance 0)', () => {
  for (const degree of [0, 1, 2, 3] as const)
    it(`full variant, SH ${degree}, bit exact`, () => {
      const cloud = makeTestCloud(257, degree, 11 + degree);
      expectBitExact(cloud, readPly(writePly(cloud)).cloud);
      expectBitExact(cloud, readPly(writePly(cloud, { axes: 'rub' }), { axes: 'rub' }).cloud);
    });
  it('compact variant has the 14 LGM properties and round-trips SH 0 exactly', () => {
    const cloud = makeTestCloud(100, 0, 3);
    const bytes = writePly(cloud, { variant: 'compact' });
    expect(headerOf(bytes)).toContain('element vertex 100\nproperty float x\nproperty float y\nproperty float z\nproperty float f_dc_0');
    expect((headerOf(bytes).match(/property float/g) ?? []).length).toBe(14);
    expect(bytes.length - headerOf(bytes).length).toBe(100 * 14 * 4);
    expectBitExact(cloud, readPly(bytes).cloud);
  });
});

describe('PLY layout', () => {
  it('header matches the original 3DGS writer property for property', () => {
    const bytes = writePly(makeTestCloud(7, 3, 1));
    expect(headerOf(bytes)).toBe(inriaHeader(7));
    expect(bytes.length).toBe(inriaHeader(7).length + 7 * 62 * 4);
  });
  it('f_rest is channel-major and each value lands in its own slot (all coefficients distinct)', () => {
    const cloud = makeTestCloud(3, 3, 8);
    const bytes = writePly(cloud, { axes: 'rub' });
    const dv = new DataView(bytes.buffer, headerOf(bytes).length);
    for (let i = 0; i < 3; i++)
      for (let c = 0; c < 3; c++)
        for (let k = 0; k < 15; k++) {
          const fileValue = dv.getFloat32((i * 62 + 9 + c * 15 + k) * 4, true); // f_rest_{c*15+k}
          expect(fileValue).toBe(cloud.shRest[(i * 15 + k) * 3 + c]);
        }
    // rot_0 is w.
    expect(dv.getFloat32((62 - 4) * 4, true)).toBe(cloud.rotations[0]);
  });
  it("writes RDF axes by default: y and z negated, quaternion (w, x, -y, -z)", () => {
    const cloud = makeTestCloud(2, 0, 8);
    const bytes = writePly(cloud, { variant: 'compact' });
    const dv = new DataView(bytes.buffer, headerOf(bytes).length);
    expect(dv.getFloat32(0, true)).toBe(cloud.positions[0]);
    expect(dv.getFloat32(4, true)).toBe(-cloud.positions[1]);
    expect(dv.getFloat32(8, true)).toBe(-cloud.positions[2]);
    expect(dv.getFloat32(10 * 4, true)).toBe(cloud.rotations[0]);
    expect(dv.getFloat32(12 * 4, true)).toBe(-cloud.rotations[2]);
  });
});

describe('PLY reading variants', () => {
  const cloud = makeTestCloud(5, 1, 21);
  const names = ['x', 'y', 'z', 'f_dc_0', 'f_dc_1', 'f_dc_2', ...Array.from({ length: 9 }, (_, i) => `f_rest_${i}`), 'opacity', 'scale_0', 'scale_1', 'scale_2', 'rot_0', 'rot_1', 'rot_2', 'rot_3'];
  const value = (i: number, name: string): number => {
    const m = /^f_rest_(\d+)$/.exec(name);
    if (m) {
      const j = Number(m[1]);
      return cloud.shRest[(i * 3 + (j % 3)) * 3 + Math.floor(j / 3)];
    }
    const table: Record<string, number> = {
      x: cloud.positions[i * 3], y: cloud.positions[i * 3 + 1], z: cloud.positions[i * 3 + 2],
      f_dc_0: cloud.shDC[i * 3], f_dc_1: cloud.shDC[i * 3 + 1], f_dc_2: cloud.shDC[i * 3 + 2],
      opacity: cloud.opacities[i], scale_0: cloud.scales[i * 3], scale_1: cloud.scales[i * 3 + 1], scale_2: cloud.scales[i * 3 + 2],
      rot_0: cloud.rotations[i * 4], rot_1: cloud.rotations[i * 4 + 1], rot_2: cloud.rotations[i * 4 + 2], rot_3: cloud.rotations[i * 4 + 3],
    };
    return table[name];
  };
  it('reads ASCII PLY', () => {
    let text = `ply\nformat ascii 1.0\ncomment made by hand\nelement vertex 5\n${names.map((n) => `property float ${n}\n`).join('')}end_header\n`;
    for (let i = 0; i < 5; i++) text += names.map((n) => String(value(i, n))).join(' ') + '\n';
    const r = readPly(enc(text), { axes: 'rub' });
    expectBitExact(cloud, r.cloud);
  });
  it('reads big-endian doubles in shuffled order, with unknown properties warned about, and extra elements', () => {
    const shuffled = [...names].reverse();
    const props = ['red', ...shuffled];
    const header = enc(`ply\nformat binary_big_endian 1.0\nelement camera 1\nproperty float fx\nelement vertex 5\n${props.map((n) => `property ${n === 'red' ? 'uchar' : 'double'} ${n}\n`).join('')}end_header\n`);
    const body = new Uint8Array(4 + 5 * (1 + shuffled.length * 8));
    const dv = new DataView(body.buffer);
    dv.setFloat32(0, 500, false);
    let o = 4;
    for (let i = 0; i < 5; i++) {
      dv.setUint8(o++, 200);
      for (const n of shuffled) {
        dv.setFloat64(o, value(i, n), false);
        o += 8;
      }
    }
    const r = readPly(concat(header, body), { axes: 'rub' });
    expectBitExact(cloud, r.cloud);
    expect(r.warnings.join('\n')).toMatch(/unknown vertex properties: red/);
    expect(r.warnings.join('\n')).toMatch(/ignored element 'camera'/);
  });
});

describe('PLY malformed input', () => {
  const good = writePly(makeTestCloud(10, 3, 2));
  const expectError = (bytes: Uint8Array, re: RegExp) => {
    expect(() => readPly(bytes)).toThrow(SplatFormatError);
    expect(() => readPly(bytes)).toThrow(re);
  };
  it('truncated data', () => expectError(good.subarray(0, good.length - 1), /truncated/));
  it('truncated header', () => expectError(good.subarray(0, 100), /end_header/));
  it('wrong magic', () => expectError(concat(enc('plx\n'), good.subarray(4)), /wrong magic/));
  it('vertex count larger than the file', () => {
    const h = headerOf(good);
    expectError(concat(enc(h.replace('element vertex 10', 'element vertex 11')), good.subarray(h.length)), /declares 11 Gaussians/);
  });
  it('a count that would need tens of GB is refused before any allocation', () => {
    const h = headerOf(good);
    const t0 = performance.now();
    expectError(concat(enc(h.replace('element vertex 10', 'element vertex 40000000')), good.subarray(h.length)), /needing 9920000000 bytes/);
    expectError(concat(enc(h.replace('element vertex 10', 'element vertex 4000000000')), good.subarray(h.length)), /exceeds the limit/);
    expect(performance.now() - t0).toBeLessThan(500);
  });
  it('NaN and Inf name the property and vertex', () => {
    const bad = good.slice();
    const dv = new DataView(bad.buffer, headerOf(good).length);
    dv.setFloat32((4 * 62 + 9 + 17) * 4, NaN, true);
    expectError(bad, /non-finite value NaN in property 'f_rest_17' of vertex 4/);
    const bad2 = good.slice();
    new DataView(bad2.buffer, headerOf(good).length).setFloat32((7 * 62 + 56) * 4, -Infinity, true);
    expectError(bad2, /-Infinity in property 'scale_1' of vertex 7/);
    const ascii = `ply\nformat ascii 1.0\nelement vertex 1\n${['x', 'y', 'z', 'f_dc_0', 'f_dc_1', 'f_dc_2', 'opacity', 'scale_0', 'scale_1', 'scale_2', 'rot_0', 'rot_1', 'rot_2', 'rot_3'].map((n) => `property float ${n}\n`).join('')}end_header\n0 0 0 0 0 0 nan 0 0 0 1 0 0 0\n`;
    expectError(enc(ascii), /'opacity' of vertex 0/);
  });
  it('missing core property and odd f_rest count', () => {
    const h = headerOf(good);
    expectError(concat(enc(h.replace('property float opacity', 'property float alpha')), good.subarray(h.length)), /missing vertex property 'opacity'/);
    expectError(concat(enc(h.replace('property float f_rest_44', 'property float extra')), good.subarray(h.length)), /f_rest_0..f_rest_43/);
  });
  it('truncated ASCII body', () => {
    const text = `ply\nformat ascii 1.0\nelement vertex 3\n${['x', 'y', 'z', 'f_dc_0', 'f_dc_1', 'f_dc_2', 'opacity', 'scale_0', 'scale_1', 'scale_2', 'rot_0', 'rot_1', 'rot_2', 'rot_3'].map((n) => `property float ${n}\n`).join('')}end_header\n0 0 0 0 0 0 0 0 0 0 1 0 0 0\n0 0 0 0 0 0 0 0 0 0 1 0 0 0\n0 0 0 0 0 0 0 0 0 0 1 0 0 0\n0 0 0 0 0 0 0 0 0 0 1 0 0 0\n`;
    expect(readPly(enc(text)).cloud.count).toBe(3);
    expectError(enc(text.replace('element vertex 3', 'element vertex 5')), /vertex 4 has 0 values|truncated/);
  });
  it('refuses to write NaN', () => {
    const c = makeTestCloud(3, 0, 1);
    c.positions[4] = NaN;
    expect(() => writePly(c)).toThrow(/positions of Gaussian 1/);
  });
  it('tolerates an unaligned header (fast path with copy) and stays exact', () => {
    const cloud = makeTestCloud(40, 2, 6);
    const bytes = writePly(cloud);
    const h = headerOf(bytes);
    const padded = concat(enc(h.replace('ply\n', 'ply\ncomment x\n')), bytes.subarray(h.length));
    expect(maxAbsDiff(readPly(padded).cloud.shRest, cloud.shRest)).toBe(0);
  });
});
