import { describe, expect, it } from 'vitest';
import { SPLAT_RECORD_BYTES, boundsOf, previewToSplatBytes } from '../../src/renderer/workspace/splat-encode';
import { viewOrderByAzimuth } from '../../src/renderer/workspace/ViewGrid';
import { estimateExportBytes } from '../../src/renderer/workspace/export-estimate';
import { VIEW_AZIMUTHS_DEG } from '../../src/shared/camera';

// Slow, obvious decoder of the 32-byte .splat record (layout in splat-encode.ts).
function decode(bytes: Uint8Array, i: number) {
  const v = new DataView(bytes.buffer, bytes.byteOffset + i * 32, 32);
  const f = (o: number) => v.getFloat32(o, true);
  return {
    pos: [f(0), f(4), f(8)],
    scale: [f(12), f(16), f(20)],
    rgba: [0, 1, 2, 3].map((k) => v.getUint8(24 + k) / 255),
    rot: [0, 1, 2, 3].map((k) => (v.getUint8(28 + k) - 128) / 128),
  };
}

describe('live preview -> .splat bytes', () => {
  const arrays = {
    positions: new Float32Array([0.1, -0.2, 0.3, 1, 2, -3]),
    scales: new Float32Array([0.01, 0.02, 0.03, 0.5, 0.5, 0.5]),
    rotations: new Float32Array([2, 0, 0, 0, 0.5, 0.5, -0.5, 0.5]),
    opacities: new Float32Array([0.25, 1]),
    colors: new Float32Array([1, 0, 0.5, 0.2, 0.4, 1.7]),
  };

  it('round-trips positions and scales exactly, colours/opacity within 1/255, rotations within 1/128', () => {
    const bytes = previewToSplatBytes(arrays);
    expect(bytes.length).toBe(2 * SPLAT_RECORD_BYTES);
    const a = decode(bytes, 0);
    const b = decode(bytes, 1);
    expect(a.pos.map((x) => Math.fround(x))).toEqual([0.1, -0.2, 0.3].map(Math.fround));
    expect(b.scale).toEqual([0.5, 0.5, 0.5]);
    a.rgba.forEach((x, k) => expect(Math.abs(x - [1, 0, 0.5, 0.25][k])).toBeLessThanOrEqual(1 / 255));
    expect(b.rgba[2]).toBe(1); // clamped above 1
    a.rot.forEach((x, k) => expect(Math.abs(x - [1, 0, 0, 0][k])).toBeLessThanOrEqual(1 / 128)); // normalised
    b.rot.forEach((x, k) => expect(Math.abs(x - [0.5, 0.5, -0.5, 0.5][k])).toBeLessThanOrEqual(1 / 128));
    for (const r of [a, b]) for (const x of [...r.pos, ...r.scale, ...r.rgba, ...r.rot]) expect(Number.isNaN(x)).toBe(false);
  });

  it('refuses arrays that disagree on the splat count', () => {
    expect(() => previewToSplatBytes({ ...arrays, colors: new Float32Array(3) })).toThrow(/splat count/);
  });

  it('frames the bounds', () => {
    const b = boundsOf(arrays.positions);
    expect(b.center.map((x) => Math.fround(x))).toEqual([0.55, 0.9, -1.35].map(Math.fround));
    expect(b.radius).toBeCloseTo(Math.hypot(0.9, 2.2, 3.3) / 2, 5);
  });
});

describe('view grid order and export estimate', () => {
  it('orders the 16 views from the left profile through the front to the back', () => {
    const order = viewOrderByAzimuth();
    expect(order).toHaveLength(16);
    expect(new Set(order).size).toBe(16);
    const signed = order.map((i) => VIEW_AZIMUTHS_DEG[i]).map((a) => (a > 180 ? a - 360 : a));
    expect(signed[signed.length - 1]).toBe(180);
    for (let k = 1; k < 15; k++) expect(signed[k]).toBeGreaterThan(signed[k - 1]);
  });

  it('estimates a degree-0 PLY at 62 floats per splat', () => {
    expect(estimateExportBytes('ply', 1000, 0)).toBe(1024 + 1000 * 4 * 17);
    expect(estimateExportBytes('ply', 1000, 3)).toBe(1024 + 1000 * 4 * 62);
    expect(estimateExportBytes('splat', 1000, 3)).toBe(32_000);
  });
});
