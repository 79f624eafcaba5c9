/**
 * Real preprocessed fixture portraits for the multi-view tests, the grid script and the bench.
 * preprocessPortrait is run once per fixture and cached under test-output/multiview-cache/ (a JSON
 * file with base64 typed arrays) because face mesh + matting take seconds on 2 cores; delete the
 * folder to refresh it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PreprocessResult } from '../../src/shared/contracts/preprocess';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const PORTRAIT_DIR = path.resolve(REPO_ROOT, '../shared/fixtures/portraits');
export const CACHE_DIR = path.join(REPO_ROOT, 'test-output', 'multiview-cache');

export const FIXTURE_PORTRAITS: readonly string[] = [
  'hq-0001-matted-rgba.png',
  'hq-0002-matted-rgba.png',
  'hq-0003-matted-rgba.png',
  'fl-000-expression.png',
  'fl-002-outdoor.png',
  'fl-005-drawing.png',
  'pd-astronaut-collins.png',
  'pd-grace-hopper.jpg',
];

type Json = { [k: string]: unknown };

function encode(value: unknown): unknown {
  if (value instanceof Float32Array) return { $f32: Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64') };
  if (value instanceof Uint8ClampedArray) return { $u8c: Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64') };
  if (value instanceof Uint8Array) return { $u8: Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64') };
  if (Array.isArray(value)) return value.map(encode);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, encode(v)]));
  return value;
}

function decode(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(decode);
  if (value && typeof value === 'object') {
    const o = value as Json;
    const bytes = (s: unknown) => {
      const b = Buffer.from(s as string, 'base64');
      return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength);
    };
    if ('$f32' in o) return new Float32Array(bytes(o.$f32));
    if ('$u8c' in o) return new Uint8ClampedArray(bytes(o.$u8c));
    if ('$u8' in o) return new Uint8Array(bytes(o.$u8));
    return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, decode(v)]));
  }
  return value;
}

export async function cachedPreprocess(cacheName: string, bytes: () => Promise<Uint8Array>): Promise<PreprocessResult> {
  const cache = path.join(CACHE_DIR, `${cacheName}.json`);
  if (fs.existsSync(cache)) return decode(JSON.parse(fs.readFileSync(cache, 'utf8'))) as PreprocessResult;
  const { preprocessPortrait } = await import('../../src/engine/preprocess/index');
  const pre = await preprocessPortrait(await bytes());
  fs.mkdirSync(CACHE_DIR, { recursive: true });
  fs.writeFileSync(cache, JSON.stringify(encode(pre)));
  return pre;
}

export async function loadPreprocessed(file: string): Promise<PreprocessResult> {
  return cachedPreprocess(file, async () => new Uint8Array(fs.readFileSync(path.join(PORTRAIT_DIR, file))));
}

/** The multi-view ground truth's views (../shared/fixtures/gt/facelift-mvd-000) as portraits of their own. */
export const GT_VIEW_DIR = path.resolve(REPO_ROOT, '../shared/fixtures/gt/facelift-mvd-000/images');

/** A view of the ground truth (`cam_000` .. `cam_005`) preprocessed like any portrait, cached like loadPreprocessed. */
export async function loadGroundTruthView(view: string): Promise<PreprocessResult> {
  return cachedPreprocess(`gt-facelift-mvd-000-${view}`, async () =>
    new Uint8Array(fs.readFileSync(path.join(GT_VIEW_DIR, `${view}.png`))),
  );
}

/**
 * A turned (3/4 or profile) portrait, since no fixture is one: the weight-free head of fixture `file`
 * (seed 1) rendered at `azimuthDeg` and its elevation, 512 px RGBA PNG, preprocessed like any input.
 * Also returns the PNG so callers can look at it. Cached like loadPreprocessed.
 */
export async function loadTurnedPortrait(file: string, azimuthDeg: number): Promise<{ pre: PreprocessResult; png: Uint8Array }> {
  const name = `${file}-turned${azimuthDeg}`;
  const pngPath = path.join(CACHE_DIR, `${name}.png`);
  const pre = await cachedPreprocess(name, async () => {
    const { orbitCamera } = await import('../../src/shared/camera');
    const { buildHeadProxy } = await import('../../src/engine/multiview/weightfree/build');
    const { renderProxyView } = await import('../../src/engine/multiview/weightfree/render');
    const sharp = (await import('sharp')).default;
    const source = await loadPreprocessed(file);
    const proxy = buildHeadProxy(source, { seed: 1 });
    const view = renderProxyView(proxy, orbitCamera(azimuthDeg, source.elevationDeg, 512));
    const png = await sharp(Buffer.from(view.data.buffer, view.data.byteOffset, view.data.byteLength), { raw: { width: 512, height: 512, channels: 4 } }).png().toBuffer();
    fs.mkdirSync(CACHE_DIR, { recursive: true });
    fs.writeFileSync(pngPath, png);
    return new Uint8Array(png);
  });
  return { pre, png: new Uint8Array(fs.readFileSync(pngPath)) };
}
