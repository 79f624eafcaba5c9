/**
 * Binary frame codec shared by every transport: JSON for structure, raw bytes for typed arrays
 * (preview clouds and image bytes must not become JSON number lists).
 *
 * Frame layout (little endian):
 *   [0..4)        magic "HFR1"
 *   [4..8)        u32 J = byte length of the JSON header
 *   [8..8+J)      UTF-8 JSON of the message, in which every typed array is replaced by
 *                 { "$ta": <constructor name>, "o": <byte offset in the blob section>, "n": <element count> }
 *   pad to a multiple of 8
 *   blob section: the typed arrays' bytes, each starting at a multiple of 8 (relative to the section)
 *
 * A frame may also arrive as a plain JSON text (no typed arrays): text WebSocket messages decode too.
 *
 * Decoding allocates in proportion to the frame (issue 20): the typed arrays a frame references may
 * together hold no more bytes than its blob section (the encoder never shares or overlaps regions), so
 * one blob referenced a thousand times is refused instead of copied a thousand times; `$ta` names are
 * looked up as own properties only (`constructor`, `toString`, `__proto__` are bad references).
 */

const MAGIC = [0x48, 0x46, 0x52, 0x31]; // "HFR1"
const HEADER_BYTES = 8;

type TypedArray =
  | Float32Array
  | Float64Array
  | Int8Array
  | Uint8Array
  | Uint8ClampedArray
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array;

type TypedArrayCtor = { new (buffer: ArrayBuffer): TypedArray; readonly BYTES_PER_ELEMENT: number };

const TYPED_ARRAYS: Readonly<Record<string, TypedArrayCtor>> = {
  Float32Array,
  Float64Array,
  Int8Array,
  Uint8Array,
  Uint8ClampedArray,
  Int16Array,
  Uint16Array,
  Int32Array,
  Uint32Array,
};

export class FrameDecodeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FrameDecodeError';
  }
}

function typedArrayName(v: unknown): string | null {
  if (!ArrayBuffer.isView(v) || v instanceof DataView) return null;
  const name = (v as TypedArray).constructor.name;
  return Object.hasOwn(TYPED_ARRAYS, name) ? name : null;
}

const align8 = (n: number): number => (n + 7) & ~7;

/** Encode a JSON-friendly value that may contain typed arrays anywhere (not inside Maps/Sets). */
export function encodeFrame(message: unknown): Uint8Array {
  const blobs: { bytes: Uint8Array; offset: number }[] = [];
  let blobBytes = 0;
  const json = JSON.stringify(message, function (this: unknown, key: string, value: unknown) {
    // JSON.stringify has already called toJSON; typed arrays are still views here.
    const holder = this as Record<string, unknown>;
    const raw = holder[key];
    const name = typedArrayName(raw);
    if (name === null) return value;
    const view = raw as TypedArray;
    const offset = blobBytes;
    blobs.push({ bytes: new Uint8Array(view.buffer, view.byteOffset, view.byteLength), offset });
    blobBytes = align8(offset + view.byteLength);
    return { $ta: name, o: offset, n: view.length };
  });
  if (json === undefined) throw new TypeError('message is not JSON-serialisable');
  const jsonBytes = new TextEncoder().encode(json);
  const blobStart = align8(HEADER_BYTES + jsonBytes.length);
  const frame = new Uint8Array(blobStart + blobBytes);
  frame.set(MAGIC, 0);
  new DataView(frame.buffer).setUint32(4, jsonBytes.length, true);
  frame.set(jsonBytes, HEADER_BYTES);
  for (const blob of blobs) frame.set(blob.bytes, blobStart + blob.offset);
  return frame;
}

function hasMagic(bytes: Uint8Array): boolean {
  return bytes.length >= HEADER_BYTES && MAGIC.every((b, i) => bytes[i] === b);
}

/** Decode a binary frame (or a JSON text). Throws FrameDecodeError with a reason on anything malformed. */
export function decodeFrame(data: Uint8Array | ArrayBuffer | string): unknown {
  if (typeof data === 'string') return parseJson(data);
  const bytes = data instanceof Uint8Array ? data : new Uint8Array(data);
  if (!hasMagic(bytes)) {
    // Allow JSON sent as a binary frame by simple clients; anything else is malformed.
    return parseJson(new TextDecoder('utf-8', { fatal: false }).decode(bytes));
  }
  const jsonLength = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(4, true);
  if (HEADER_BYTES + jsonLength > bytes.length) {
    throw new FrameDecodeError(
      `frame header claims ${jsonLength} JSON bytes but the frame has ${bytes.length}`,
    );
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(
      bytes.subarray(HEADER_BYTES, HEADER_BYTES + jsonLength),
    );
  } catch {
    throw new FrameDecodeError('frame JSON is not valid UTF-8');
  }
  const blobStart = align8(HEADER_BYTES + jsonLength);
  const blobSection = bytes.subarray(Math.min(blobStart, bytes.length));
  const budget = { bytesLeft: blobSection.length };
  return parseJson(text, (_key, value) => reviveTypedArray(value, blobSection, budget));
}

function parseJson(text: string, reviver?: (key: string, value: unknown) => unknown): unknown {
  try {
    return JSON.parse(text, reviver);
  } catch (err) {
    if (err instanceof FrameDecodeError) throw err;
    throw new FrameDecodeError(`frame is not valid JSON: ${(err as Error).message}`);
  }
}

function reviveTypedArray(value: unknown, blobs: Uint8Array, budget: { bytesLeft: number }): unknown {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return value;
  const v = value as Record<string, unknown>;
  if (!Object.hasOwn(v, '$ta')) return value;
  const name = v.$ta;
  const ctor = typeof name === 'string' && Object.hasOwn(TYPED_ARRAYS, name) ? TYPED_ARRAYS[name] : undefined;
  const offset = v.o;
  const count = v.n;
  if (!ctor || !Number.isSafeInteger(offset) || !Number.isSafeInteger(count)) {
    throw new FrameDecodeError(`bad typed-array reference ${JSON.stringify(v).slice(0, 200)}`);
  }
  const start = offset as number;
  const byteLength = (count as number) * ctor.BYTES_PER_ELEMENT;
  if (start < 0 || byteLength < 0 || start + byteLength > blobs.length) {
    throw new FrameDecodeError(`typed array ${name as string}[${count}] at ${start} lies outside the frame`);
  }
  if (byteLength > budget.bytesLeft) {
    throw new FrameDecodeError(
      `typed arrays reference more bytes than the frame's ${blobs.length}-byte blob section holds`,
    );
  }
  budget.bytesLeft -= byteLength;
  // Copy into a fresh, aligned buffer: the frame's own offset is not necessarily aligned.
  const copy = new Uint8Array(byteLength);
  copy.set(blobs.subarray(start, start + byteLength));
  return new ctor(copy.buffer);
}
