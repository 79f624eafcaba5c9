/**
 * Splat format throughput: encode and decode a 1,000,000-Gaussian SH-3 cloud per format.
 * Reports MB/s (of the encoded file) and Gaussians/s. Memory: one cloud (~250 MB), one encoded file
 * and one decoded cloud alive at a time.
 */
import { makeTestCloud } from '../src/shared/gaussians/testing';
import { encodeSplatFile } from '../src/engine/splat-io/encode-file';
import { decodeSplatFile } from '../src/engine/splat-io/files';
import { encodeSplatNode } from '../src/engine/splat-io/node-encode';
import {
  decodeSplat,
  encodeSplat,
  type EncodeOptions,
  type ExportFileFormat,
  type SplatFormat,
} from '../src/shared/splat/index';
import { timeMs, type Bench, type BenchResult } from './harness';

const N = 1_000_000;
const FORMATS: { format: SplatFormat; name: string; iterations: number; node?: boolean }[] = [
  { format: 'ply', name: 'ply', iterations: 3 },
  { format: 'ply-compact', name: 'ply-compact', iterations: 3 },
  { format: 'splat', name: 'splat', iterations: 3 },
  { format: 'spz', name: 'spz', iterations: 1 },
  { format: 'spz', name: 'spz-zlib', iterations: 1, node: true },
  { format: 'glb', name: 'glb', iterations: 2 },
];

let cached: ReturnType<typeof makeTestCloud> | undefined;
const cloud = () => (cached ??= makeTestCloud(N, 3, 1));

export const benches: Bench[] = FORMATS.map(({ format, name, iterations, node }) => ({
  name: `formats ${name} 1M SH3`,
  async run(): Promise<BenchResult[]> {
    const c = cloud();
    // node: SPZ gzip through Node's zlib (src/engine/splat-io) instead of the pure-TS fflate.
    const encode = () => (node ? encodeSplatNode(c, format) : encodeSplat(c, format));
    let bytes = encode();
    const hint = format === 'splat' ? 'bench.splat' : undefined;
    const writeMs = await timeMs(() => (bytes = encode()), iterations, 0);
    const readMs = await timeMs(() => decodeSplat(bytes, hint), iterations, 1);
    const mb = bytes.length / 1e6;
    return [
      { name: `formats ${name} file size`, value: mb, unit: 'MB' },
      { name: `formats ${name} write`, value: mb / (writeMs / 1000), unit: 'MB/s' },
      { name: `formats ${name} write`, value: N / (writeMs / 1000), unit: 'Gaussians/s' },
      { name: `formats ${name} read`, value: mb / (readMs / 1000), unit: 'MB/s' },
      { name: `formats ${name} read`, value: N / (readMs / 1000), unit: 'Gaussians/s' },
    ];
  },
}));

/**
 * The engine's formats (SPZ v4 through @adobe/spz, compressed PLY, SOG and the HTML viewer through
 * @playcanvas/splat-transform) at a `standard` head's 65,536 Gaussians: SOG's CPU k-means would take
 * many minutes at 1M. One timed iteration after one warm-up (the first call loads the library).
 */
const N_ENGINE = 65_536;
const ENGINE_FORMATS: { format: ExportFileFormat; name: string; opts?: EncodeOptions }[] = [
  { format: 'spz', name: 'spz-v4', opts: { spzVersion: 4 } },
  { format: 'compressed-ply', name: 'compressed-ply' },
  { format: 'sog', name: 'sog' },
  { format: 'html', name: 'html' },
];
let cachedEngine: ReturnType<typeof makeTestCloud> | undefined;
const engineCloud = () => (cachedEngine ??= makeTestCloud(N_ENGINE, 3, 1));

benches.push(
  ...ENGINE_FORMATS.map(({ format, name, opts }) => ({
    name: `formats ${name} 65k SH3`,
    async run(): Promise<BenchResult[]> {
      const c = engineCloud();
      let bytes: Uint8Array = new Uint8Array(0);
      const writeMs = await timeMs(async () => (bytes = await encodeSplatFile(c, format, opts)), 1, 1);
      const out: BenchResult[] = [
        { name: `formats ${name} 65k file size`, value: bytes.length / 1e6, unit: 'MB' },
        { name: `formats ${name} 65k write`, value: writeMs / 1000, unit: 's' },
      ];
      if (format !== 'html')
        out.push({
          name: `formats ${name} 65k read`,
          value: (await timeMs(() => decodeSplatFile(bytes), 1, 1)) / 1000,
          unit: 's',
        });
      return out;
    },
  })),
);
