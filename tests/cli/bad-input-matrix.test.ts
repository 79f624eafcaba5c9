/**
 * Issue 20's bad-input matrix (the part this checkout covers): ordinary input and disk problems make
 * the CLI exit 2 (bad input / path) or 3 (disk full / not writable) with one sentence — never
 * "internal error" with a stack — and a failed command changes no existing file and leaves no temp
 * files behind. Full-disk cases inject ENOSPC into the one atomic writer (run-folder/atomic-write.ts).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { nodeLibraryFs, writeFileAtomic as libraryWrite } from '../../src/engine/run-folder/atomic-write';
import { writeFileAtomic as runWrite } from '../../src/engine/pipeline/run-files';
import { writeFileAtomic as splatWrite } from '../../src/engine/splat-io/files';
import { writePng } from '../../src/engine/image-io';
import { writeGlb } from '../../src/shared/splat/gltf';
import { writePly } from '../../src/shared/splat/ply';
import { writeSpz } from '../../src/shared/splat/spz';
import { joinGlb, randomCloud, rng } from '../fuzz/harness';
import { runCli } from './run-cli';

let dir: string;
let goodPly: string;
let hugePng: string;
let smallPng: string;

/** A valid 1x1 PNG whose IHDR is rewritten to declare width x height (CRC fixed): ~100 bytes. */
async function pngDeclaring(width: number, height: number): Promise<Buffer> {
  const png = await sharp({ create: { width: 1, height: 1, channels: 3, background: '#888' } })
    .png()
    .toBuffer();
  png.writeUInt32BE(width, 16);
  png.writeUInt32BE(height, 20);
  png.writeUInt32BE(crc32(png.subarray(12, 29)), 29);
  return png;
}

function crc32(bytes: Uint8Array): number {
  let c = ~0;
  for (const b of bytes) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
  }
  return ~c >>> 0;
}

const enospc = (): NodeJS.ErrnoException =>
  Object.assign(new Error('ENOSPC: no space left on device, write'), {
    code: 'ENOSPC',
    errno: -28,
    syscall: 'write',
  });

/** Make the atomic writer fail like a full disk: half the data lands in the temp file, then ENOSPC. */
function diskFull(): void {
  vi.spyOn(nodeLibraryFs, 'writeNew').mockImplementation(async (file, data) => {
    await fs.promises.writeFile(file, data.subarray(0, data.length >> 1), { flag: 'wx' });
    throw enospc();
  });
}

/** Files in `folder`, for "nothing left behind" checks. */
const listing = (folder: string): string[] => fs.readdirSync(folder).sort();

function expectSentence(err: string): void {
  expect(err).not.toMatch(/internal error/);
  expect(err).not.toMatch(/\n\s+at /); // no stack frames
  // The first line says what went wrong (a usage error may follow it with the command's usage text).
  expect(err.split('\n')[0]).toMatch(/^headforge \w+: \S/);
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hf-badinput-'));
  goodPly = path.join(dir, 'good.ply');
  fs.writeFileSync(goodPly, writePly(randomCloud(rng(7), 50, 1)));
  hugePng = path.join(dir, 'huge.png');
  fs.writeFileSync(hugePng, await pngDeclaring(10_000, 10_000));
  smallPng = path.join(dir, 'small.png');
  await sharp({ create: { width: 96, height: 96, channels: 3, background: '#a0522d' } })
    .png()
    .toFile(smallPng);
});

afterEach(() => vi.restoreAllMocks());
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('one atomic writer', () => {
  it('run outputs, splat exports and the library share run-folder/atomic-write.ts', () => {
    expect(runWrite).toBe(libraryWrite);
    expect(splatWrite).toBe(libraryWrite);
  });

  it('writePng on a full disk keeps the existing file and leaves no temp file', async () => {
    const out = path.join(dir, 'keep', 'portrait.png');
    fs.mkdirSync(path.dirname(out));
    fs.writeFileSync(out, 'the user file');
    diskFull();
    const img = { width: 8, height: 8, data: new Uint8ClampedArray(8 * 8 * 4).fill(200) };
    await expect(writePng(out, img)).rejects.toMatchObject({ code: 'DISK_FULL' });
    expect(fs.readFileSync(out, 'utf8')).toBe('the user file');
    expect(listing(path.dirname(out))).toEqual(['portrait.png']);
  });
});

describe('CLI: ordinary problems are exit 2/3 with a sentence (issue 20)', () => {
  const cases: { name: string; argv: () => string[]; code: number; message: RegExp; setup?: () => void }[] = [
    {
      name: 'info: missing file',
      argv: () => ['info', path.join(dir, 'nope.ply')],
      code: 2,
      message: /nope\.ply/,
    },
    { name: 'info: a folder', argv: () => ['info', dir], code: 2, message: /./ },
    {
      name: 'info: GLB with a schema error',
      argv: () => {
        const glb = writeGlb(randomCloud(rng(3), 10, 0));
        const jsonLen = new DataView(glb.buffer).getUint32(12, true);
        const json = JSON.parse(new TextDecoder().decode(glb.subarray(20, 20 + jsonLen))) as {
          accessors: { count: unknown }[];
        };
        json.accessors[0].count = 'many';
        const bin = glb.subarray(28 + jsonLen);
        const file = path.join(dir, 'schema.glb');
        fs.writeFileSync(file, joinGlb(json, bin));
        return ['info', file];
      },
      code: 2,
      message: /GLB: JSON accessors\[0\]\.count/,
    },
    {
      name: "info: PLY with a property of type 'constructor' declaring 3 M vertices",
      argv: () => {
        const text = fs
          .readFileSync(goodPly, 'latin1')
          .replace('element vertex 50', 'element vertex 3000000')
          .replace('property float opacity', 'property constructor opacity');
        const file = path.join(dir, 'ctor.ply');
        fs.writeFileSync(file, Buffer.from(text, 'latin1'));
        return ['info', file];
      },
      code: 2,
      message: /PLY: bad property/,
    },
    {
      name: 'convert: output folder missing',
      argv: () => ['convert', goodPly, path.join(dir, 'no-such-folder', 'out.spz')],
      code: 2,
      message: /no-such-folder/,
    },
    {
      name: 'info: an empty file',
      argv: () => {
        fs.writeFileSync(path.join(dir, 'empty.ply'), '');
        return ['info', path.join(dir, 'empty.ply')];
      },
      code: 2,
      message: /empty/,
    },
    {
      name: 'info: a truncated SPZ',
      argv: () => {
        fs.writeFileSync(path.join(dir, 'cut.spz'), writeSpz(randomCloud(rng(4), 30, 1)).subarray(0, 40));
        return ['info', path.join(dir, 'cut.spz')];
      },
      code: 2,
      message: /SPZ: /,
    },
    {
      name: 'info: a .splat whose size is not a multiple of 32',
      argv: () => {
        fs.writeFileSync(path.join(dir, 'odd.splat'), new Uint8Array(100));
        return ['info', path.join(dir, 'odd.splat')];
      },
      code: 2,
      message: /not a multiple of 32/,
    },
    {
      name: 'convert: the input is a folder',
      argv: () => ['convert', dir, path.join(dir, 'out.spz')],
      code: 2,
      message: /./,
    },
    {
      name: 'convert: the output is an existing folder',
      argv: () => {
        fs.mkdirSync(path.join(dir, 'is-a-folder.spz'), { recursive: true });
        return ['convert', goodPly, path.join(dir, 'is-a-folder.spz')];
      },
      code: 2,
      message: /is-a-folder\.spz/,
    },
    {
      name: 'convert: a damaged PLY in',
      argv: () => {
        fs.writeFileSync(path.join(dir, 'cut.ply'), fs.readFileSync(goodPly).subarray(0, 2000));
        return ['convert', path.join(dir, 'cut.ply'), path.join(dir, 'out2.spz')];
      },
      code: 2,
      message: /PLY: /,
    },
    {
      name: 'stylize: output folder missing',
      argv: () => ['stylize', smallPng, path.join(dir, 'nowhere', 'x.png'), '--style', 'cel'],
      code: 2,
      message: /nowhere/,
    },
    {
      name: 'stylize: a damaged head in',
      argv: () => {
        fs.writeFileSync(
          path.join(dir, 'bad-head.ply'),
          'ply\nformat ascii 1.0\nelement vertex 3\nend_header\n',
        );
        return ['stylize', path.join(dir, 'bad-head.ply'), path.join(dir, 'out3.ply'), '--hue', '30'];
      },
      code: 2,
      message: /PLY/,
    },
    {
      name: 'frontal: output folder missing',
      argv: () => ['frontal', goodPly, path.join(dir, 'nowhere', 'front.png')],
      code: 2,
      message: /nowhere/,
    },
    {
      name: 'animate: --path file that is not JSON',
      argv: () => {
        fs.writeFileSync(path.join(dir, 'path-bad.json'), '[{"timeS": 0,');
        return ['animate', goodPly, path.join(dir, 'a.gif'), '--path', path.join(dir, 'path-bad.json')];
      },
      code: 2,
      message: /--path must be turntable, orbit, nod or a JSON file/,
    },
    {
      name: 'animate: --path keyframes of the wrong shape',
      argv: () => {
        fs.writeFileSync(path.join(dir, 'path-shape.json'), '[{"timeS": 0, "azimuthDeg": "left"}]');
        return ['animate', goodPly, path.join(dir, 'a.gif'), '--path', path.join(dir, 'path-shape.json')];
      },
      code: 2,
      message: /--path .*path-shape\.json: .*azimuthDeg/,
    },
    {
      name: 'animate: --anchors JSON that is not anchors',
      argv: () => {
        fs.writeFileSync(path.join(dir, 'anchors.json'), '{"mesh478": [1, 2, 3]}');
        return [
          'animate',
          goodPly,
          path.join(dir, 'a.gif'),
          '--expression',
          'smile',
          '--anchors',
          path.join(dir, 'anchors.json'),
        ];
      },
      code: 2,
      message: /--anchors .*anchors\.json must hold FaceAnchors/,
    },
    {
      name: 'animate: output folder cannot be written (checked before rendering)',
      argv: () => {
        fs.writeFileSync(path.join(dir, 'a-file'), '');
        return ['animate', goodPly, path.join(dir, 'a-file', 'clip.gif')];
      },
      code: 2,
      message: /cannot write .*a-file\/clip\.gif/,
    },
    {
      name: 'stylize: a 97-byte PNG declaring 10000x10000',
      argv: () => ['stylize', hugePng, path.join(dir, 'huge-out.png'), '--style', 'cel'],
      code: 2,
      message: /10000x10000.*limit/,
    },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const argv = c.argv(); // may write the case's input file first
      const before = listing(dir);
      const res = await runCli(argv);
      expect(res.code, res.err).toBe(c.code);
      expect(res.err.split('\n')[0]).toMatch(c.message);
      expectSentence(res.err);
      // Nothing new in the work folder: no output, no temp file.
      expect(listing(dir).filter((f) => !before.includes(f))).toEqual([]);
    });
  }

  it('convert on a full disk: exit 3, the existing output untouched, no .tmp left', async () => {
    const out = path.join(dir, 'full', 'out.spz');
    fs.mkdirSync(path.dirname(out));
    fs.writeFileSync(out, 'previous export');
    diskFull();
    const res = await runCli(['convert', goodPly, out]);
    expect(res.code, res.err).toBe(3);
    expect(res.err).toMatch(/disk is full/);
    expectSentence(res.err);
    expect(fs.readFileSync(out, 'utf8')).toBe('previous export');
    expect(listing(path.dirname(out))).toEqual(['out.spz']);
  });

  it('stylize on a full disk: exit 3, the existing PNG untouched (it used to be truncated)', async () => {
    const out = path.join(dir, 'full-stylize', 'styled.png');
    fs.mkdirSync(path.dirname(out));
    fs.writeFileSync(out, 'previous result');
    diskFull();
    const res = await runCli(['stylize', smallPng, out, '--style', 'cel']);
    expect(res.code, res.err).toBe(3);
    expect(res.err).toMatch(/disk is full/);
    expectSentence(res.err);
    expect(fs.readFileSync(out, 'utf8')).toBe('previous result');
    expect(listing(path.dirname(out))).toEqual(['styled.png']);
  });
});
