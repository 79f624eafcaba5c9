/**
 * SPZ v4's zstd streams are checked against the sizes the container declares before fzstd decodes
 * them: fzstd runs as many sequences as a block header claims, so two 343-byte files the fuzzer found
 * (a 17-byte block that ends after its literals, so fzstd read a count of 56,782 and 20,210 sequences
 * from the bytes after it, for 180 bytes of output) cost it 1-5 s of CPU before it refused them. Real
 * files, from one block to many, still read.
 */
import { describe, expect, it } from 'vitest';
import { encodeSplatFile } from '../../src/engine/splat-io/encode-file';
import { makeTestCloud } from '../../src/shared/gaussians/testing';
import { SplatFormatError } from '../../src/shared/splat/errors';
import { decodeSplat } from '../../src/shared/splat/index';
import { checkZstdFrame } from '../../src/shared/splat/zstd-frame-check';

// Both found by `npm run fuzz` (target 'SPZ v4'); 4 Gaussians, SH degree 3, stream 5 damaged.
const FOUND = [
  '4e4753500400000004000000030c0006200000000000000000000000000000002d0000000000000024000000000000000d00000000000000040000000000000015000000000000000c0000000000000015000000000000000c00000000000000190000000000000010000000000000005a00000000000000b40000000000000028b52ffd2024210100f90a007a0900c8f1fffd05002d0b0086070076f0ff29f5ff9c08000505005df0ff4b060028b52ffd20042100005f267dcd28b52ffd200c6100009a9fa25c6da4985b607a7f8728b52ffd200c61000052656a655066696c7072677a28b52ffd2010810000251a56bc77d4984244db5b044eee24fc28b52ffd20b48d0000807f130fc025c3016e98e8139944a6ffffffce5e145bc38c9578849967d7704130204878ce958a2f9770d5724f07c040b0ddcb793cdc8e2754d35c0b4184a1e0f7b043abdc7ff6f2653242201c040e1100',
  '4e4753500400000004000000030c0006200000000000000000830000000000002d0000000000000024000000000000000d00000000000000040000000000000015000000000000000c0000000000000015000000000000000c00000000000000190000000000000010000000000000005a00000000000000b40000000000000028b52ffd20242101008ef4ff1d0400fc0c002af4ff9ff5ff91050024f9fff8f1ffc3000077fcff82fcff3ff0ff28b52ffd2004210000a1de0ee828b52ffd200c61000066a0687f64a564889988708628b52ffd200c61000052545f767d7a765178766f5728b52ffd20108100004338b2e0fa5230db3f87f52844b33ada28b52ffd20b48d0000807f130ec0251d6e98c82432a9beffffffcef244a32fe59534779e956c1e44004004c028322aed1dfdf13929add7f49afbb3fe5b99d3afafa5347a12c2208421ac6e7567abe42aa92daa374504c6c11400',
].map((hex) => Uint8Array.from(Buffer.from(hex, 'hex')));

describe('SPZ v4: zstd frames are checked before fzstd decodes them', () => {
  it('the two fuzzer finds are a format error naming stream 5: its block ends before its sequences header', () => {
    expect(FOUND.map((b) => b.length)).toEqual([343, 343]);
    for (const [i, bytes] of FOUND.entries()) {
      let thrown: unknown;
      try {
        decodeSplat(bytes, 'found.spz');
      } catch (err) {
        thrown = err;
      }
      expect(thrown, `input ${i}`).toBeInstanceOf(SplatFormatError);
      expect((thrown as Error).message).toMatch(
        /^SPZ: v4 stream 5 holds a compressed block with no sequences header/,
      );
    }
  });

  it('real v4 files still read: one block per stream, and streams of several 128 KB blocks', async () => {
    for (const [count, sh] of [
      [1, 0],
      [300, 3],
      [60_000, 1],
    ] as const) {
      const bytes = await encodeSplatFile(makeTestCloud(count, sh, 5), 'spz', { spzVersion: 4 });
      const cloud = decodeSplat(bytes, 'ok.spz');
      expect([cloud.count, cloud.shDegree]).toEqual([count, sh]);
    }
  }, 60_000);

  it('frame problems are named: wrong magic, a content size other than the declared, trailing bytes, truncation', async () => {
    const bytes = await encodeSplatFile(makeTestCloud(50, 0, 2), 'spz', { spzVersion: 4 });
    const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const toc = dv.getUint32(16, true);
    const start = toc + 5 * 16;
    const frame = bytes.slice(start, start + Number(dv.getBigUint64(toc, true)));
    expect(checkZstdFrame(frame, 450)).toBeNull();
    expect(checkZstdFrame(frame, 451)).toMatch(/declares 450 bytes of content, not 451/);
    const magic = frame.slice();
    magic[0] ^= 1;
    expect(checkZstdFrame(magic, 450)).toMatch(/zstd magic/);
    expect(checkZstdFrame(new Uint8Array([...frame, 0]), 450)).toMatch(/1 bytes after the end/);
    expect(checkZstdFrame(frame.subarray(0, frame.length - 1), 450)).toMatch(/truncated/);
  });

  it('a block claiming more sequences than its output can hold (each writes >= 3 bytes) is refused', () => {
    // magic | descriptor 0x20 (single segment, 1-byte content size) | content size 180 |
    // block header (last, compressed, 22 bytes) | raw literals: header 16 << 3, 16 bytes |
    // 3-byte sequence count 0xff 0xff 0xff (0xffff + 0x7f00 = 98,047) | modes byte | 1 byte of bitstream
    const block = [16 << 3, ...new Array<number>(16).fill(7), 0xff, 0xff, 0xff, 0x00, 0x80];
    const header = 1 | (2 << 1) | (block.length << 3);
    const frame = Uint8Array.from([
      0x28,
      0xb5,
      0x2f,
      0xfd,
      0x20,
      180,
      header & 255,
      header >> 8,
      0,
      ...block,
    ]);
    expect(checkZstdFrame(frame, 180)).toBe(
      'holds a compressed block that produces at least 294157 bytes with 180 allowed',
    );
  });
});
