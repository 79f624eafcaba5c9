/**
 * Writes a tiny but real style pack: two ONNX image-to-image networks built with HeadForge's own
 * ONNX writer, each "colour matrix (1x1 conv) + bias -> 3x3 depthwise conv (zero padding) -> clip to
 * the range". Not trained: the networks are exact, known linear filters, so tests can compare what
 * onnxruntime returns against `referenceTinyStyle` below (a plain-loop TypeScript reference).
 *
 *   npx tsx scripts/make-tiny-style-pack.ts OUT_DIR
 *
 *   sepia     range 0..1,  symbolic H/W (runs at the portrait's size), sepia matrix + mild sharpen
 *   cool-64   range -1..1, fixed 64x64 (HeadForge resizes in and out), cool tint + 3x3 box blur
 */
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { GraphBuilder } from '../src/engine/onnx/onnx-builder';
import { sha256Bytes } from '../src/engine/packs/hash';
import { PACK_FORMAT, PACK_FORMAT_VERSION, PACK_MANIFEST_FILE } from '../src/engine/packs/manifest';
import type { StylePackManifest, StyleRange } from '../src/engine/packs/style-manifest';

export interface TinyStyleSpec {
  id: string;
  label: string;
  range: StyleRange;
  /** Fixed square size, or null for symbolic H/W. */
  size: number | null;
  /** Row-major 3x3: out_c = sum_k matrix[c*3+k] * in_k + bias[c] (in the network's range). */
  matrix: number[];
  bias: number[];
  /** Row-major 3x3 kernel applied to each channel alone (depthwise), zero padding, stride 1. */
  kernel: number[];
}

export const TINY_STYLES: readonly TinyStyleSpec[] = [
  {
    id: 'sepia',
    label: 'Sepia (tiny test network)',
    range: '0..1',
    size: null,
    matrix: [0.393, 0.769, 0.189, 0.349, 0.686, 0.168, 0.272, 0.534, 0.131],
    bias: [0, 0, 0],
    kernel: [0, -0.125, 0, -0.125, 1.5, -0.125, 0, -0.125, 0],
  },
  {
    id: 'cool-64',
    label: 'Cool tint, soft (tiny test network, 64 px)',
    range: '-1..1',
    size: 64,
    matrix: [0.8, 0.1, 0, 0.1, 0.9, 0.1, 0, 0.2, 1.0],
    bias: [-0.15, 0, 0.2],
    kernel: Array.from({ length: 9 }, () => 1 / 9),
  },
];

export const TINY_STYLE_PACK_NAME = 'tiny-styles';

/** Graph tensor names (free in a pack; the manifest maps them). */
const INPUT = 'pixel_values';
const OUTPUT = 'stylized';

/** The ONNX bytes of one tiny style network. `outputChannels`/`outputSize` exist so tests can make broken ones. */
export function tinyStyleGraph(spec: TinyStyleSpec, broken: { outputChannels?: number } = {}): Uint8Array {
  const hw: (number | string)[] = spec.size === null ? ['H', 'W'] : [spec.size, spec.size];
  const outC = broken.outputChannels ?? 3;
  const g = new GraphBuilder(`style_${spec.id}`, [{ name: INPUT, dtype: 'float32', shape: [1, 3, ...hw] }], [
    { name: OUTPUT, dtype: 'float32', shape: [1, outC, ...hw] },
  ]);
  const matrix = outC === 3 ? spec.matrix : Array.from({ length: outC * 3 }, (_, i) => spec.matrix[i % 9]);
  const bias = outC === 3 ? spec.bias : Array.from({ length: outC }, (_, i) => spec.bias[i % 3]);
  const mixed = g.op('Conv', [INPUT, g.floatInit('colour_matrix', [outC, 3, 1, 1], matrix), g.floatInit('colour_bias', [outC], bias)], {
    kernel_shape: [1, 1],
  });
  const kernel = g.floatInit('kernel', [outC, 1, 3, 3], Array.from({ length: outC }, () => spec.kernel).flat());
  const filtered = g.op('Conv', [mixed, kernel], { kernel_shape: [3, 3], pads: [1, 1, 1, 1], group: outC });
  const [lo, hi] = spec.range === '0..1' ? [0, 1] : [-1, 1];
  g.op('Clip', [filtered, g.floatInit('lo', [], [lo]), g.floatInit('hi', [], [hi])], {}, OUTPUT);
  return g.encode();
}

/**
 * What the network computes, by plain loops: HWC [0, 1] at w x h in, HWC [0, 1] out (same size).
 * Mapping to/from the range, colour matrix + bias, depthwise 3x3 with zero padding, clip.
 */
export function referenceTinyStyle(spec: TinyStyleSpec, hwc: Float32Array, w: number, h: number): Float32Array {
  const to = (v: number) => (spec.range === '0..1' ? v : 2 * v - 1);
  const from = (v: number) => (spec.range === '0..1' ? v : (v + 1) / 2);
  const mixed = new Float64Array(w * h * 3);
  for (let i = 0; i < w * h; i++) {
    for (let c = 0; c < 3; c++) {
      let s = spec.bias[c];
      for (let k = 0; k < 3; k++) s += spec.matrix[c * 3 + k] * to(hwc[i * 3 + k]);
      mixed[i * 3 + c] = s;
    }
  }
  const [lo, hi] = spec.range === '0..1' ? [0, 1] : [-1, 1];
  const out = new Float32Array(w * h * 3);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      for (let c = 0; c < 3; c++) {
        let s = 0;
        for (let dy = -1; dy <= 1; dy++) {
          for (let dx = -1; dx <= 1; dx++) {
            const yy = y + dy;
            const xx = x + dx;
            if (yy < 0 || xx < 0 || yy >= h || xx >= w) continue; // zero padding
            s += spec.kernel[(dy + 1) * 3 + (dx + 1)] * mixed[(yy * w + xx) * 3 + c];
          }
        }
        out[(y * w + x) * 3 + c] = from(Math.min(hi, Math.max(lo, s)));
      }
    }
  }
  return out;
}

/** Write the tiny style pack into `dir` (created) and return its manifest. */
export function writeTinyStylePack(dir: string): StylePackManifest {
  fs.mkdirSync(dir, { recursive: true });
  const styles: StylePackManifest['styles'] = {};
  for (const spec of TINY_STYLES) {
    const file = `${spec.id}.onnx`;
    const bytes = tinyStyleGraph(spec);
    fs.writeFileSync(path.join(dir, file), bytes);
    const hw: (number | string)[] = spec.size === null ? ['H', 'W'] : [spec.size, spec.size];
    styles[spec.id] = {
      label: spec.label,
      description: `colour matrix ${JSON.stringify(spec.matrix)} + bias, then a 3x3 kernel ${JSON.stringify(spec.kernel.map((k) => +k.toFixed(4)))}`,
      file,
      sha256: sha256Bytes(bytes),
      externalData: [],
      range: spec.range,
      multipleOf: 1,
      maxSide: 1024,
      inputs: { image: { name: INPUT, dtype: 'float32', shape: [1, 3, ...hw] } },
      outputs: { image: { name: OUTPUT, dtype: 'float32', shape: [1, 3, ...hw] } },
    };
  }
  const manifest: StylePackManifest = {
    format: PACK_FORMAT,
    formatVersion: PACK_FORMAT_VERSION,
    kind: 'style',
    name: TINY_STYLE_PACK_NAME,
    version: '1.0.0',
    license: 'CC0-1.0',
    description: 'Tiny style pack (exact linear filters, not trained) written by scripts/make-tiny-style-pack.ts',
    source: 'scripts/make-tiny-style-pack.ts',
    styles,
    defaultStyle: 'sepia',
  };
  fs.writeFileSync(path.join(dir, PACK_MANIFEST_FILE), JSON.stringify(manifest, null, 2) + '\n');
  return manifest;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const out = process.argv[2];
  if (!out) {
    console.error('usage: npx tsx scripts/make-tiny-style-pack.ts OUT_DIR');
    process.exit(2);
  }
  const m = writeTinyStylePack(out);
  console.log(`wrote style pack ${m.name} (${Object.keys(m.styles).join(', ')}) to ${path.resolve(out)}`);
}
