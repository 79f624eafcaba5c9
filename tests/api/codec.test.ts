import { describe, expect, it } from 'vitest';
import { FrameDecodeError, decodeFrame, encodeFrame } from '../../src/shared/rpc/codec';
import { deserializeError, serializeError, StudioError } from '../../src/shared/rpc/errors';

/** A binary frame around hand-written JSON (to forge bad typed-array references). */
function binaryFrame(json: string): Uint8Array {
  const body = new TextEncoder().encode(json);
  const frame = new Uint8Array(8 + body.length);
  frame.set([0x48, 0x46, 0x52, 0x31]);
  new DataView(frame.buffer).setUint32(4, body.length, true);
  frame.set(body, 8);
  return frame;
}

describe('frame codec', () => {
  it('round-trips nested typed arrays bit-exactly, including NaN and unaligned views', () => {
    const backing = new Float32Array([9, 1, Number.NaN, -0, 3.5e-38, Infinity]);
    const msg = {
      kind: 'event',
      event: {
        a: backing.subarray(1), // byteOffset 4: not 8-aligned inside its buffer
        b: new Uint8Array([1, 2, 3]),
        c: [new Int32Array([-5, 7]), new Float64Array([Math.PI])],
        d: new Uint16Array(0),
        plain: { x: 1, s: 'é' },
      },
    };
    const out = decodeFrame(encodeFrame(msg)) as typeof msg;
    expect(out.event.a).toBeInstanceOf(Float32Array);
    expect(new Uint8Array(out.event.a.buffer)).toEqual(new Uint8Array(backing.buffer, 4, 20));
    expect(Object.is(out.event.a[2], -0)).toBe(true);
    expect(Number.isNaN(out.event.a[1])).toBe(true);
    expect(out.event.b).toEqual(new Uint8Array([1, 2, 3]));
    expect(out.event.c[0]).toEqual(new Int32Array([-5, 7]));
    expect(out.event.c[1][0]).toBe(Math.PI);
    expect(out.event.d).toBeInstanceOf(Uint16Array);
    expect(out.event.plain).toEqual({ x: 1, s: 'é' });
  });

  it('carries a 1M-float array as binary: frame size ~ 4 bytes per float', () => {
    const big = new Float32Array(1 << 20).map((_, i) => i * 0.5);
    const frame = encodeFrame({ big });
    expect(frame.byteLength).toBeLessThan(4 * big.length + 128);
    const back = (decodeFrame(frame) as { big: Float32Array }).big;
    expect(back).toBeInstanceOf(Float32Array);
    // Byte comparison: a deep toEqual over 1M elements alone takes seconds.
    expect(Buffer.from(back.buffer).equals(Buffer.from(big.buffer))).toBe(true);
  });

  it('decodes a plain JSON text frame', () => {
    expect(decodeFrame('{"kind":"request","id":1,"method":"listProjects","args":[]}')).toMatchObject({
      method: 'listProjects',
    });
  });

  it('rejects malformed frames with a reason', () => {
    expect(() => decodeFrame('{nope')).toThrow(FrameDecodeError);
    expect(() => decodeFrame(new Uint8Array([0xff, 0xfe, 0x00]))).toThrow(/not valid JSON/);
    const frame = encodeFrame({ a: new Float32Array(4) });
    expect(() => decodeFrame(frame.subarray(0, frame.length - 4))).toThrow(/outside the frame/);
    const truncatedHeader = frame.slice(0, 10);
    expect(() => decodeFrame(truncatedHeader)).toThrow(/claims/);
    expect(() => decodeFrame(binaryFrame('{"a":{"$ta":"Float32Array","o":-8,"n":1}}'))).toThrow(
      /outside the frame/,
    );
    expect(() => decodeFrame(binaryFrame('{"a":{"$ta":"Evil","o":0,"n":1}}'))).toThrow(
      /bad typed-array reference/,
    );
    // Only the typed-array constructors themselves: no inherited names (issue 20).
    for (const name of ['constructor', 'toString', '__proto__', 'hasOwnProperty', 'DataView', 'Array']) {
      expect(() => decodeFrame(binaryFrame(`{"a":{"$ta":"${name}","o":0,"n":0}}`)), name).toThrow(
        FrameDecodeError,
      );
    }
    expect(() => decodeFrame(binaryFrame('{"a":{"$ta":7,"o":0,"n":0}}'))).toThrow(FrameDecodeError);
    // Text frames never carry typed arrays: a "$ta" object there stays a plain object.
    expect(decodeFrame('{"a":{"$ta":"Float32Array","o":0,"n":1}}')).toEqual({
      a: { $ta: 'Float32Array', o: 0, n: 1 },
    });
  });
});

describe('frame codec: allocation bounded by the frame (issue 20)', () => {
  /** A frame whose JSON references one `blobBytes` blob `refs` times. */
  function amplifyingFrame(blobBytes: number, refs: number): Uint8Array {
    const json = new TextEncoder().encode(
      JSON.stringify(Array.from({ length: refs }, () => ({ $ta: 'Uint8Array', o: 0, n: blobBytes }))),
    );
    const blobStart = (8 + json.length + 7) & ~7;
    const frame = new Uint8Array(blobStart + blobBytes);
    frame.set([0x48, 0x46, 0x52, 0x31]);
    new DataView(frame.buffer).setUint32(4, json.length, true);
    frame.set(json, 8);
    return frame;
  }

  it('refuses a frame that references one 1 MB blob 1,000 times, without copying it', () => {
    const frame = amplifyingFrame(1 << 20, 1000);
    expect(frame.length).toBeLessThan(1.1 * (1 << 20));
    const before = process.memoryUsage().arrayBuffers;
    expect(() => decodeFrame(frame)).toThrow(/more bytes than the frame/);
    // At most a couple of copies were made before the refusal (not 1,000 MB).
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(16 << 20);
  });

  it('still decodes a frame that references its blob once, and many distinct arrays', () => {
    expect((decodeFrame(amplifyingFrame(1024, 1)) as Uint8Array[])[0]).toHaveLength(1024);
    expect(() => decodeFrame(amplifyingFrame(1024, 2))).toThrow(FrameDecodeError);
    const many = Array.from({ length: 500 }, (_, i) => new Float32Array(i % 7));
    const out = decodeFrame(encodeFrame({ many })) as { many: Float32Array[] };
    expect(out.many.map((a) => a.length)).toEqual(many.map((a) => a.length));
  });
});

describe('error serialisation', () => {
  it('keeps code, message and details; unknown codes and plain errors become INTERNAL', () => {
    const e = deserializeError(serializeError(new StudioError('DISK_FULL', 'full', { free: 0 })));
    expect(e).toBeInstanceOf(StudioError);
    expect([e.code, e.message, e.details]).toEqual(['DISK_FULL', 'full', { free: 0 }]);
    expect(serializeError(new TypeError('boom'))).toEqual({ code: 'INTERNAL', message: 'boom' });
    expect(deserializeError({ code: 'HACKED', message: 'x' }).code).toBe('INTERNAL');
  });
});
