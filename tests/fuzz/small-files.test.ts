/**
 * Issue 20's "small files, gigabytes" inputs as regression tests: each is refused with the format's
 * error naming the problem, before any allocation in proportion to the lie (checked through the
 * process's ArrayBuffer memory, not wall time).
 */
import { describe, expect, it } from 'vitest';
import { readGlb, writeGlb } from '../../src/shared/splat/gltf';
import { readPly, writePly } from '../../src/shared/splat/ply';
import { SplatFormatError } from '../../src/shared/splat/errors';
import { joinGlb, randomCloud, rng } from './mutate';

/** Run `fn`, expecting a SplatFormatError matching `message`; returns the ArrayBuffer bytes it grew by. */
function refusedCheaply(fn: () => unknown, message: RegExp): number {
  const before = process.memoryUsage().arrayBuffers;
  let thrown: unknown = null;
  try {
    fn();
  } catch (err) {
    thrown = err;
  }
  const grown = process.memoryUsage().arrayBuffers - before;
  expect(thrown).toBeInstanceOf(SplatFormatError);
  expect((thrown as Error).message).toMatch(message);
  return grown;
}

function glbParts(): { json: Record<string, unknown[]>; bin: Uint8Array } {
  const glb = writeGlb(randomCloud(rng(1), 100, 0));
  const dv = new DataView(glb.buffer, glb.byteOffset);
  const jsonLen = dv.getUint32(12, true);
  const json = JSON.parse(new TextDecoder().decode(glb.subarray(20, 20 + jsonLen))) as Record<
    string,
    unknown[]
  >;
  const binLen = dv.getUint32(20 + jsonLen, true);
  return { json, bin: glb.slice(28 + jsonLen, 28 + jsonLen + binLen) };
}

describe('tiny files that declare gigabytes are refused cheaply (issue 20)', () => {
  it('GLB with byteStride 0 and 10 M elements per accessor (a ~14 KB file)', () => {
    const { json, bin } = glbParts();
    for (const v of json.bufferViews as { byteStride?: number }[]) v.byteStride = 0;
    for (const a of json.accessors as { count: number }[]) a.count = 10_000_000;
    const file = joinGlb(json, bin);
    expect(file.length).toBeLessThan(20_000);
    expect(refusedCheaply(() => readGlb(file), /byteStride/)).toBeLessThan(16 << 20);
  });

  it('GLB with a stride smaller than its elements, a string count, a prototype-named component type', () => {
    const cases: [(j: Record<string, unknown[]>) => void, RegExp][] = [
      [(j) => ((j.bufferViews[0] as { byteStride: number }).byteStride = 4), /byteStride.*smaller/],
      [(j) => ((j.accessors[0] as { count: unknown }).count = '10000000'), /accessors\[0\]\.count/],
      [
        (j) => ((j.accessors[1] as { componentType: unknown }).componentType = 'constructor'),
        /componentType/,
      ],
      [(j) => ((j.accessors[1] as { type: unknown }).type = 'toString'), /accessors\[1\]\.type/],
      [(j) => ((j.bufferViews[2] as { byteOffset: unknown }).byteOffset = 1.5), /byteOffset/],
      [(j) => (j.meshes = 5 as never), /meshes must be an array/],
      [(j) => (j.meshes[0] = null), /meshes\[0\] must be an object/],
    ];
    for (const [edit, message] of cases) {
      const { json, bin } = glbParts();
      edit(json);
      expect(refusedCheaply(() => readGlb(joinGlb(json, bin)), message)).toBeLessThan(16 << 20);
    }
    expect(
      refusedCheaply(() => readGlb(joinGlb([], new Uint8Array(0))), /root must be an object/),
    ).toBeLessThan(1 << 20);
  });

  it("PLY whose property type is 'constructor' or 'toString', declaring 3 M vertices (an 11 KB file)", () => {
    const good = new TextDecoder('latin1').decode(
      writePly(randomCloud(rng(2), 40, 0), { variant: 'compact' }),
    );
    for (const typeName of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
      const evil = good
        .replace('element vertex 40', 'element vertex 3000000')
        .replace('property float opacity', `property ${typeName} opacity`);
      const bytes = new Uint8Array([...evil].map((c) => c.charCodeAt(0) & 0xff));
      expect(bytes.length).toBeLessThan(12_000);
      expect(
        refusedCheaply(() => readPly(bytes), /bad property/),
        typeName,
      ).toBeLessThan(16 << 20);
      const listEvil = good.replace('property float opacity', `property list ${typeName} float opacity`);
      expect(() => readPly(new Uint8Array([...listEvil].map((c) => c.charCodeAt(0) & 0xff)))).toThrow(
        SplatFormatError,
      );
    }
  });

  it('PLY declaring 3 M float vertices with 40 rows present', () => {
    const good = new TextDecoder('latin1').decode(
      writePly(randomCloud(rng(3), 40, 0), { variant: 'compact' }),
    );
    const bytes = new Uint8Array(
      [...good.replace('element vertex 40', 'element vertex 3000000')].map((c) => c.charCodeAt(0)),
    );
    expect(refusedCheaply(() => readPly(bytes), /truncated/)).toBeLessThan(16 << 20);
  });
});
