// Inputs an artist can drop that are not a clean single portrait: each gets a clear outcome.
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { PreprocessError, preprocessPortrait } from '../../src/engine/preprocess/index';

const repoRoot = path.resolve(__dirname, '../..');
const portraits = path.resolve(repoRoot, '../shared/fixtures/portraits');
const hq2 = fs.readFileSync(path.join(portraits, 'hq-0002-matted-rgba.png'));
const hq3 = fs.readFileSync(path.join(portraits, 'hq-0003-matted-rgba.png'));

async function expectCode(input: Uint8Array, code: PreprocessError['code']) {
  const err = await preprocessPortrait(input).then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(PreprocessError);
  expect((err as PreprocessError).code).toBe(code);
  expect((err as PreprocessError).message.length).toBeGreaterThan(10);
}

describe('bad input', () => {
  it('not an image', async () => {
    await expectCode(new TextEncoder().encode('hello, this is a text file, not a portrait'), 'not-an-image');
    await expectCode(new Uint8Array(0), 'not-an-image');
  });

  it('a truncated JPEG', async () => {
    const jpeg = await sharp(hq2).flatten({ background: '#ffffff' }).jpeg().toBuffer();
    await expectCode(jpeg.subarray(0, Math.floor(jpeg.length / 2)), 'corrupt');
  });

  it('a 10x10 image', async () => {
    const tiny = await sharp({ create: { width: 10, height: 10, channels: 3, background: '#888' } }).png().toBuffer();
    await expectCode(tiny, 'too-small');
  });

  it('a header claiming 30,000 x 30,000 px is refused before decoding', async () => {
    // Real PNG signature + IHDR of a 30000x30000 RGB image, no pixel data: only the header is read.
    const png = await sharp({ create: { width: 64, height: 64, channels: 3, background: '#888' } }).png().toBuffer();
    const forged = Buffer.from(png);
    forged.writeUInt32BE(30000, 16);
    forged.writeUInt32BE(30000, 20);
    await expectCode(forged, 'too-large');
  });

  it('a real 30,000-px-wide panorama is downscaled on decode (no memory blow-up) and refused with advice', async () => {
    const strip = await sharp({ create: { width: 30000, height: 2400, channels: 3, background: '#ffffff' } })
      .composite([{ input: await sharp(hq2).resize(2400, 2400).png().toBuffer(), left: 13800, top: 0 }])
      .jpeg({ quality: 80 })
      .toBuffer();
    const t0 = performance.now();
    const rss0 = process.memoryUsage().rss;
    // At 1536x123 working size the person is ~60 px tall: too thin to segment; the message says why.
    const err = (await preprocessPortrait(strip).catch((e: unknown) => e)) as PreprocessError;
    expect(err).toBeInstanceOf(PreprocessError);
    expect(err.code).toBe('empty-foreground');
    expect(err.message).toMatch(/very wide \(30000x2400\): crop it around the person/);
    expect(performance.now() - t0).toBeLessThan(20_000);
    expect(process.memoryUsage().rss - rss0).toBeLessThan(400 * 2 ** 20); // 72 MP RGB would be 216 MB alone
  });

  it('no face: framed from the matte with a warning', async () => {
    // hq-0002 with the face painted over (alpha kept): a head-and-shoulders shape without a face.
    const cover = await sharp({ create: { width: 280, height: 330, channels: 4, background: { r: 120, g: 110, b: 100, alpha: 1 } } }).png().toBuffer();
    const faceless = await sharp(hq2).composite([{ input: cover, left: 116, top: 60, blend: 'atop' }]).png().toBuffer();
    const r = await preprocessPortrait(faceless);
    expect(r.face).toBeNull();
    expect(r.idCrop112).toBeNull();
    expect(r.warnings.some((w) => w.startsWith('No face found'))).toBe(true);
    expect(r.matte512.data.some((v) => v > 0.9)).toBe(true);
  });

  it('several faces: the largest is used, with a warning', async () => {
    const big = await sharp(hq2).flatten({ background: '#ffffff' }).png().toBuffer();
    const small = await sharp(hq3).flatten({ background: '#ffffff' }).resize(300, 300).png().toBuffer();
    const group = await sharp({ create: { width: 900, height: 600, channels: 3, background: '#ffffff' } })
      .composite([{ input: big, left: 20, top: 40 }, { input: small, left: 580, top: 200 }])
      .png()
      .toBuffer();
    const r = await preprocessPortrait(group);
    expect(r.warnings.some((w) => /2 faces found; using the largest/.test(w))).toBe(true);
    // The chosen face came from the big portrait on the left: in source pixels its centre is x < 560.
    const box = r.face!.box;
    const srcCx = (box.x + box.width / 2) / r.framing.scale + r.framing.offsetX;
    expect(srcCx).toBeLessThan(560);
  });

  it('animated GIF: the first frame is used', async () => {
    const frame = await sharp(hq2).flatten({ background: '#ffffff' }).resize(256, 256).raw().toBuffer();
    const black = Buffer.alloc(frame.length);
    const gif = await sharp(Buffer.concat([frame, black]), { raw: { width: 256, height: 512, channels: 3, pageHeight: 256 } })
      .gif({ loop: 0, delay: [100, 100] })
      .toBuffer();
    const r = await preprocessPortrait(gif);
    expect(r.warnings.some((w) => /2 frames/.test(w))).toBe(true);
    expect(r.face).not.toBeNull();
  });

  it('16-bit PNG with alpha and an EXIF-rotated JPEG decode upright', async () => {
    const png16 = await sharp(hq2).toColourspace('rgb16').png().toBuffer();
    expect((await sharp(png16).metadata()).depth).toBe('ushort');
    const r16 = await preprocessPortrait(png16);
    expect(r16.face).not.toBeNull();
    // Stored rotated 90 degrees clockwise with EXIF orientation 8 (display: rotate back).
    const rotated = await sharp(hq2).flatten({ background: '#ffffff' }).rotate(90).jpeg().withMetadata({ orientation: 8 }).toBuffer();
    const rr = await preprocessPortrait(rotated);
    expect(rr.face).not.toBeNull();
    expect(Math.abs(rr.face!.rollDeg)).toBeLessThan(10); // upright after orientation
  });

  it('an aborted signal stops the run', async () => {
    const ac = new AbortController();
    ac.abort();
    await expect(preprocessPortrait(hq2, { signal: ac.signal })).rejects.toThrow();
  });
});
