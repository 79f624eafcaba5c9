/**
 * Encoders that need no browser: a PNG sequence (straight alpha, so a transparent background stays
 * transparent for compositing) and an animated GIF (libvips' cgif via sharp: 256-colour palette,
 * binary transparency, delays in 10 ms steps, so 30 fps plays at ~33 fps in most viewers).
 */
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import sharp from 'sharp';
import { fsError } from '../run-folder/atomic-write';
import type { RgbaImage } from '../../shared/image';
import type { FrameProducer } from './frame-queue';

export interface SequenceEncodeOptions {
  frameCount: number;
  onProgress?: (done: number, total: number) => void;
  signal?: AbortSignal;
}

function rawInput(img: RgbaImage) {
  return sharp(Buffer.from(img.data.buffer, img.data.byteOffset, img.data.byteLength), {
    raw: { width: img.width, height: img.height, channels: 4 },
  });
}

/** Name of frame i in a sequence: frame_00000.png (5 digits: up to ~55 min at 30 fps). */
export function sequenceFrameName(i: number): string {
  return `frame_${String(i).padStart(5, '0')}.png`;
}

/**
 * Writes dir/frame_00000.png ...; returns the file paths in order. All or nothing (issue 20): the
 * frames go to a hidden sibling folder that replaces `dir` as a whole once every frame is written, so
 * a cancel, a crash or a full disk leaves no half sequence and never mixes with an older one.
 */
export async function writePngSequence(
  produce: FrameProducer,
  dir: string,
  opts: SequenceEncodeOptions,
): Promise<string[]> {
  const final = path.resolve(dir);
  const temp = path.join(
    path.dirname(final),
    `.${path.basename(final)}.${randomBytes(4).toString('hex')}.partial`,
  );
  fs.mkdirSync(temp, { recursive: true });
  const names: string[] = [];
  try {
    for (let i = 0; i < opts.frameCount; i++) {
      opts.signal?.throwIfAborted();
      names.push(sequenceFrameName(i));
      await rawInput(await produce(i))
        .png({ compressionLevel: 6 })
        .toFile(path.join(temp, names[i]));
      opts.onProgress?.(i + 1, opts.frameCount);
    }
    const aside = `${temp}.old`;
    const hadOld = fs.existsSync(final);
    if (hadOld) fs.renameSync(final, aside);
    try {
      fs.renameSync(temp, final);
    } catch (err) {
      if (hadOld) fs.renameSync(aside, final);
      throw err;
    }
    if (hadOld) fs.rmSync(aside, { recursive: true, force: true });
  } catch (err) {
    fs.rmSync(temp, { recursive: true, force: true });
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOSPC' || code === 'EDQUOT') throw fsError(err, `write the PNG sequence ${final}`);
    throw err;
  }
  return names.map((n) => path.join(final, n));
}

/** Animated, looping GIF of all frames (collected in memory: W*H*4*frames bytes). */
export async function encodeGif(
  produce: FrameProducer,
  opts: SequenceEncodeOptions & { fps: number },
): Promise<Uint8Array> {
  if (!(opts.fps > 0 && opts.fps <= 100))
    throw new RangeError(`GIF fps must be in (0, 100], got ${opts.fps}`);
  const frames: RgbaImage[] = [];
  for (let i = 0; i < opts.frameCount; i++) {
    opts.signal?.throwIfAborted();
    frames.push(await produce(i));
    opts.onProgress?.(i + 1, opts.frameCount);
  }
  const { width, height } = frames[0];
  if (frames.some((f) => f.width !== width || f.height !== height))
    throw new RangeError('GIF frames must all be the same size');
  // libvips takes an animation as one tall image of stacked pages.
  const stacked = Buffer.alloc(width * height * 4 * frames.length);
  frames.forEach((f, i) => stacked.set(f.data, i * width * height * 4));
  const delayMs = Math.max(10, Math.round(100 / opts.fps) * 10);
  const out = await sharp(stacked, {
    raw: { width, height: height * frames.length, channels: 4, pageHeight: height },
  })
    .gif({ loop: 0, delay: frames.map(() => delayMs), effort: 4, dither: 0.5 })
    .toBuffer();
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}
