/**
 * Reads what the pack validator needs from an .onnx file — graph inputs/outputs (names, dtypes,
 * shapes), opset imports, the op domains used, external-data references — WITHOUT loading the weights.
 *
 * Why a wire-level walk: a real U-Net file is gigabytes of initializers. We step through the protobuf
 * fields of ModelProto and GraphProto with a buffered file cursor, skip initializer payloads by their
 * length prefix, and decode only the small messages (ValueInfoProto, NodeProto, OperatorSetIdProto)
 * with protobufjs. Anything that is not a well-formed ModelProto with a graph is reported as "not ONNX".
 */
import fs from 'node:fs';
import { GraphField, ModelField, OnnxDataType, onnxTypes, plainObjectOptions } from './onnx-schema';

export type TensorDtype = 'float32' | 'float16' | 'int64' | 'int32' | 'uint8' | 'int8' | 'bool' | 'float64';

/** A dimension: a fixed size, or a symbolic name (dynamic axis). */
export type Dim = number | string;

export interface TensorSignature {
  name: string;
  dtype: TensorDtype | `unknown(${number})`;
  shape: Dim[];
}

export interface OnnxGraphInfo {
  irVersion: number;
  opsets: { domain: string; version: number }[];
  inputs: TensorSignature[];
  outputs: TensorSignature[];
  /** Every distinct node domain ('' = default ai.onnx) with the op types used in it. */
  opDomains: Map<string, Set<string>>;
  nodeCount: number;
  initializerCount: number;
  /** Relative paths named by initializers stored as external data. */
  externalDataFiles: string[];
}

export class NotOnnxError extends Error {}

const DTYPE_BY_CODE: Record<number, TensorDtype> = {
  [OnnxDataType.FLOAT]: 'float32',
  [OnnxDataType.FLOAT16]: 'float16',
  [OnnxDataType.INT64]: 'int64',
  [OnnxDataType.INT32]: 'int32',
  [OnnxDataType.UINT8]: 'uint8',
  [OnnxDataType.INT8]: 'int8',
  [OnnxDataType.BOOL]: 'bool',
  [OnnxDataType.DOUBLE]: 'float64',
};

/** Largest single message we decode into memory (a Constant node can carry a tensor). */
const MAX_DECODED_MESSAGE = 256 * 2 ** 20;

/** Buffered forward/seekable reader over a file descriptor. */
class FileCursor {
  private window = Buffer.alloc(0);
  private windowStart = 0;
  pos = 0;
  constructor(
    private readonly fd: number,
    readonly size: number,
  ) {}

  private byteAt(p: number): number {
    if (p >= this.size) throw new NotOnnxError('truncated protobuf (unexpected end of file)');
    if (p < this.windowStart || p >= this.windowStart + this.window.length) {
      const len = Math.min(1 << 16, this.size - p);
      this.window = Buffer.alloc(len);
      fs.readSync(this.fd, this.window, 0, len, p);
      this.windowStart = p;
    }
    return this.window[p - this.windowStart];
  }

  /** Unsigned varint as a JS number (exact up to 2^53, enough for lengths and tags). */
  varint(): number {
    let result = 0;
    let mul = 1;
    for (let i = 0; i < 10; i++) {
      const b = this.byteAt(this.pos++);
      result += (b & 0x7f) * mul;
      if ((b & 0x80) === 0) return result;
      mul *= 128;
    }
    throw new NotOnnxError('malformed varint');
  }

  bytes(len: number): Buffer {
    if (this.pos + len > this.size) throw new NotOnnxError('truncated protobuf (field runs past end of file)');
    const out = Buffer.alloc(len);
    fs.readSync(this.fd, out, 0, len, this.pos);
    this.pos += len;
    return out;
  }

  /** Skip the payload of a field of `wireType` (after its tag has been read). */
  skip(wireType: number): void {
    switch (wireType) {
      case 0:
        this.varint();
        return;
      case 1:
        this.pos += 8;
        return;
      case 2: {
        // Read the length first: `this.pos += this.varint()` would add to the pre-varint position.
        const len = this.varint();
        this.pos += len;
        return;
      }
      case 5:
        this.pos += 4;
        return;
      default:
        throw new NotOnnxError(`unsupported protobuf wire type ${wireType}`);
    }
  }
}

function toSignature(obj: Record<string, unknown>): TensorSignature {
  const type = obj.type as { tensorType?: { elemType: number; shape?: { dim: { dimValue?: number; dimParam?: string }[] } } };
  const tt = type?.tensorType;
  const code = tt?.elemType ?? 0;
  const shape: Dim[] = (tt?.shape?.dim ?? []).map((d, i) =>
    d.dimParam ? d.dimParam : d.dimValue && d.dimValue > 0 ? d.dimValue : `dim${i}`,
  );
  return { name: String(obj.name), dtype: DTYPE_BY_CODE[code] ?? `unknown(${code})`, shape };
}

function decodeSmall<T>(cursor: FileCursor, type: (typeof onnxTypes)[keyof typeof onnxTypes], what: string): T {
  const len = cursor.varint();
  if (len > MAX_DECODED_MESSAGE) throw new NotOnnxError(`${what} of ${len} bytes is implausibly large`);
  const bytes = cursor.bytes(len);
  try {
    return type.toObject(type.decode(bytes), plainObjectOptions) as T;
  } catch (err) {
    throw new NotOnnxError(`cannot decode ${what}: ${(err as Error).message}`);
  }
}

/** Read a graph's interface and op inventory. Throws NotOnnxError for anything that is not an ONNX model. */
export function readOnnxGraphInfo(file: string): OnnxGraphInfo {
  const fd = fs.openSync(file, 'r');
  try {
    const size = fs.fstatSync(fd).size;
    if (size === 0) throw new NotOnnxError('file is empty');
    const cur = new FileCursor(fd, size);
    const info: OnnxGraphInfo = {
      irVersion: 0,
      opsets: [],
      inputs: [],
      outputs: [],
      opDomains: new Map(),
      nodeCount: 0,
      initializerCount: 0,
      externalDataFiles: [],
    };
    let sawGraph = false;
    const initializerNames = new Set<string>();
    const rawInputs: TensorSignature[] = [];
    while (cur.pos < size) {
      const tag = cur.varint();
      const field = Math.floor(tag / 8);
      const wire = tag & 7;
      if (field === 0) throw new NotOnnxError('field number 0 (not a protobuf message)');
      if (field === ModelField.irVersion && wire === 0) info.irVersion = cur.varint();
      else if (field === ModelField.opsetImport && wire === 2) {
        const o = decodeSmall<{ domain: string; version: number }>(cur, onnxTypes.OperatorSetIdProto, 'opset import');
        info.opsets.push({ domain: o.domain, version: o.version });
      } else if (field === ModelField.graph && wire === 2) {
        sawGraph = true;
        const len = cur.varint();
        const end = cur.pos + len;
        if (end > size) throw new NotOnnxError('graph runs past end of file');
        while (cur.pos < end) {
          const gtag = cur.varint();
          const gfield = Math.floor(gtag / 8);
          const gwire = gtag & 7;
          if (gfield === GraphField.node && gwire === 2) {
            const n = decodeSmall<{ opType: string; domain: string }>(cur, onnxTypes.NodeProto, 'node');
            info.nodeCount++;
            const set = info.opDomains.get(n.domain) ?? new Set<string>();
            set.add(n.opType);
            info.opDomains.set(n.domain, set);
          } else if (gfield === GraphField.input && gwire === 2) {
            rawInputs.push(toSignature(decodeSmall(cur, onnxTypes.ValueInfoProto, 'graph input')));
          } else if (gfield === GraphField.output && gwire === 2) {
            info.outputs.push(toSignature(decodeSmall(cur, onnxTypes.ValueInfoProto, 'graph output')));
          } else if (gfield === GraphField.initializer && gwire === 2) {
            // Read only the name and the external-data entries; skip the payload (it can be GBs).
            const ilen = cur.varint();
            const iend = cur.pos + ilen;
            info.initializerCount++;
            while (cur.pos < iend) {
              const t = cur.varint();
              const f = Math.floor(t / 8);
              if (f === 8 && (t & 7) === 2) initializerNames.add(cur.bytes(cur.varint()).toString('utf8'));
              else if (f === 13 && (t & 7) === 2) {
                const entry = cur.bytes(cur.varint());
                const kv = decodeStringEntry(entry);
                if (kv.key === 'location' && !info.externalDataFiles.includes(kv.value)) info.externalDataFiles.push(kv.value);
              } else cur.skip(t & 7);
            }
            cur.pos = iend;
          } else cur.skip(gwire);
        }
        if (cur.pos !== end) throw new NotOnnxError('graph fields overrun the graph length');
      } else cur.skip(wire);
    }
    if (cur.pos !== size) throw new NotOnnxError('trailing bytes after the last field');
    if (!sawGraph) throw new NotOnnxError('no graph in the file');
    if (info.opsets.length === 0) throw new NotOnnxError('no opset import (every ONNX model declares one)');
    // Older exporters list initializers among the inputs; those are not inputs the caller feeds.
    info.inputs = rawInputs.filter((i) => !initializerNames.has(i.name));
    return info;
  } finally {
    fs.closeSync(fd);
  }
}

function decodeStringEntry(bytes: Buffer): { key: string; value: string } {
  let p = 0;
  const out = { key: '', value: '' };
  while (p < bytes.length) {
    const tag = bytes[p++];
    let len = 0;
    let mul = 1;
    for (;;) {
      const b = bytes[p++];
      len += (b & 0x7f) * mul;
      if ((b & 0x80) === 0) break;
      mul *= 128;
    }
    const s = bytes.subarray(p, p + len).toString('utf8');
    p += len;
    if (tag >> 3 === 1) out.key = s;
    else if (tag >> 3 === 2) out.value = s;
  }
  return out;
}
