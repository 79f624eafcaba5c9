/**
 * The work folder every bad-input case runs in: good and bad input files of each kind, output places,
 * a library and a models folder of its own (the CLI would otherwise use the home folder), and the
 * helpers the table uses around each case (a snapshot of every file, an injected full disk).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import sharp from 'sharp';
import { vi } from 'vitest';
import { nodeLibraryFs } from '../../../src/engine/run-folder/atomic-write';
import { writeGlb } from '../../../src/shared/splat/gltf';
import { writePly } from '../../../src/shared/splat/ply';
import { writeSpz } from '../../../src/shared/splat/spz';
import { joinGlb, randomCloud, rng } from '../../fuzz/mutate';

let W = ''; // set by makeWorkFolder
/** A path inside the work folder (case argv are built lazily, after the folder exists). */
export const p = (...parts: string[]): string => path.join(W, ...parts);
export const workFolder = (): string => W;

/** A valid 1x1 PNG whose IHDR declares width x height (CRC fixed): ~70 bytes. */
export async function pngDeclaring(width: number, height: number): Promise<Buffer> {
  const png = await sharp({ create: { width: 1, height: 1, channels: 3, background: '#888' } })
    .png()
    .toBuffer();
  png.writeUInt32BE(width, 16);
  png.writeUInt32BE(height, 20);
  let c = ~0;
  for (const b of png.subarray(12, 29)) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
  }
  png.writeUInt32BE(~c >>> 0, 29);
  return png;
}

/** Every file under `dir` with its size and a hash of its bytes (folders as entries too). */
export function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const f = path.join(d, e.name);
      const rel = path.relative(dir, f);
      if (e.isDirectory()) {
        out[rel + '/'] = 'dir';
        walk(f);
      } else out[rel] = crypto.createHash('sha1').update(fs.readFileSync(f)).digest('hex');
    }
  };
  walk(dir);
  return out;
}

const enospc = (): NodeJS.ErrnoException =>
  Object.assign(new Error('ENOSPC: no space left on device, write'), {
    code: 'ENOSPC',
    errno: -28,
    syscall: 'write',
  });

/** The atomic writer fails like a full disk: half the data lands in the temp file, then ENOSPC. */
export function diskFull(): void {
  vi.spyOn(nodeLibraryFs, 'writeNew').mockImplementation(async (file, data) => {
    await fs.promises.writeFile(file, data.subarray(0, data.length >> 1), { flag: 'wx' });
    throw enospc();
  });
}

/** A valid splat GLB whose first accessor's count is the string 'many' (a schema error). */
function glbWithStringCount(): Uint8Array {
  const glb = writeGlb(randomCloud(rng(3), 10, 0));
  const jsonLen = new DataView(glb.buffer, glb.byteOffset).getUint32(12, true);
  const json = JSON.parse(new TextDecoder().decode(glb.subarray(20, 20 + jsonLen))) as {
    accessors: { count: unknown }[];
  };
  json.accessors[0].count = 'many';
  return joinGlb(json, glb.subarray(28 + jsonLen));
}

const saved: Record<string, string | undefined> = {};

export async function makeWorkFolder(): Promise<void> {
  W = fs.mkdtempSync(path.join(os.tmpdir(), 'hf-badtable-'));
  // The library, models and head model the CLI would otherwise look for in the home folder.
  for (const [k, v] of Object.entries({
    HEADFORGE_LIBRARY: p('library'),
    HEADFORGE_MODELS: p('models'),
  })) {
    saved[k] = process.env[k];
    process.env[k] = v;
  }
  const cloud = randomCloud(rng(11), 40, 0);
  const ply = writePly(cloud);
  const spz = writeSpz(cloud);
  const portrait = await sharp({ create: { width: 96, height: 96, channels: 3, background: '#a0522d' } })
    .png()
    .toBuffer();
  const jpeg = await sharp(portrait).jpeg().toBuffer();
  const files: Record<string, string | Uint8Array> = {
    'good.ply': ply,
    'portrait.png': portrait,
    'empty.ply': '',
    'empty.spz': '',
    'empty.png': '',
    'empty.jpg': '',
    'text.ply': 'hello, this is not a splat\n',
    'text.spz': 'hello, this is not a splat\n',
    'text.png': 'hello, this is not an image\n',
    'text.jpg': 'hello, this is not an image\n',
    'text.glb': 'hello\n',
    'text.json': '[{"timeS": 0,',
    'shape.json': '{"mesh478": [1, 2, 3], "timeS": "x"}',
    'doc.pdf': '%PDF-1.4\n%\u00e2\u00e3\n1 0 obj\n<<>>\nendobj\n',
    'truncated.ply': ply.subarray(0, ply.length >> 1),
    'truncated.spz': spz.subarray(0, spz.length >> 1),
    'truncated.png': portrait.subarray(0, portrait.length >> 1),
    'truncated.jpg': jpeg.subarray(0, jpeg.length >> 1),
    'huge.ply': new TextEncoder().encode(
      new TextDecoder('latin1').decode(ply).replace('element vertex 40', 'element vertex 3000000'),
    ),
    'huge.spz': (() => {
      // SPZ v2 header (gzip-wrapped): magic, version, count @8; declare 50 M points.
      const raw = zlib.gunzipSync(spz);
      raw.writeUInt32LE(50_000_000, 8);
      return zlib.gzipSync(raw);
    })(),
    'huge.png': await pngDeclaring(100_000, 100_000),
    '10k.png': await pngDeclaring(10_000, 10_000),
    'schema.glb': glbWithStringCount(),
    'ctor.ply': new TextEncoder().encode(
      new TextDecoder('latin1')
        .decode(ply)
        .replace('element vertex 40', 'element vertex 3000000')
        .replace('property float opacity', 'property constructor opacity'),
    ),
    'odd.splat': new Uint8Array(100),
    'no-props.ply': 'ply\nformat ascii 1.0\nelement vertex 3\nend_header\n',
    'path-shape.json': '[{"timeS": 0, "azimuthDeg": "left"}]',
    'huge.jpg': await pngDeclaring(60_000, 60_000),
    'bad-pack/pack.json': '{"format": "headforge-model-pack",',
    'bad-cams/opencv_cameras.json': '{"frames": [',
    'shape-cams/opencv_cameras.json': '{"frames": [{"w": "wide", "fx": null}]}',
    'null-record/record.json': 'null',
    'null-record/head.ply': ply,
    'run-no-fit/record.json': '{"resolved": {"elevationDeg": 0}}',
    'run-no-fit/head.ply': ply,
    'not-portraits/notes.txt': 'not a portrait',
    'not-portraits/empty.png': '',
    'full/keep.spz': 'previous export',
    'full/keep.png': 'previous result',
    'full/keep.ply': 'previous head',
    'full/keep.gif': 'previous clip',
  };
  for (const [rel, data] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(p(rel)), { recursive: true });
    fs.writeFileSync(p(rel), data);
  }
  for (const d of [
    'a-folder',
    'out',
    'library',
    'models',
    'is-a-folder.spz',
    'is-a-folder.png',
    'is-a-folder.ply',
    'is-a-folder.gif',
  ])
    fs.mkdirSync(p(d), { recursive: true });
}

export function removeWorkFolder(): void {
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  fs.rmSync(W, { recursive: true, force: true });
}
