/**
 * MP4 (H.264) / WebM (VP9) encoding for the CLI and tests by driving Debian's headless Chromium:
 * WebCodecs encodes and mediabunny muxes, i.e. exactly the code path the studio UI uses in its
 * renderer, so the app needs no external encoder binary. Frames are rendered natively in this
 * process and streamed to the page over a loopback HTTP server (one raw RGBA frame per request).
 * See docs/animation.md for why this over ffmpeg.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { ENCODER_PAGE_HTML } from './browser-page';
import { FrameQueue, type FrameProducer } from './frame-queue';

export type VideoContainer = 'mp4' | 'webm';

export interface VideoEncodeOptions {
  container: VideoContainer;
  width: number;
  height: number;
  fps: number;
  frameCount: number;
  /** Bits per second; default 0.15 bit per pixel per frame (~3.5 Mbit/s at 512x512x30), which keeps hair detail. */
  bitrate?: number;
  /** Called after each frame is encoded. */
  onProgress?: (framesDone: number, frameCount: number) => void;
  signal?: AbortSignal;
  /** Chromium binary; default $HEADFORGE_CHROMIUM or /usr/bin/chromium. */
  chromiumPath?: string;
}

/** Codec per container: H.264 ('avc') in MP4, VP9 in WebM. Chromium has no HEVC encoder. */
export const CODEC_FOR_CONTAINER: Record<VideoContainer, 'avc' | 'vp9'> = { mp4: 'avc', webm: 'vp9' };

/** DESIGN.md section 7 flags for Debian's Chromium in a container (also used by the e2e harness). */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

function mediabunnyBundlePath(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  for (let dir = here; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'node_modules', 'mediabunny', 'dist', 'bundles', 'mediabunny.min.mjs');
    if (fs.existsSync(candidate)) return candidate;
    if (path.dirname(dir) === dir)
      throw new Error('mediabunny is not installed (node_modules/mediabunny not found)');
  }
}

export function defaultChromiumPath(): string {
  return process.env.HEADFORGE_CHROMIUM ?? '/usr/bin/chromium';
}

function validate(opts: VideoEncodeOptions): void {
  const { width, height, fps, frameCount } = opts;
  if (
    !Number.isInteger(width) ||
    !Number.isInteger(height) ||
    width < 16 ||
    height < 16 ||
    width > 4096 ||
    height > 4096
  ) {
    throw new RangeError(`video size must be integers in [16, 4096], got ${width}x${height}`);
  }
  if (width % 2 || height % 2)
    throw new RangeError(`video size must be even (4:2:0 chroma), got ${width}x${height}`);
  if (!(fps > 0 && fps <= 120)) throw new RangeError(`fps must be in (0, 120], got ${fps}`);
  if (!Number.isInteger(frameCount) || frameCount < 1)
    throw new RangeError(`frame count must be >= 1, got ${frameCount}`);
  if (!(opts.container in CODEC_FOR_CONTAINER))
    throw new RangeError(`unknown container "${opts.container}" (mp4 or webm)`);
}

/**
 * Encode `frameCount` frames from `produce` (opaque RGBA, width x height) into an MP4 or WebM file.
 * Rejects with an AbortError when `signal` aborts; the browser is always closed.
 */
export async function encodeVideoInChromium(
  produce: FrameProducer,
  opts: VideoEncodeOptions,
): Promise<Uint8Array> {
  validate(opts);
  const chromiumPath = opts.chromiumPath ?? defaultChromiumPath();
  if (!fs.existsSync(chromiumPath)) {
    throw new Error(
      `Chromium not found at ${chromiumPath}; install Debian's chromium or set HEADFORGE_CHROMIUM`,
    );
  }
  opts.signal?.throwIfAborted();
  const { width, height, frameCount } = opts;
  const frameBytes = width * height * 4;
  const queue = new FrameQueue(produce, frameCount);
  const bundle = fs.readFileSync(mediabunnyBundlePath());

  let resolveResult!: (b: Uint8Array) => void;
  const resultPromise = new Promise<Uint8Array>((r) => (resolveResult = r));
  const server = http.createServer((req, res) => {
    const url = req.url ?? '/';
    const fail = (code: number, msg: string) => {
      res.writeHead(code, { 'content-type': 'text/plain' });
      res.end(msg);
    };
    if (url === '/') {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(ENCODER_PAGE_HTML);
    } else if (url === '/mediabunny.mjs') {
      res.writeHead(200, { 'content-type': 'text/javascript' });
      res.end(bundle);
    } else if (url.startsWith('/frame/')) {
      queue.take(Number(url.slice(7))).then(
        (img) => {
          if (img.width !== width || img.height !== height || img.data.length !== frameBytes) {
            fail(500, `frame is ${img.width}x${img.height}, expected ${width}x${height}`);
            return;
          }
          res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': frameBytes });
          res.end(Buffer.from(img.data.buffer, img.data.byteOffset, img.data.byteLength));
        },
        (err: unknown) => fail(500, err instanceof Error ? err.message : String(err)),
      );
    } else if (url === '/result' && req.method === 'POST') {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        res.end('ok');
        resolveResult(new Uint8Array(Buffer.concat(chunks)));
      });
    } else {
      fail(404, 'not found');
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;

  let browser: Browser | null = null;
  const onAbort = () => void browser?.close();
  opts.signal?.addEventListener('abort', onAbort);
  try {
    browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: CHROMIUM_ARGS });
    if (opts.signal?.aborted) throw opts.signal.reason;
    const page = await browser.newPage();
    await page.exposeFunction('headforgeProgress', (done: number) => opts.onProgress?.(done, frameCount));
    // 127.0.0.1 is a secure context, which WebCodecs requires.
    await page.goto(`http://127.0.0.1:${port}/`);
    await page.waitForFunction(() => (window as unknown as { encoderReady?: boolean }).encoderReady === true);
    const cfg = {
      container: opts.container,
      codec: CODEC_FOR_CONTAINER[opts.container],
      width,
      height,
      fps: opts.fps,
      frameCount,
      bitrate: opts.bitrate ?? Math.round(0.15 * width * height * opts.fps),
      keyFrameIntervalS: 2,
    };
    type EncodeWindow = { encodeClip(c: typeof cfg): Promise<number> };
    const size = await page.evaluate((c) => (window as unknown as EncodeWindow).encodeClip(c), cfg);
    const bytes = await resultPromise;
    if (bytes.length !== size) throw new Error(`encoder returned ${size} bytes but ${bytes.length} arrived`);
    return bytes;
  } catch (err) {
    if (opts.signal?.aborted) {
      const e = new Error('video encoding cancelled');
      e.name = 'AbortError';
      throw e;
    }
    throw err;
  } finally {
    opts.signal?.removeEventListener('abort', onAbort);
    await browser?.close().catch(() => undefined);
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  }
}
