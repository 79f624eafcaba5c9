/**
 * A 1-element Identity model as ONNX protobuf bytes, hand-encoded so `doctor --cuda` can try to open a
 * session on an execution provider without needing any model pack.
 *
 * ModelProto{ ir_version=8, opset_import{domain="", version=17}, graph{ node{Identity x->y}, name="probe",
 *   input{ x: float[1] }, output{ y: float[1] } } }
 */

function varint(n: number): number[] {
  const out: number[] = [];
  while (n > 0x7f) {
    out.push((n & 0x7f) | 0x80);
    n >>>= 7;
  }
  out.push(n);
  return out;
}
const key = (field: number, wire: number): number[] => varint((field << 3) | wire);
const int = (field: number, value: number): number[] => [...key(field, 0), ...varint(value)];
const bytes = (field: number, payload: number[]): number[] => [
  ...key(field, 2),
  ...varint(payload.length),
  ...payload,
];
const str = (field: number, s: string): number[] => bytes(field, [...new TextEncoder().encode(s)]);

function floatVector(name: string): number[] {
  const dim = bytes(1, int(1, 1)); // TensorShapeProto.dim { dim_value: 1 }
  const tensorType = [...int(1, 1), ...bytes(2, dim)]; // elem_type FLOAT, shape
  return [...str(1, name), ...bytes(2, bytes(1, tensorType))]; // ValueInfoProto{name, type{tensor_type}}
}

export function identityModelBytes(): Uint8Array {
  const node = [...str(1, 'x'), ...str(2, 'y'), ...str(4, 'Identity')];
  const graph = [
    ...bytes(1, node),
    ...str(2, 'probe'),
    ...bytes(11, floatVector('x')),
    ...bytes(12, floatVector('y')),
  ];
  const opset = [...str(1, ''), ...int(2, 17)];
  return new Uint8Array([...int(1, 8), ...bytes(7, graph), ...bytes(8, opset)]);
}
