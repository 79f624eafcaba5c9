/**
 * A small helper for writing ONNX models from TypeScript (used by scripts/make-tiny-pack.ts and tests).
 * Produces ModelProto bytes that onnxruntime's InferenceSession.create(bytes) loads directly.
 */
import { OnnxAttributeType, OnnxDataType, onnxTypes } from './onnx-schema';
import type { Dim } from './graph-info';

type Attr = number | number[] | string | { floats: number[] };

export interface NodeSpec {
  op: string;
  inputs: string[];
  outputs: string[];
  attrs?: Record<string, Attr>;
  domain?: string;
}

export interface ValueSpec {
  name: string;
  dtype: 'float32' | 'int64';
  shape: Dim[];
}

/** Accumulates nodes, initializers and the graph interface; `encode()` gives .onnx bytes. */
export class GraphBuilder {
  private nodes: object[] = [];
  private initializers: object[] = [];
  private counter = 0;

  constructor(
    readonly name: string,
    private readonly inputs: ValueSpec[],
    private readonly outputs: ValueSpec[],
  ) {}

  /** A fresh intermediate tensor name. */
  tmp(hint = 't'): string {
    return `${hint}_${this.counter++}`;
  }

  /** Float32 initializer with `dims`; data length must equal the product of dims. */
  floatInit(name: string, dims: number[], data: ArrayLike<number>): string {
    const count = dims.reduce((a, b) => a * b, 1);
    if (data.length !== count) throw new RangeError(`initializer ${name}: ${data.length} values for dims ${dims}`);
    const raw = new Uint8Array(Float32Array.from(data).buffer);
    this.initializers.push({ name, dims, dataType: OnnxDataType.FLOAT, rawData: raw });
    return name;
  }

  int64Init(name: string, values: number[]): string {
    this.initializers.push({ name, dims: [values.length], dataType: OnnxDataType.INT64, int64Data: values });
    return name;
  }

  node(spec: NodeSpec): string {
    const attribute = Object.entries(spec.attrs ?? {}).map(([name, v]) => {
      if (typeof v === 'string') return { name, type: OnnxAttributeType.STRING, s: new TextEncoder().encode(v) };
      if (Array.isArray(v)) return { name, type: OnnxAttributeType.INTS, ints: v };
      if (typeof v === 'object') return { name, type: OnnxAttributeType.FLOATS, floats: v.floats };
      return Number.isInteger(v) ? { name, type: OnnxAttributeType.INT, i: v } : { name, type: OnnxAttributeType.FLOAT, f: v };
    });
    this.nodes.push({
      opType: spec.op,
      input: spec.inputs,
      output: spec.outputs,
      name: `${spec.op}_${this.nodes.length}`,
      domain: spec.domain ?? '',
      attribute,
    });
    return spec.outputs[0];
  }

  /** Single-output op with an auto-named output. */
  op(op: string, inputs: string[], attrs?: Record<string, Attr>, out?: string): string {
    return this.node({ op, inputs, outputs: [out ?? this.tmp(op.toLowerCase())], attrs });
  }

  encode(opset = 17, extraOpsets: { domain: string; version: number }[] = []): Uint8Array {
    const valueInfo = (v: ValueSpec) => ({
      name: v.name,
      type: {
        tensorType: {
          elemType: v.dtype === 'int64' ? OnnxDataType.INT64 : OnnxDataType.FLOAT,
          shape: { dim: v.shape.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) },
        },
      },
    });
    const model = {
      irVersion: 8,
      producerName: 'headforge',
      producerVersion: '1',
      opsetImport: [{ domain: '', version: opset }, ...extraOpsets],
      graph: {
        name: this.name,
        node: this.nodes,
        initializer: this.initializers,
        input: this.inputs.map(valueInfo),
        output: this.outputs.map(valueInfo),
      },
    };
    const T = onnxTypes.ModelProto;
    return T.encode(T.fromObject(model)).finish();
  }
}

/** Deterministic pseudo-random weights in [-scale, scale] (a tiny LCG keyed by `key`). */
export function deterministicWeights(count: number, key: number, scale: number): Float32Array {
  const out = new Float32Array(count);
  let s = (key * 2654435761) >>> 0 || 1;
  for (let i = 0; i < count; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = ((s / 2 ** 32) * 2 - 1) * scale;
  }
  return out;
}
