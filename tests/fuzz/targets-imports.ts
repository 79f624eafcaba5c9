/**
 * Fuzz targets for what the product imports from outside: model and style pack manifests (pack.json,
 * read by validatePack in a real pack folder), the ONNX graphs packs name, ARKit blend-shape CSV
 * takes, and the OBJ meshes the head-model importer reads.
 */
import fs from 'node:fs';
import path from 'node:path';
import { validatePack } from '../../src/engine/packs/validate';
import { NotOnnxError, readOnnxGraphInfo } from '../../src/engine/onnx/graph-info';
import { parseObjMesh } from '../../src/engine/head-model/obj';
import { ARKIT_BLENDSHAPES } from '../../src/shared/animation/arkit';
import {
  ARKIT_EYE_COLUMNS,
  ARKIT_HEAD_COLUMNS,
  ArkitCsvError,
  parseArkitCsv,
} from '../../src/shared/animation/arkit-csv';
import { StudioError } from '../../src/shared/rpc/errors';
import { writeTinyPack } from '../../scripts/make-tiny-pack';
import { writeTinyStylePack } from '../../scripts/make-tiny-style-pack';
import type { FuzzTarget } from './harness';
import { int, mutateJsonBytes, pick } from './mutate';
import { scratch } from './scratch';

const td = new TextDecoder();
const te = new TextEncoder();

/** A pack folder written by the tiny-pack scripts; each input replaces its pack.json. */
function packTarget(name: string, write: (dir: string) => void): FuzzTarget {
  let dir: string | null = null;
  const folder = (): string => {
    if (!dir) {
      dir = scratch(name.replace(/\W/g, ''));
      write(dir);
    }
    return dir;
  };
  return {
    name,
    // validatePack lists every problem in its result; it never throws for content.
    errorClass: StudioError,
    maxAmplification: 1,
    seeds: () => [new Uint8Array(fs.readFileSync(path.join(folder(), 'pack.json')))],
    read: async (bytes) => {
      fs.writeFileSync(path.join(folder(), 'pack.json'), bytes);
      await validatePack(folder(), { verifyHashes: true });
      return 0;
    },
    mutate: mutateJsonBytes,
  };
}

const modelPack = packTarget('model pack', (d) => writeTinyPack(d));
const stylePack = packTarget('style pack', (d) => writeTinyStylePack(d));

let onnxDir: string | null = null;
const onnx: FuzzTarget = {
  name: 'ONNX graph',
  errorClass: NotOnnxError,
  maxAmplification: 64,
  seeds: () => {
    onnxDir ??= scratch('onnx');
    const pack = path.join(onnxDir, 'pack');
    if (!fs.existsSync(pack)) writeTinyStylePack(pack);
    return fs
      .readdirSync(pack)
      .filter((f) => f.endsWith('.onnx'))
      .map((f) => new Uint8Array(fs.readFileSync(path.join(pack, f))));
  },
  read: (bytes) => {
    const file = path.join(onnxDir!, 'in.onnx');
    fs.writeFileSync(file, bytes);
    const info = readOnnxGraphInfo(file);
    return JSON.stringify(info).length;
  },
};

// Live Link Face's layout: timecode, shape count, the 52 shapes (capitalised), head and eye angles.
const ARKIT_HEADER = [
  'Timecode',
  'BlendShapeCount',
  ...ARKIT_BLENDSHAPES.map((n) => n[0].toUpperCase() + n.slice(1)),
  ...ARKIT_HEAD_COLUMNS,
  ...ARKIT_EYE_COLUMNS,
];
/** Values a cell may hold that keep the row a row: the parser must range-check and clamp them. */
const CSV_NUMBERS = [
  '0',
  '1',
  '-1',
  '1.5',
  '-0',
  '1e-7',
  '2',
  '99',
  '0.5',
  ' 0.25 ',
  '+1',
  '.5',
  '1.',
  '0x1',
  'Infinity',
  'NaN',
  '',
];
const CSV_TOKENS = [
  '',
  '0',
  '1',
  '-1',
  'NaN',
  '1e309',
  '0x10',
  '"',
  '""',
  ',',
  '\n',
  '12:00:00:99',
  '99:99:99:99.5',
  'constructor',
  '__proto__',
  'toString',
  'EyeBlinkLeft',
  'Timecode',
];

const arkitCsv: FuzzTarget = {
  name: 'ARKit CSV',
  errorClass: ArkitCsvError,
  maxAmplification: 16,
  seeds: (r) => {
    const rows = [ARKIT_HEADER.join(',')];
    for (let f = 0; f < 4; f++)
      rows.push(
        [`10:41:22:${15 + f}.000`, '61', ...ARKIT_HEADER.slice(2).map(() => r().toFixed(3))].join(','),
      );
    return [te.encode(rows.join('\r\n')), te.encode(rows.slice(0, 2).join('\n'))];
  },
  read: (bytes) => {
    const take = parseArkitCsv(td.decode(bytes));
    return take.frameCount * (ARKIT_HEADER.length + 1) * 4;
  },
  mutate(r, seed) {
    // split with a capture group: cells at even indices, separators (',' and line breaks) at odd.
    const cells = td.decode(seed).split(/(,|\r?\n)/);
    for (let k = 1 + int(r, 3); k > 0; k--) {
      const structural = r() < 0.3;
      const i = structural ? int(r, cells.length) : 2 * int(r, (cells.length + 1) >> 1);
      cells[i] = structural ? pick(r, CSV_TOKENS) : pick(r, CSV_NUMBERS);
    }
    return te.encode(cells.join(''));
  },
};

const OBJ_TOKENS = [
  'v',
  'vt',
  'vn',
  'f',
  '0',
  '-1',
  '-99',
  '4294967296',
  '1/1/1',
  '1//1',
  '/',
  'NaN',
  '1e400',
  '',
  '#',
  '\n',
];

const obj: FuzzTarget = {
  name: 'OBJ',
  errorClass: Error,
  // The head-model importer's own errors are plain Errors that name the file.
  isFormatError: (err) => err instanceof Error && err.message.startsWith('head.obj'),
  // The growable arrays start at 64 K elements (~1.4 MB whatever the input).
  maxAmplification: 64,
  seeds: () => [
    te.encode(
      [
        '# a quad and a triangle',
        'v 0 0 0',
        'v 1 0 0',
        'v 1 1 0',
        'v 0 1 0.5',
        'vt 0 0',
        'vt 1 0',
        'vt 1 1',
        'vt 0 1',
        'vn 0 0 1',
        'f 1/1/1 2/2/1 3/3/1 4/4/1',
        'f 1/1 3/3 4/4',
        'f -1 -2 -3',
      ].join('\n'),
    ),
  ],
  read: (bytes) => {
    const m = parseObjMesh(td.decode(bytes), 'head.obj');
    const got =
      m.positions.byteLength +
      m.texcoords.byteLength +
      m.triangles.byteLength +
      m.triangleTexcoords.byteLength +
      m.triangleFace.byteLength;
    return Math.max(0, got - (1 << 20));
  },
  mutate(r, seed) {
    const words = td.decode(seed).split(/( |\n)/);
    for (let k = 1 + int(r, 3); k > 0; k--) words[int(r, words.length)] = pick(r, OBJ_TOKENS);
    return te.encode(words.join(''));
  },
};

export const IMPORT_TARGETS: readonly FuzzTarget[] = [modelPack, stylePack, onnx, arkitCsv, obj];
