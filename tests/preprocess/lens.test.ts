/**
 * The photo's lens: read from the EXIF 35 mm-equivalent focal length a phone or camera writes, carried
 * into the 512 crop's field of view, and stated by the user instead. A wrong lens bends the head away
 * from the input view (docs/eval.md), so what the file says must arrive intact, and a file that says
 * nothing usable must change nothing.
 */
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { decodePortrait } from '../../src/engine/preprocess/decode';
import { cropFovyDeg, exifFovyDeg, portraitLens } from '../../src/engine/preprocess/lens';
import { parseRunSettingsFlags } from '../../src/cli/run-settings-flags';

const DEG = Math.PI / 180;

async function photo(width: number, height: number, exif?: Record<string, string>): Promise<Uint8Array> {
  let img = sharp({ create: { width, height, channels: 3, background: '#8a7060' } }).jpeg();
  if (exif) img = img.withExif({ IFD0: { Make: 'HeadForgeTest' }, IFD2: exif });
  return new Uint8Array(await img.toBuffer());
}

describe('the photo lens', () => {
  it("reads a phone's 26 mm-equivalent lens as about 67 degrees over a portrait-oriented 3:4 photo", async () => {
    const decoded = await decodePortrait(await photo(300, 400, { FocalLengthIn35mmFilm: '26', FocalLength: '4.2' }));
    // f = 26 / 43.27 x hypot(300, 400) = 300.5 px; vertical fov = 2 atan(200 / 300.5).
    expect(decoded.exifFovyDeg).not.toBeNull();
    expect(decoded.exifFovyDeg!).toBeCloseTo((2 * Math.atan(200 / ((26 / Math.hypot(36, 24)) * 500))) / DEG, 3);
    expect(decoded.exifFovyDeg!).toBeGreaterThan(66);
    expect(decoded.exifFovyDeg!).toBeLessThan(68);
  });

  it('a photo with no 35 mm-equivalent focal length (or a zero, or a broken EXIF block) has no lens', async () => {
    expect((await decodePortrait(await photo(200, 200))).exifFovyDeg).toBeNull();
    // A physical focal length alone needs the sensor size, which the file does not give.
    expect((await decodePortrait(await photo(200, 200, { FocalLength: '4.2' }))).exifFovyDeg).toBeNull();
    expect((await decodePortrait(await photo(200, 200, { FocalLengthIn35mmFilm: '0' }))).exifFovyDeg).toBeNull();
    expect(exifFovyDeg(new Uint8Array([0x45, 0x78, 0x69, 0x66, 0, 0, 1, 2, 3]), 200, 200)).toBeNull();
    expect(exifFovyDeg(undefined, 200, 200)).toBeNull();
  });

  it('a photo cropped to another shape than the camera took has no lens; a resized one keeps it', async () => {
    // The camera's EXIF records its 600 x 800 frame (libvips writes the saved size there); an editor
    // that crops the picture to a square and keeps the block leaves that frame behind.
    const camera = await sharp(await photo(600, 800, { FocalLengthIn35mmFilm: '26' })).metadata();
    expect(exifFovyDeg(camera.exif, 600, 800)).toBeGreaterThan(66);
    expect(exifFovyDeg(camera.exif, 450, 600)).toBeCloseTo(exifFovyDeg(camera.exif, 600, 800)!, 9);
    expect(exifFovyDeg(camera.exif, 600, 600)).toBeNull();
  });

  it('the crop sees the photo magnified: a crop of the full height keeps its field of view, a tighter crop narrows it', () => {
    expect(cropFovyDeg(50, { scale: 512 / 1000, sourceHeight: 1000 })).toBeCloseTo(50, 9);
    // Half the height in the crop: tan(fov / 2) halves.
    const half = cropFovyDeg(50, { scale: 1024 / 1000, sourceHeight: 1000 });
    expect(Math.tan((half * DEG) / 2)).toBeCloseTo(Math.tan(25 * DEG) / 2, 9);
  });

  it('a stated lens wins over the EXIF one, which wins over none', () => {
    const pre = { framing: { scale: 512 / 1000, sourceHeight: 1000 }, exifFovyDeg: 60 };
    expect(portraitLens(pre, 20)).toEqual({ cropFovyDeg: expect.closeTo(20, 9), source: 'stated' });
    expect(portraitLens(pre)).toEqual({ cropFovyDeg: expect.closeTo(60, 9), source: 'exif' });
    expect(portraitLens({ framing: pre.framing })).toBeNull();
  });

  it('generate --fov states the lens; a lens that is not one is refused in the flag\'s own name', () => {
    const base = { seed: 0, quality: 'draft' };
    expect(parseRunSettingsFlags({ fov: '65' }, base).inputFovyDeg).toBe(65);
    expect(parseRunSettingsFlags({}, base).inputFovyDeg).toBeUndefined();
    expect(() => parseRunSettingsFlags({ fov: '0.2' }, base)).toThrow(/--fov/);
    expect(() => parseRunSettingsFlags({ fov: 'wide' }, base)).toThrow(/--fov/);
  });
});
