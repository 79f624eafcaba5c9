/**
 * gzip for the codecs, pure TypeScript (fflate), with a decompression guard: a gzip bomb or a
 * header that lies about its size must not exhaust memory.
 */
import { Gunzip, gzipSync } from 'fflate';
import { SplatFormatError } from './errors';

/** Deflate cannot expand data by more than ~1032:1; any claim beyond that is a lie. */
const MAX_DEFLATE_RATIO = 1032;
/** Compressed bytes pushed per step: bounds what one step can inflate to (~64 MB). */
const PUSH_BYTES = 1 << 16;

export function gzip(data: Uint8Array, level: 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9 = 6): Uint8Array {
  return gzipSync(data, { level, mtime: 0 });
}

export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 3 && bytes[0] === 0x1f && bytes[1] === 0x8b && bytes[2] === 0x08;
}

/**
 * Inflate `data`, where the decompressed stream begins with a header from which `expectedSize`
 * computes the exact decompressed length (or throws). Nothing larger than that size is ever allocated,
 * and inflation stops as soon as the output exceeds it.
 */
export function gunzipExpecting(
  format: string,
  data: Uint8Array,
  headerBytes: number,
  expectedSize: (header: Uint8Array) => number,
): Uint8Array {
  if (!isGzip(data)) throw new SplatFormatError(format, 'wrong magic: not a gzip stream');
  const pending: Uint8Array[] = [];
  let pendingBytes = 0;
  let out: Uint8Array | null = null;
  let written = 0;
  const sink = (chunk: Uint8Array) => {
    if (!out) {
      pending.push(chunk);
      pendingBytes += chunk.length;
      if (pendingBytes < headerBytes) return;
      const joined = new Uint8Array(pendingBytes);
      let o = 0;
      for (const p of pending) {
        joined.set(p, o);
        o += p.length;
      }
      const size = expectedSize(joined.subarray(0, headerBytes));
      if (size > data.length * MAX_DEFLATE_RATIO + 1024)
        throw new SplatFormatError(format, `header declares ${size} bytes, impossible from ${data.length} compressed bytes`);
      out = new Uint8Array(size);
      chunk = joined;
    }
    if (written + chunk.length > out.length)
      throw new SplatFormatError(format, `decompressed data is larger than the ${out.length} bytes its header declares`);
    out.set(chunk, written);
    written += chunk.length;
  };
  const stream = new Gunzip((chunk) => sink(chunk));
  try {
    for (let i = 0; i < data.length; i += PUSH_BYTES) {
      const end = Math.min(data.length, i + PUSH_BYTES);
      stream.push(data.subarray(i, end), end === data.length);
    }
  } catch (err) {
    if (err instanceof SplatFormatError) throw err;
    const msg = err instanceof Error ? err.message : String(err);
    throw new SplatFormatError(format, `gzip stream is corrupt or truncated (${msg})`);
  }
  if (!out) throw new SplatFormatError(format, `decompressed data is only ${pendingBytes} bytes, shorter than its ${headerBytes}-byte header`);
  const result: Uint8Array = out;
  if (written !== result.length)
    throw new SplatFormatError(format, `decompressed data has ${written} bytes but its header declares ${result.length} (truncated file?)`);
  return result;
}
