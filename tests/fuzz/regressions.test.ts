/**
 * Inputs the fuzzer found, kept as regression tests: a portrait the import check accepts always
 * decodes (corrupt JPEG entropy data used to pass the import and then fail every run with libvips'
 * "bad Huffman code"); a record.json holding `null` is a damaged run, not a TypeError; a ground-truth
 * GLB whose JSON chunk is cut or has the wrong shape is a GltfError, not a SyntaxError/TypeError, and
 * one declaring 10 M vertices in 1.4 KB is refused before allocating (it took 20 s and 2 GB); a run's
 * landmarks.json holding `null` is damaged, not a TypeError.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { checkImageBytes } from '../../src/engine/projects/image-check';
import { readRgba } from '../../src/engine/image-io';
import { loadCandidateRun } from '../../src/engine/eval/candidate';
import { GltfError, parseGltf } from '../../src/engine/eval/gltf-loader';
import { readRunLandmarks } from '../../src/engine/pipeline/run-files';
import { writePly } from '../../src/shared/splat/ply';
import { joinGlb, randomCloud, rng } from './mutate';

describe('fuzzer finds, kept', () => {
  it('a JPEG with damaged entropy data: accepted at import => decodes for the run', async () => {
    const px = Buffer.alloc(80 * 80 * 3);
    for (let k = 0; k < px.length; k++) px[k] = (k * 13) % 251;
    const jpeg = await sharp(px, { raw: { width: 80, height: 80, channels: 3 } })
      .jpeg({ quality: 80 })
      .toBuffer();
    const sos = jpeg.indexOf(Buffer.from([0xff, 0xda]));
    const r = rng(3);
    let accepted = 0;
    for (let i = 0; i < 40; i++) {
      const bad = Buffer.from(jpeg);
      for (let k = 0; k < 3; k++) {
        const at = sos + 20 + Math.floor(r() * (bad.length - sos - 30));
        bad[at] ^= 1 << Math.floor(r() * 8);
      }
      const imported = await checkImageBytes(bad, 'p.jpg').then(
        () => true,
        () => false,
      );
      if (!imported) continue;
      accepted++;
      const img = await readRgba(bad);
      expect([img.width, img.height]).toEqual([80, 80]);
    }
    expect(accepted).toBeGreaterThan(10);
  });

  it('readRgba on something that is not an image: INVALID_IMAGE naming the file', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hf-fuzzreg-'));
    try {
      fs.writeFileSync(path.join(dir, 'notes.png'), 'hello');
      await expect(readRgba(path.join(dir, 'notes.png'))).rejects.toMatchObject({
        code: 'INVALID_IMAGE',
        message: 'notes.png is not an image HeadForge can read',
      });
      await expect(readRgba(path.join(dir, 'missing.png'))).rejects.toMatchObject({ code: 'ENOENT' });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('record.json holding null: the run is damaged (StudioError), not a TypeError', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hf-fuzzreg-'));
    try {
      fs.writeFileSync(path.join(dir, 'head.ply'), writePly(randomCloud(rng(1), 5, 0)));
      fs.writeFileSync(path.join(dir, 'record.json'), 'null');
      await expect(loadCandidateRun(dir)).rejects.toMatchObject({
        code: 'DAMAGED',
        message: expect.stringMatching(/record\.json/),
      });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a mesh GLB with a broken JSON chunk or a mesh of the wrong shape: GltfError naming the file', async () => {
    const asset = { version: '2.0' };
    const cases: [unknown, RegExp][] = [
      [
        { asset, meshes: [{ primitives: [{}] }], nodes: [{ mesh: 0 }], scenes: [{ nodes: [0] }] },
        /head\.glb: /,
      ],
      [{ asset, meshes: 5, nodes: [{ mesh: 0 }], scenes: [{ nodes: [0] }] }, /head\.glb: /],
    ];
    for (const [json, message] of cases) {
      const err = await parseGltf('head.glb', joinGlb(json, new Uint8Array(8))).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(GltfError);
      expect((err as Error).message).toMatch(message);
    }
    const cut = joinGlb(cases[0][0], new Uint8Array(8));
    cut.fill(0x20, 40, 60); // spaces through the middle of the JSON text: not JSON any more
    cut[30] = 0x7b;
    const err = await parseGltf('head.glb', cut).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GltfError);
  });

  it('a 1.4 KB mesh GLB declaring 10 M vertices with a string byteOffset: refused, cheaply', async () => {
    const view = (o: unknown, n: number) => ({ buffer: 0, byteOffset: o, byteLength: n });
    const json = {
      asset: { version: '2.0' },
      scene: 0,
      scenes: [{ nodes: [0] }],
      nodes: [{ mesh: 0 }],
      meshes: [{ primitives: [{ attributes: { POSITION: 0 }, indices: 1 }] }],
      buffers: [{ byteLength: 72 }],
      bufferViews: [view('MAT4', 48), view(48, 24)],
      accessors: [
        { bufferView: 0, componentType: 5126, count: 10_000_000, type: 'VEC3' },
        { bufferView: 1, componentType: 5125, count: 6, type: 'SCALAR' },
      ],
    };
    const before = process.memoryUsage().arrayBuffers;
    const cpu = process.cpuUsage();
    const err = await parseGltf('head.glb', joinGlb(json, new Uint8Array(72))).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GltfError);
    expect((err as Error).message).toMatch(/byteOffset must be a whole number/);
    const used = process.cpuUsage(cpu);
    expect((used.user + used.system) / 1000).toBeLessThan(500);
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(16 << 20);
    json.bufferViews[0].byteOffset = 0;
    const err2 = await parseGltf('head.glb', joinGlb(json, new Uint8Array(72))).catch((e: unknown) => e);
    expect((err2 as Error).message).toMatch(/accessor 0 reads past the end/);
  });

  it("a run's landmarks.json holding null: DAMAGED naming the file", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hf-fuzzreg-'));
    try {
      fs.writeFileSync(path.join(dir, 'landmarks.json'), 'null');
      await expect(readRunLandmarks(dir)).rejects.toMatchObject({
        code: 'DAMAGED',
        message: expect.stringMatching(/landmarks\.json is damaged/),
      });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
