/**
 * Structural check of one zstd frame against the size its container declares, before fzstd runs.
 *
 * fzstd (pure TS, so the renderer can read SPZ v4 too) trusts the block it decodes: a block header
 * claiming 56,782 sequences for 180 bytes of output makes its sequence loop run tens of thousands of
 * copies of up to 131 KB each into a buffer that silently drops the writes (1-5 s of CPU for a
 * 343-byte file). Everything that bounds that work sits in plain headers, so it is read here first
 * (RFC 8878, section 3.1.1):
 *
 *   frame      magic u32 0xFD2FB528 | frame header descriptor u8 | [window descriptor u8]
 *              | [dictionary id 0/1/2/4 B] | [frame content size 0/1/2/4/8 B] | blocks | [checksum u32]
 *   block      header u24 LE (bit 0 last, bits 1-2 type: 0 raw, 1 RLE, 2 compressed, 3 reserved;
 *              bits 3-23 size) then size bytes (RLE: 1 byte repeated size times)
 *   compressed literals section header (1-5 B: type, size format, regenerated and compressed sizes),
 *              its payload, then the sequences header: count (1-3 B) and, when non-zero, a modes byte
 *
 * Every sequence writes a match of at least 3 bytes, so a block regenerating L literals with S
 * sequences produces at least L + 3 S bytes, and no block produces more than 128 KB or more than the
 * frame still has to produce. With those bounds the decoder's work is proportional to the declared
 * output. (A deliberately crafted FSE stream can still ask for long matches within a legal sequence
 * count; the sizes here bound the count, not each match.)
 *
 * Returns null when the frame is plausible, else a sentence saying what is wrong.
 */
const ZSTD_MAGIC = 0xfd2fb528;
const BLOCK_MAX = 128 * 1024;
const MIN_MATCH = 3;

export function checkZstdFrame(frame: Uint8Array, expectedSize: number): string | null {
  const len = frame.length;
  if (len < 6) return 'too short for a zstd frame';
  const magic = (frame[0] | (frame[1] << 8) | (frame[2] << 16) | (frame[3] << 24)) >>> 0;
  if (magic !== ZSTD_MAGIC) return 'does not start with the zstd magic number';
  const fhd = frame[4];
  const fcsFlag = fhd >> 6;
  const singleSegment = (fhd >> 5) & 1;
  if (fhd & 8) return 'sets the reserved bit of the zstd frame header';
  const hasChecksum = (fhd >> 2) & 1;
  const dictBytes = [0, 1, 2, 4][fhd & 3];
  const fcsBytes = [singleSegment ? 1 : 0, 2, 4, 8][fcsFlag];
  let p = 5 + (singleSegment ? 0 : 1) + dictBytes;
  if (p + fcsBytes > len) return 'ends inside the zstd frame header';
  if (fcsBytes > 0) {
    let fcs = 0;
    for (let i = fcsBytes - 1; i >= 0; i--) fcs = fcs * 256 + frame[p + i];
    if (fcsBytes === 2) fcs += 256;
    if (fcs !== expectedSize) return `declares ${fcs} bytes of content, not ${expectedSize}`;
  }
  p += fcsBytes;
  let remaining = expectedSize;
  for (;;) {
    if (p + 3 > len) return 'ends inside a block header (truncated?)';
    const header = frame[p] | (frame[p + 1] << 8) | (frame[p + 2] << 16);
    p += 3;
    const last = header & 1;
    const type = (header >> 1) & 3;
    const size = header >> 3;
    if (type === 3) return 'holds a block of the reserved type';
    if (type === 1) {
      if (p + 1 > len) return 'ends inside an RLE block';
      if (size > remaining) return `holds an RLE block of ${size} bytes with ${remaining} left to produce`;
      remaining -= size;
      p += 1;
    } else {
      if (size > BLOCK_MAX) return `holds a ${size}-byte block (at most ${BLOCK_MAX})`;
      if (p + size > len) return 'ends inside a block (truncated?)';
      if (type === 0) {
        if (size > remaining) return `holds a raw block of ${size} bytes with ${remaining} left to produce`;
        remaining -= size;
      } else {
        const produced = compressedBlockMinOutput(frame.subarray(p, p + size));
        if (typeof produced === 'string') return produced;
        const blockMax = Math.min(BLOCK_MAX, remaining);
        if (produced > blockMax)
          return `holds a compressed block that produces at least ${produced} bytes with ${blockMax} allowed`;
        // A compressed block produces at most blockMax; only its lower bound is known here.
        remaining -= produced;
      }
      p += size;
    }
    if (last) break;
  }
  if (hasChecksum) p += 4;
  if (p > len) return 'ends inside its checksum (truncated?)';
  if (p !== len) return `has ${len - p} bytes after the end of its zstd frame`;
  return null;
}

/** The fewest bytes a compressed block can produce (literals + 3 per sequence), or what is wrong. */
function compressedBlockMinOutput(block: Uint8Array): number | string {
  const len = block.length;
  if (len < 1) return 'holds an empty compressed block';
  const b0 = block[0];
  const litType = b0 & 3;
  const sizeFormat = (b0 >> 2) & 3;
  const at = (i: number) => (i < len ? block[i] : 0);
  let regenerated: number;
  let headerBytes: number;
  let payload: number;
  if (litType < 2) {
    // Size format x0: 1 header byte (5-bit size); 01: 2 bytes (12-bit); 11: 3 bytes (20-bit).
    headerBytes = (sizeFormat & 1) === 0 ? 1 : sizeFormat === 1 ? 2 : 3;
    regenerated =
      headerBytes === 1 ? b0 >> 3 : (b0 >> 4) + (at(1) << 4) + (headerBytes === 3 ? at(2) << 12 : 0);
    payload = litType === 0 ? regenerated : 1;
  } else {
    // Compressed or treeless literals: regenerated and compressed sizes packed after the 4 type bits.
    headerBytes = sizeFormat < 2 ? 3 : sizeFormat + 2;
    let bits = 0;
    for (let i = headerBytes - 1; i >= 0; i--) bits = bits * 256 + at(i);
    bits = Math.floor(bits / 16);
    const sizeBits = sizeFormat < 2 ? 10 : sizeFormat === 2 ? 14 : 18;
    regenerated = bits % 2 ** sizeBits;
    payload = Math.floor(bits / 2 ** sizeBits);
  }
  let p = headerBytes + payload;
  if (p > len) return 'holds a literals section longer than its block';
  if (regenerated > BLOCK_MAX) return `holds ${regenerated} literals in one block (at most ${BLOCK_MAX})`;
  // The sequences header is never optional (libzstd refuses a block without one; fzstd reads past
  // the block's end for it).
  if (p >= len) return 'holds a compressed block with no sequences header';
  // Count: b0 < 128; ((b0 - 128) << 8) + b1 below 255; b1 + (b2 << 8) + 0x7f00 at 255.
  const b = block[p++];
  let sequences = b;
  if (b === 255) {
    sequences = at(p) + (at(p + 1) << 8) + 0x7f00;
    p += 2;
  } else if (b >= 128) {
    sequences = ((b - 128) << 8) + at(p);
    p += 1;
  }
  if (p > len || (sequences > 0 && p >= len)) return 'ends inside its sequences header';
  if (sequences > 0 && block[p] & 3) return 'sets the reserved bits of a sequences header';
  return regenerated + MIN_MATCH * sequences;
}
