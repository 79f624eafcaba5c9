/**
 * Style model packs end to end through the real onnxruntime (CPU): the tiny style pack written by
 * scripts/make-tiny-style-pack.ts validates, its networks run on a fixture portrait and return what
 * the plain-loop reference computes (colour matrix + 3x3 kernel), and every kind of broken pack is
 * refused with a message that names the problem.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { referenceTinyStyle, TINY_STYLES, tinyStyleGraph, writeTinyStylePack } from '../../scripts/make-tiny-style-pack';
import { writeTinyPack } from '../../scripts/make-tiny-pack';
import { resizeHwc, rgbOnWhite } from '../../src/engine/diffusion/image-tensor';
import { readRgba, writePng } from '../../src/engine/image-io';
import { GraphBuilder } from '../../src/engine/onnx/onnx-builder';
import { SessionCache } from '../../src/engine/onnx/session-cache';
import { sha256Bytes } from '../../src/engine/packs/hash';
import { loadValidatedPack, loadValidatedStylePack, validatePack } from '../../src/engine/packs/validate';
import { inferenceSize, parsePackStyle, resolvePackStyle, runStyleNetwork, type ResolvedStyle } from '../../src/engine/stylize/style-pack';
import type { RgbaImage } from '../../src/shared/image';
import { StudioError } from '../../src/shared/rpc/errors';

const repoRoot = path.resolve(__dirname, '../..');
const FIXTURE = path.resolve(repoRoot, '../shared/fixtures/portraits/hq-0001-matted-rgba.png');
const OUT_DIR = path.join(repoRoot, 'test-output', 'style-pack');

let root: string;
let packDir: string;
let portrait: RgbaImage;
const cache = new SessionCache();
const spec = (id: string) => TINY_STYLES.find((s) => s.id === id)!;

/** pack.json as plain JSON: the tests break it in ways its TypeScript type would not allow. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type RawManifest = Record<string, any>;

/** A copy of the tiny pack with pack.json edited by `edit` (the copy's folder is returned). */
function brokenCopy(name: string, edit: (m: RawManifest, dir: string) => void): string {
  const dir = path.join(root, name);
  fs.cpSync(packDir, dir, { recursive: true });
  const file = path.join(dir, 'pack.json');
  const m = JSON.parse(fs.readFileSync(file, 'utf8'));
  edit(m, dir);
  fs.writeFileSync(file, JSON.stringify(m));
  return dir;
}

/** Replace a style's ONNX file with `bytes` and fix its hash, so only the interface is wrong. */
function swapGraph(m: RawManifest, dir: string, id: string, bytes: Uint8Array): void {
  fs.writeFileSync(path.join(dir, m.styles[id].file), bytes);
  m.styles[id].sha256 = sha256Bytes(bytes);
}

beforeAll(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'hf-style-pack-'));
  packDir = path.join(root, 'tiny-styles');
  writeTinyStylePack(packDir);
  // 160 x 128 (not square, not a power of two): the symbolic-size network must run at exactly this size.
  portrait = await readRgba(await sharp(FIXTURE).resize(160, 128, { fit: 'fill' }).png().toBuffer());
  fs.mkdirSync(OUT_DIR, { recursive: true });
});
afterAll(async () => {
  await cache.releaseAll();
  fs.rmSync(root, { recursive: true, force: true });
});

async function resolved(style?: string): Promise<ResolvedStyle> {
  return resolvePackStyle({ pack: 'tiny-styles', style }, { extraDirs: [packDir], userDir: path.join(root, 'no-user-dir') });
}

describe('tiny style pack', () => {
  it('validates as a style pack with both styles and its default', async () => {
    const v = await validatePack(packDir);
    expect(v.errors).toEqual([]);
    expect(v.ok).toBe(true);
    expect(v.kind).toBe('style');
    expect(Object.keys(v.styleManifest!.styles)).toEqual(['sepia', 'cool-64']);
    expect((await resolved()).styleId).toBe('sepia');
  });

  it('sepia (symbolic size, 0..1) equals the colour-matrix + kernel reference on a fixture portrait', async () => {
    const res = await runStyleNetwork(await resolved('sepia'), portrait, { provider: 'cpu', cache });
    expect([res.width, res.height]).toEqual([160, 128]);
    expect(res.provider.provider).toBe('cpu');
    const ref = referenceTinyStyle(spec('sepia'), rgbOnWhite(portrait), 160, 128);
    let maxErr = 0;
    let chromaIn = 0;
    let sepiaTone = 0;
    let opaque = 0;
    for (let i = 0; i < 160 * 128; i++) {
      expect(res.image.data[i * 4 + 3]).toBe(portrait.data[i * 4 + 3]); // alpha carried over
      if (portrait.data[i * 4 + 3] < 255) continue; // blended with the straight RGB where not opaque
      opaque++;
      for (let c = 0; c < 3; c++) maxErr = Math.max(maxErr, Math.abs(res.image.data[i * 4 + c] / 255 - ref[i * 3 + c]));
      const [r, g, b] = [0, 1, 2].map((c) => res.image.data[i * 4 + c]);
      if (r >= g && g >= b) sepiaTone++;
      chromaIn += Math.abs(portrait.data[i * 4] - portrait.data[i * 4 + 2]);
    }
    await writePng(path.join(OUT_DIR, 'sepia.png'), res.image);
    expect(opaque).toBeGreaterThan(5000);
    // Quantisation to 8 bits is the only difference from the float reference.
    expect(maxErr).toBeLessThanOrEqual(0.5 / 255 + 1e-4);
    // The matrix makes every opaque pixel warm-toned (R >= G >= B) except where the sharpening overshoots.
    expect(sepiaTone / opaque).toBeGreaterThan(0.97);
    expect(chromaIn).toBeGreaterThan(0);
  });

  it('cool-64 (fixed 64 px, -1..1) runs at 64x64, matches the reference there, and shifts colour towards blue', async () => {
    const style = await resolved('cool-64');
    expect(inferenceSize(style.net, 160, 128)).toEqual({ width: 64, height: 64 });
    const res = await runStyleNetwork(style, portrait, { provider: 'cpu', cache });
    expect([res.width, res.height, res.image.width, res.image.height]).toEqual([64, 64, 160, 128]);
    // Reference: the same antialiased resize to 64, the network's maths by loops, resize back.
    const small = resizeHwc(rgbOnWhite(portrait), 160, 128, 3, 64, 64);
    const back = resizeHwc(referenceTinyStyle(spec('cool-64'), small, 64, 64), 64, 64, 3, 160, 128);
    let maxErr = 0;
    let blueMinusRedIn = 0;
    let blueMinusRedOut = 0;
    for (let i = 0; i < 160 * 128; i++) {
      if (portrait.data[i * 4 + 3] < 255) continue;
      for (let c = 0; c < 3; c++) maxErr = Math.max(maxErr, Math.abs(res.image.data[i * 4 + c] / 255 - back[i * 3 + c]));
      blueMinusRedIn += portrait.data[i * 4 + 2] - portrait.data[i * 4];
      blueMinusRedOut += res.image.data[i * 4 + 2] - res.image.data[i * 4];
    }
    await writePng(path.join(OUT_DIR, 'cool-64.png'), res.image);
    expect(maxErr).toBeLessThanOrEqual(0.5 / 255 + 1e-4);
    expect(blueMinusRedOut - blueMinusRedIn).toBeGreaterThan(0.1 * 255 * 5000);
  });

  it('strength blends from the portrait (0) to the network output (1)', async () => {
    const style = await resolved('sepia');
    const none = await runStyleNetwork(style, portrait, { strength: 0, provider: 'cpu', cache });
    expect(Buffer.from(none.image.data).equals(Buffer.from(portrait.data))).toBe(true);
    const full = await runStyleNetwork(style, portrait, { strength: 1, provider: 'cpu', cache });
    const half = await runStyleNetwork(style, portrait, { strength: 0.5, provider: 'cpu', cache });
    let maxErr = 0;
    for (let i = 0; i < portrait.data.length; i++) {
      if (i % 4 === 3) continue;
      maxErr = Math.max(maxErr, Math.abs(half.image.data[i] - (portrait.data[i] + full.image.data[i]) / 2));
    }
    expect(maxErr).toBeLessThanOrEqual(1);
    await expect(runStyleNetwork(style, portrait, { strength: 1.5, provider: 'cpu', cache })).rejects.toThrow(/strength must be in 0..1/);
  });

  it('symbolic sizes are capped by maxSide and rounded to multipleOf', async () => {
    const net = { ...(await resolved('sepia')).net, maxSide: 100, multipleOf: 8 };
    expect(inferenceSize(net, 400, 200)).toEqual({ width: 96, height: 48 });
    expect(inferenceSize(net, 5, 5)).toEqual({ width: 8, height: 8 });
  });
});

describe('style pack references and loading', () => {
  it('parses pack:NAME and pack:NAME/STYLE, refuses empty parts', () => {
    expect(parsePackStyle('cel')).toBeNull();
    expect(parsePackStyle('pack:tiny-styles')).toEqual({ pack: 'tiny-styles', style: undefined });
    expect(parsePackStyle('pack:tiny-styles/cool-64')).toEqual({ pack: 'tiny-styles', style: 'cool-64' });
    expect(() => parsePackStyle('pack:')).toThrow(/pack:NAME or pack:NAME\/STYLE/);
    expect(() => parsePackStyle('pack:x/')).toThrow(/pack:NAME or pack:NAME\/STYLE/);
  });

  it('a pack that is not installed and a style the pack lacks are told apart', async () => {
    const missing = resolvePackStyle({ pack: 'absent' }, { extraDirs: [packDir], userDir: root });
    await expect(missing).rejects.toThrow(/style pack 'absent' is not installed/);
    await expect(missing).rejects.toSatisfy((e) => e instanceof StudioError && e.code === 'BACKEND_UNAVAILABLE');
    await expect(resolved('nope')).rejects.toThrow("style pack 'tiny-styles' has no style 'nope'; its styles are sepia, cool-64");
  });

  it('a style pack cannot be used as a diffusion pack, nor a diffusion pack as a style pack', async () => {
    await expect(loadValidatedPack(packDir)).rejects.toThrow(/is a style pack: it stylizes portraits and cannot generate views/);
    const diffusion = path.join(root, 'diffusion');
    writeTinyPack(diffusion, { stage2: false, reconstructor: false });
    await expect(loadValidatedStylePack(diffusion)).rejects.toThrow(/is a diffusion pack, not a style pack/);
  });

  it('a network that returns another size than it was given is refused when it runs', async () => {
    // Symbolic in and out, so the graph check cannot know; a stride-2 conv halves the image.
    const g = new GraphBuilder('shrink', [{ name: 'pixel_values', dtype: 'float32', shape: [1, 3, 'H', 'W'] }], [
      { name: 'stylized', dtype: 'float32', shape: [1, 3, 'h', 'w'] },
    ]);
    const w = g.floatInit('w', [3, 1, 1, 1], [1, 1, 1]);
    g.op('Conv', ['pixel_values', w], { kernel_shape: [1, 1], strides: [2, 2], group: 3 }, 'stylized');
    const dir = brokenCopy('shrinking', (m, d) => swapGraph(m, d, 'sepia', g.encode()));
    const style = await resolvePackStyle({ pack: 'tiny-styles' }, { extraDirs: [dir], userDir: root });
    await expect(runStyleNetwork(style, portrait, { provider: 'cpu', cache })).rejects.toThrow(
      "style 'sepia' of pack tiny-styles returned float32 [1, 3, 64, 80] for a [1, 3, 128, 160] input; a style network must return float32 [1, 3, 128, 160]",
    );
  });
});

describe('style pack validation refuses broken packs with clear errors', () => {
  const errorsOf = async (dir: string) => {
    const v = await validatePack(dir);
    expect(v.ok).toBe(false);
    return v.errors;
  };

  it('missing network file', async () => {
    const dir = brokenCopy('missing', (_m, d) => fs.rmSync(path.join(d, 'cool-64.onnx')));
    expect(await errorsOf(dir)).toEqual(['style cool-64: file cool-64.onnx is missing']);
  });

  it('tampered file (sha256 mismatch)', async () => {
    const dir = brokenCopy('tampered', (_m, d) => fs.appendFileSync(path.join(d, 'sepia.onnx'), Buffer.from([0])));
    expect((await errorsOf(dir))[0]).toMatch(/^style sepia: sha256 mismatch for sepia\.onnx: manifest says [0-9a-f]{64}, file has [0-9a-f]{64}$/);
  });

  it('not an ONNX file', async () => {
    const dir = brokenCopy('not-onnx', (m, d) => swapGraph(m, d, 'sepia', new TextEncoder().encode('hello, I am not a network')));
    expect((await errorsOf(dir))[0]).toMatch(/^style sepia: sepia\.onnx is not an ONNX model/);
  });

  it('bad manifests: no styles, unknown default, wrong dtype, unknown key, bad range', async () => {
    const noStyles = brokenCopy('no-styles', (m) => {
      m.styles = {};
      delete m.defaultStyle;
    });
    expect(await errorsOf(noStyles)).toEqual(['pack.json: styles: a style pack needs at least one style']);
    const badDefault = brokenCopy('bad-default', (m) => (m.defaultStyle = 'oil'));
    expect(await errorsOf(badDefault)).toEqual(["pack.json: defaultStyle: 'oil' is not one of the pack's styles (sepia, cool-64)"]);
    const half = brokenCopy('half', (m) => (m.styles.sepia.inputs.image.dtype = 'float16'));
    expect(await errorsOf(half)).toEqual(['pack.json: styles.sepia.inputs.image.dtype: style networks take and return float32 tensors']);
    const extra = brokenCopy('extra', (m) => (m.styles.sepia.customOpLibrary = 'libevil.so'));
    const extraErrors = await errorsOf(extra);
    expect(extraErrors[0]).toBe("pack.json: 'styles.sepia.customOpLibrary' asks for a custom-op library; HeadForge never loads native code from a pack");
    expect(extraErrors.some((e) => e.startsWith('pack.json: styles.sepia: Unrecognized key'))).toBe(true);
    const range = brokenCopy('range', (m) => (m.styles.sepia.range = '0..255'));
    expect((await errorsOf(range))[0]).toMatch(/^pack\.json: styles\.sepia\.range: /);
  });

  it('wrong shapes: 4 output channels, output size differs from input, manifest disagrees with the graph', async () => {
    const fourChannels = brokenCopy('four', (m, d) => {
      swapGraph(m, d, 'sepia', tinyStyleGraph(spec('sepia'), { outputChannels: 4 }));
      m.styles.sepia.outputs.image.shape = [1, 4, 'H', 'W'];
    });
    expect(await errorsOf(fourChannels)).toEqual(["style sepia: output 'stylized' channel axis must be 3 (RGB), got 4"]);
    const resized = brokenCopy('resized', (m) => (m.styles['cool-64'].outputs.image.shape = [1, 3, 32, 32]));
    expect(await errorsOf(resized)).toEqual([
      "style cool-64: output [1, 3, 32, 32] must have the input's size [1, 3, 64, 64] (an image-to-image style keeps H and W)",
      "style cool-64: output 'stylized' has shape [1, 3, 64, 64] in the graph, manifest says [1, 3, 32, 32]",
    ]);
    const threeD = brokenCopy('three-d', (m) => (m.styles.sepia.inputs.image.shape = [3, 'H', 'W']));
    expect((await errorsOf(threeD))[0]).toBe("style sepia: input 'pixel_values' must be 4-D [1, 3, H, W], got [3, H, W]");
    const renamed = brokenCopy('renamed', (m) => (m.styles.sepia.inputs.image.name = 'image'));
    expect(await errorsOf(renamed)).toEqual([
      "style sepia: input 'image' (image) not in the graph; the graph's inputs are 'pixel_values'",
      "style sepia: the graph has input 'pixel_values' that the manifest does not map to any role, so it could never be fed",
    ]);
  });
});
