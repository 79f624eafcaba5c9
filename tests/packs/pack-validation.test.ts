import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeTinyPack } from '../../scripts/make-tiny-pack';
import { IdTsPipeline } from '../../src/engine/diffusion/pipeline';
import { GraphBuilder } from '../../src/engine/onnx/onnx-builder';
import { readOnnxGraphInfo } from '../../src/engine/onnx/graph-info';
import { discoverPacks } from '../../src/engine/packs/discover';
import { sha256Bytes } from '../../src/engine/packs/hash';
import type { PackManifest } from '../../src/engine/packs/manifest';
import { validatePack } from '../../src/engine/packs/validate';

let root: string;
let good: string;

beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'hf-packs-'));
  good = path.join(root, 'good');
  writeTinyPack(good);
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

/** A copy of the good pack with `mutate` applied to its folder and manifest. */
function broken(name: string, mutate: (dir: string, manifest: PackManifest) => void): string {
  const dir = path.join(root, name);
  fs.cpSync(good, dir, { recursive: true });
  const mpath = path.join(dir, 'pack.json');
  const manifest = JSON.parse(fs.readFileSync(mpath, 'utf8'));
  mutate(dir, manifest);
  fs.writeFileSync(mpath, JSON.stringify(manifest));
  return dir;
}

/** Replace a network file's bytes and record the new hash (so only the intended defect remains). */
function replaceFile(dir: string, manifest: PackManifest, network: keyof PackManifest['networks'], bytes: Uint8Array): void {
  const net = manifest.networks[network]!;
  fs.writeFileSync(path.join(dir, net.file), bytes);
  net.sha256 = sha256Bytes(bytes);
}

describe('model pack validation', () => {
  it('accepts the generated tiny pack and reads each graph interface from the protobuf', async () => {
    const v = await validatePack(good);
    expect(v.errors).toEqual([]);
    expect(v.ok).toBe(true);
    const info = readOnnxGraphInfo(path.join(good, 'unet_stage1.onnx'));
    expect(info.inputs.map((i) => i.name)).toEqual(['sample', 'timestep', 'encoder_hidden_states', 'identity_embeds', 'elevation']);
    expect(info.inputs[0].shape).toEqual(['batch', 16, 8, 8, 8]);
    expect(info.outputs[0]).toEqual({ name: 'out_sample', dtype: 'float32', shape: ['batch', 16, 4, 8, 8] });
    expect(info.opsets).toEqual([{ domain: '', version: 17 }]);
  });

  it('refuses a missing file', async () => {
    const dir = broken('missing', (d) => fs.rmSync(path.join(d, 'unet_stage1.onnx')));
    const v = await validatePack(dir);
    expect(v.ok).toBe(false);
    expect(v.errors).toContain('unetStage1: file unet_stage1.onnx is missing');
  });

  it('refuses a hash mismatch, naming both hashes', async () => {
    const dir = broken('hash', (d) => fs.appendFileSync(path.join(d, 'clip_image.onnx'), Buffer.from([0])));
    const v = await validatePack(dir);
    expect(v.errors.join('\n')).toMatch(/clipImage: sha256 mismatch for clip_image\.onnx: manifest says [0-9a-f]{64}, file has [0-9a-f]{64}/);
  });

  it('refuses a tensor name the graph does not have, listing the real ones', async () => {
    const dir = broken('name', (_d, m) => (m.networks.unetStage1.inputs.sample!.name = 'latents'));
    const v = await validatePack(dir);
    const all = v.errors.join('\n');
    expect(all).toContain("unetStage1: input 'latents' (sample) not in the graph; the graph's inputs are 'sample', 'timestep'");
    expect(all).toContain("unetStage1: the graph has input 'sample' that the manifest does not map to any role");
  });

  it('refuses a shape that differs from the graph', async () => {
    const dir = broken('shape', (_d, m) => (m.networks.arcface.outputs.embedding!.shape = [1, 512]));
    const v = await validatePack(dir);
    expect(v.errors).toContain("arcface: output 'embedding' has shape [1, 8] in the graph, manifest says [1, 512]");
    expect(v.errors.join('\n')).toContain('identityEmbedding width must equal the ArcFace embedding width');
  });

  it('refuses a file that is not ONNX, and a truncated one', async () => {
    const dir = broken('notonnx', (d, m) => replaceFile(d, m, 'arcface', new TextEncoder().encode('{"this": "is json, not a model"}')));
    const v = await validatePack(dir);
    expect(v.errors.join('\n')).toMatch(/arcface: arcface\.onnx is not an ONNX model \(/);
    const dir2 = broken('truncated', (d, m) => replaceFile(d, m, 'vaeDecoder', fs.readFileSync(path.join(good, 'vae_decoder.onnx')).subarray(0, 500)));
    const v2 = await validatePack(dir2);
    expect(v2.errors.join('\n'), v2.errors.join('\n')).toMatch(/vaeDecoder: vae_decoder\.onnx is not an ONNX model \((truncated|graph runs past end of file)/);
  });

  it('refuses custom-op domains in a graph and custom-op libraries in the manifest; the pipeline never opens such a pack', async () => {
    const g = new GraphBuilder('custom', [{ name: 'images', dtype: 'float32', shape: [1, 4, 9, 64, 64] }], [
      { name: 'gaussians', dtype: 'float32', shape: [1, 1024, 14] },
    ]);
    g.node({ op: 'FancySplat', inputs: ['images'], outputs: ['gaussians'], domain: 'com.example.splat' });
    const bytes = g.encode(17, [{ domain: 'com.example.splat', version: 1 }]);
    const dir = broken('customop', (d, m) => replaceFile(d, m, 'reconstructor', bytes));
    const v = await validatePack(dir);
    expect(v.errors).toContain("reconstructor: reconstructor.onnx uses custom-op domain 'com.example.splat' (ops: FancySplat); custom-op libraries are never loaded");
    expect(v.errors).toContain("reconstructor: reconstructor.onnx imports opset domain 'com.example.splat', which needs a custom-op library");
    await expect(IdTsPipeline.open(dir, { provider: 'cpu' })).rejects.toThrow(/custom-op domain 'com\.example\.splat'/);
    const lib = broken('customlib', (_d, m) => ((m as unknown as Record<string, unknown>).customOpsLibrary = 'libsplat.so'));
    expect((await validatePack(lib)).errors).toContain("pack.json: 'customOpsLibrary' asks for a custom-op library; HeadForge never loads native code from a pack");
  });

  it('refuses paths outside the pack and schema errors, with the JSON path', async () => {
    const dir = broken('schema', (_d, m) => {
      m.networks.vaeEncoder.file = '../elsewhere.onnx';
      m.stage1.sampler.steps = 0;
      delete (m as Partial<PackManifest>).license;
    });
    const v = await validatePack(dir);
    const all = v.errors.join('\n');
    expect(all).toContain('pack.json: networks.vaeEncoder.file: must be a relative path inside the pack folder');
    expect(all).toMatch(/pack\.json: stage1\.sampler\.steps: .*>=1/);
    expect(all).toMatch(/pack\.json: license: /);
  });

  it('refuses a folder without a manifest and a manifest that is not JSON', async () => {
    const empty = path.join(root, 'empty');
    fs.mkdirSync(empty);
    expect((await validatePack(empty)).errors[0]).toMatch(/pack\.json not found/);
    fs.writeFileSync(path.join(empty, 'pack.json'), '{ nope');
    expect((await validatePack(empty)).errors[0]).toMatch(/pack\.json is not valid JSON/);
  });

  it('discovers packs under --models, the user folder and resources, in that order', () => {
    const user = path.join(root, 'user-models');
    fs.mkdirSync(path.join(user, 'b-pack'), { recursive: true });
    fs.copyFileSync(path.join(good, 'pack.json'), path.join(user, 'b-pack', 'pack.json'));
    const found = discoverPacks({ extraDirs: [good], userDir: user, resourcesDir: path.join(root, 'no-such') });
    expect(found).toEqual([
      { dir: path.resolve(good), origin: 'cli' },
      { dir: path.join(user, 'b-pack'), origin: 'user' },
    ]);
  });
});
