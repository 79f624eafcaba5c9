/**
 * Encoders that need no browser: a PNG sequence (straight alpha, so a transparent background stays
 * transparent for compositing) and an animated GIF (libvips' cgif via sharp: 256-colour palette,
 * binary transparency, delays in 10 ms steps, so 30 fps plays at ~33 fps in most viewers).
 */
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
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

/** Writes dir/frame_00000.png ...; returns the file paths in order. */
export async function writePngSequence(
  produce: FrameProducer,
  dir: string,
  opts: SequenceEncodeOptions,
): Promise<string[]> {
  fs.mkdirSync(dir, { recursive: true });
  const files: string[] = [];
  for (let i = 0; i < opts.frameCount; i++) {
    opts.signal?.throwIfAborted();
    const file = path.join(dir, sequenceFrameName(i));
    await rawInput(await produce(i))
      .png({ compressionLevel: 6 })
      .toFile(file);
    files.push(file);
    opts.onProgress?.(i + 1, opts.frameCount);
  }
  return files;
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
