/**
 * Feeding one network: tensors by logical role, checked against the manifest's shapes before the
 * call (a wrong size fails here with the role and tensor name, not deep inside onnxruntime), outputs
 * checked after. All HeadForge-fed tensors are float32 (fp16 packs keep float32 I/O).
 */
import * as ort from 'onnxruntime-node';
import type { TensorSpec } from '../../packs/manifest';

export interface Fed {
  data: Float32Array;
  dims: number[];
}

function checkDims(what: string, spec: TensorSpec, dims: readonly number[]): void {
  const ok = dims.length === spec.shape.length && spec.shape.every((d, i) => typeof d === 'string' || d === dims[i]);
  if (!ok) throw new RangeError(`${what} '${spec.name}': got shape [${dims.join(', ')}], the pack declares [${spec.shape.join(', ')}]`);
}

export async function runNetwork<O extends string>(
  label: string,
  session: ort.InferenceSession,
  inputs: Record<string, TensorSpec | undefined>,
  outputs: Record<O, TensorSpec>,
  feeds: Record<string, Fed>,
): Promise<Record<O, Fed>> {
  const ortFeeds: Record<string, ort.Tensor> = {};
  for (const [role, spec] of Object.entries(inputs)) {
    if (!spec) continue;
    const fed = feeds[role];
    if (!fed) throw new Error(`${label}: no value for input role '${role}'`);
    checkDims(`${label} input ${role}`, spec, fed.dims);
    if (fed.data.length !== fed.dims.reduce((a, b) => a * b, 1)) throw new RangeError(`${label} input ${role}: data length does not match its dims`);
    ortFeeds[spec.name] = new ort.Tensor('float32', fed.data, fed.dims);
  }
  const names = (Object.values(outputs) as TensorSpec[]).map((s) => s.name);
  const result = await session.run(ortFeeds, names);
  const out = {} as Record<O, Fed>;
  for (const [role, spec] of Object.entries(outputs) as [O, TensorSpec][]) {
    const t = result[spec.name];
    if (t.type !== 'float32') throw new TypeError(`${label} output ${role} '${spec.name}' is ${t.type}, expected float32`);
    const dims = t.dims.map(Number);
    checkDims(`${label} output ${role}`, spec, dims);
    out[role] = { data: t.data as Float32Array, dims };
  }
  return out;
}

/** Fixed batch size of a tensor spec's first axis, or null when dynamic. */
export function fixedBatch(spec: TensorSpec): number | null {
  return typeof spec.shape[0] === 'number' ? spec.shape[0] : null;
}
