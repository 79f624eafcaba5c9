/**
 * `headforge generate` with bad input, through the real pipeline: each case ends with exit code 2
 * (bad input) and a message naming the problem, before any real work.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/index';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hf-cli-bad-'));
const library = path.join(tmp, 'library');
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** A grey RGB PNG of any size (the 20,000 x 20,000 one compresses to ~1 MB). */
function greyPng(w: number, h: number): Buffer {
  const row = Buffer.alloc(1 + w * 3, 0x80);
  row[0] = 0;
  const raw = Buffer.concat(Array.from({ length: h }, () => row));
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(zlib.crc32(td) >>> 0);
    return Buffer.concat([len, td, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', zlib.deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

async function generate(...args: string[]): Promise<{ code: number; text: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let text = '';
  stdout.on('data', (c: Buffer) => (text += c.toString()));
  stderr.on('data', (c: Buffer) => (text += c.toString()));
  const code = await main(['generate', ...args, '--library', library, '--quality', 'draft'], { stdout, stderr });
  return { code, text };
}

describe('headforge generate: bad input', () => {
  it('a missing file', async () => {
    const r = await generate(path.join(tmp, 'nope.jpg'));
    expect(r.code).toBe(2);
    expect(r.text).toMatch(/no such file/);
  });

  it('a directory', async () => {
    const r = await generate(tmp);
    expect(r.code).toBe(2);
    expect(r.text).toMatch(/cannot read .*(EISDIR|directory)/);
  });

  it('a PDF', async () => {
    const pdf = path.join(tmp, 'portrait.pdf');
    fs.writeFileSync(pdf, '%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
    const r = await generate(pdf);
    expect(r.code).toBe(2);
    expect(r.text).toMatch(/portrait\.pdf is not an image/);
  });

  it('a 10-pixel image', async () => {
    const tiny = path.join(tmp, 'tiny.png');
    fs.writeFileSync(tiny, greyPng(10, 10));
    const r = await generate(tiny);
    expect(r.code).toBe(2);
    expect(r.text).toMatch(/10x10; portraits need at least 64 px/);
  });

  it('a 20,000 x 20,000 image', async () => {
    const huge = path.join(tmp, 'huge.png');
    fs.writeFileSync(huge, greyPng(20_000, 20_000));
    const r = await generate(huge);
    expect(r.code).toBe(2);
    expect(r.text).toMatch(/huge\.png is not an image HeadForge can read \(over 100 megapixels: downscale it first\)/);
  });

  it('an --out that cannot be written', async () => {
    const file = path.join(tmp, 'a-file');
    fs.writeFileSync(file, '');
    const r = await generate(path.resolve(__dirname, '../../../shared/fixtures/portraits/hq-0001-matted-rgba.png'), '--out', path.join(file, 'sub'));
    expect(r.code).toBe(2);
    expect(r.text).toMatch(/cannot write to --out .*a-file\/sub: (ENOTDIR|EEXIST)/);
  });
});
