/**
 * Validation of a style pack (pack.json with "kind": "style"): the style schema, then for every style
 * network the shared file/hash/ONNX/custom-op checks (pack-checks.ts) and the image-to-image
 * interface: one input and one output, both float32 [1, 3, H, W] with the same H and W (both fixed
 * and equal, or both symbolic). Every problem is recorded on `v` with the style it concerns.
 */
import type { OnnxGraphInfo } from '../onnx/graph-info';
import { formatManifestIssues, PACK_MANIFEST_FILE } from './manifest';
import { checkEveryInputFed, checkTensor, formatShape, readNetworkFile, type PackValidation } from './pack-checks';
import { stylePackManifestSchema, type StyleNetworkSpec, type StyleTensorSpec } from './style-manifest';

export async function validateStylePackJson(v: PackValidation, raw: unknown, verifyHashes: boolean): Promise<void> {
  const parsed = stylePackManifestSchema.safeParse(raw);
  if (!parsed.success) {
    v.errors.push(...formatManifestIssues(parsed.error).map((e) => `${PACK_MANIFEST_FILE}: ${e}`));
    return;
  }
  v.styleManifest = parsed.data;
  for (const [id, net] of Object.entries(parsed.data.styles)) {
    const label = `style ${id}`;
    checkImageShapes(v, label, net);
    const info = await readNetworkFile(v, label, net, verifyHashes);
    if (info) checkStyleInterface(v, label, net, info);
  }
}

/** [1 or symbolic, 3, H, W] for a style tensor; returns a problem or null. */
function imageShapeProblem(spec: StyleTensorSpec): string | null {
  const s = spec.shape;
  if (s.length !== 4) return `must be 4-D [1, 3, H, W], got ${formatShape(s)}`;
  if (typeof s[0] === 'number' && s[0] !== 1) return `batch axis must be 1 or symbolic, got ${s[0]}`;
  if (s[1] !== 3) return `channel axis must be 3 (RGB), got ${s[1]}`;
  return null;
}

/** Manifest-level shape rules, checked even when the ONNX file is missing (so every problem shows at once). */
function checkImageShapes(v: PackValidation, label: string, net: StyleNetworkSpec): void {
  const input = net.inputs.image;
  const output = net.outputs.image;
  const inProblem = imageShapeProblem(input);
  const outProblem = imageShapeProblem(output);
  if (inProblem) v.errors.push(`${label}: input '${input.name}' ${inProblem}`);
  if (outProblem) v.errors.push(`${label}: output '${output.name}' ${outProblem}`);
  if (inProblem || outProblem) return;
  for (const axis of [2, 3] as const) {
    const a = input.shape[axis];
    const b = output.shape[axis];
    const bothSymbolic = typeof a === 'string' && typeof b === 'string';
    if (!(bothSymbolic || a === b)) {
      v.errors.push(
        `${label}: output ${formatShape(output.shape)} must have the input's size ${formatShape(input.shape)} (an image-to-image style keeps H and W)`,
      );
      return;
    }
  }
  const symbolic = typeof input.shape[2] === 'string' || typeof input.shape[3] === 'string';
  if (!symbolic && (net.multipleOf !== 1 || net.maxSide !== 1024)) {
    v.warnings.push(`${label}: multipleOf/maxSide apply to symbolic H/W only; this network has a fixed size`);
  }
}

function checkStyleInterface(v: PackValidation, label: string, net: StyleNetworkSpec, info: OnnxGraphInfo): void {
  checkTensor(v, label, 'input', 'image', net.inputs.image, info.inputs);
  checkTensor(v, label, 'output', 'image', net.outputs.image, info.outputs);
  checkEveryInputFed(v, label, new Set([net.inputs.image.name]), info);
}
