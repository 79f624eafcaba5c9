// The ICT-FaceKit importer and the asset loader, on ../shared's trimmed copy of the kit.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  HeadModelAssetError,
  REQUIRED_PARTS,
  expressionIndex,
  headModelPart,
  importHeadModel,
  loadHeadModel,
  type HeadModel,
} from '../../src/engine/head-model';
import { HEAD_MODEL_BIN, HEAD_MODEL_MANIFEST } from '../../src/engine/head-model/asset';
import { parseObjMesh, parseObjPositions } from '../../src/engine/head-model/obj';
import { ictHeadModel, ictModelDir } from './helpers';

let model: HeadModel;
let assetDir: string;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hf-head-model-'));

beforeAll(async () => {
  const r = await ictHeadModel();
  model = r.model;
  assetDir = r.dir;
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function vertex(m: HeadModel, v: number, pos = m.neutral): [number, number, number] {
  return [pos[v * 3], pos[v * 3 + 1], pos[v * 3 + 2]];
}

describe('ICT-FaceKit import', () => {
  it('has the kit counts: 26719 vertices, 50 identity modes, 53 expressions, every part', () => {
    expect(model.vertexCount).toBe(26719);
    expect(model.neutral.length).toBe(26719 * 3);
    expect(model.identityCount).toBe(50);
    expect(model.identity.length).toBe(50 * 26719 * 3);
    expect(model.expressionNames.length).toBeGreaterThanOrEqual(53);
    expect(model.expressions.length).toBe(model.expressionNames.length * 26719 * 3);
    expect(model.expressionNames).toContain('jawOpen');
    expect(model.expressionNames).toContain('browDown_L');
    expect(model.expressionNames.some((n) => n.startsWith('PupilDilate'))).toBe(false);
    // 25836 quads + 548 triangles in the kit.
    expect(model.triangles.length / 3).toBe(25836 * 2 + 548);
    expect(model.triangleUvs.length).toBe(model.triangles.length * 2);
    for (const name of REQUIRED_PARTS) expect(model.parts.map((p) => p.name)).toContain(name);
    expect(model.info.name).toBe('ict-facekit');
    expect(model.info.licence).toMatch(/MIT/);
    expect(model.info.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(fs.existsSync(path.join(assetDir, 'LICENSE'))).toBe(true);
  });

  it('parts: vertex ranges tile the mesh in order; a part’s triangles use its own vertices (or the face’s, at seams)', () => {
    const face = headModelPart(model, 'face');
    let next = 0;
    let nextTri = 0;
    for (const name of REQUIRED_PARTS) {
      const p = headModelPart(model, name);
      expect(p.vertexStart).toBe(next);
      expect(p.triangleStart).toBe(nextTri);
      next = p.vertexEnd;
      nextTri = p.triangleEnd;
      let outside = 0;
      for (let t = p.triangleStart * 3; t < p.triangleEnd * 3; t++) {
        const v = model.triangles[t];
        if (!((v >= p.vertexStart && v < p.vertexEnd) || v < face.vertexEnd)) outside++;
      }
      expect(outside, name).toBe(0);
    }
    expect(next).toBe(model.vertexCount);
    expect(nextTri).toBe(model.triangles.length / 3);
  });

  it('Multi-PIE 68 indices come from the kit (README equals vertex_indices.json) and sit on the face', () => {
    const cfg = JSON.parse(fs.readFileSync(path.join(ictModelDir, 'vertex_indices.json'), 'utf8')) as {
      idx_to_landmark_verts: number[];
    };
    expect(Array.from(model.multiPie68)).toEqual(cfg.idx_to_landmark_verts);
    const face = headModelPart(model, 'face');
    for (const v of model.multiPie68) expect(v < face.vertexEnd).toBe(true);
    // Subject's right (Multi-PIE 36, outer eye corner) is at -x, the nose tip (30) is the front-most.
    expect(vertex(model, model.multiPie68[36])[0]).toBeLessThan(-2);
    expect(vertex(model, model.multiPie68[45])[0]).toBeGreaterThan(2);
    expect(vertex(model, model.multiPie68[30])[2]).toBeGreaterThan(vertex(model, model.multiPie68[36])[2]);
  });

  it('jawline lists from the README: right at -x, left at +x, agreeing with the Multi-PIE jaw points', () => {
    const j = model.jawline!;
    expect(j).toBeDefined();
    for (const v of [...j.right, ...j.rightExtended]) expect(model.neutral[v * 3]).toBeLessThan(0);
    for (const v of [...j.left, ...j.leftExtended]) expect(model.neutral[v * 3]).toBeGreaterThan(0);
    expect(j.right.length).toBe(8);
    expect(j.left.length).toBe(8);
    // "Right jawline (substitutes 0-7)" ends on Multi-PIE 6 and 7; the left one starts on 9 and 10.
    expect([j.right[6], j.right[7]]).toEqual([model.multiPie68[6], model.multiPie68[7]]);
    expect([j.left[0], j.left[1]]).toEqual([model.multiPie68[9], model.multiPie68[10]]);
    for (const v of j.right) expect(Array.from(j.rightExtended)).toContain(v);
    for (const v of j.left) expect(Array.from(j.leftExtended)).toContain(v);
  });

  it('triangles of the skin wind counter-clockwise seen from outside; UVs are UDIM tiles (face in tile 0)', () => {
    // Area-weighted: sum over face triangles in front of the ears of normal . (centroid - head centre).
    const face = headModelPart(model, 'face');
    const P = model.neutral;
    let out = 0;
    let inw = 0;
    for (let t = face.triangleStart; t < face.triangleEnd; t++) {
      const a = model.triangles[t * 3] * 3,
        b = model.triangles[t * 3 + 1] * 3,
        c = model.triangles[t * 3 + 2] * 3;
      const e1 = [P[b] - P[a], P[b + 1] - P[a + 1], P[b + 2] - P[a + 2]];
      const e2 = [P[c] - P[a], P[c + 1] - P[a + 1], P[c + 2] - P[a + 2]];
      const nz = e1[0] * e2[1] - e1[1] * e2[0];
      if (P[a + 2] < 8) continue; // the frontal face: its normals point along +z
      if (nz > 0) out += nz;
      else inw -= nz;
    }
    expect(out).toBeGreaterThan(20 * inw);
    let badUv = 0;
    for (let i = 0; i < model.triangleUvs.length; i += 2) {
      if (!(
        model.triangleUvs[i] >= 0 &&
        model.triangleUvs[i] <= 7 &&
        model.triangleUvs[i + 1] >= 0 &&
        model.triangleUvs[i + 1] <= 1
      ))
        badUv++;
    }
    for (let i = face.triangleStart * 6; i < face.triangleEnd * 6; i += 2)
      if (!(model.triangleUvs[i] >= 0 && model.triangleUvs[i] <= 1)) badUv++;
    expect(badUv).toBe(0);
  });

  it('identity modes change the shape everywhere; jawOpen moves the chin down and leaves the skull', () => {
    const V3 = model.vertexCount * 3;
    for (let k = 0; k < model.identityCount; k++) {
      let s = 0;
      for (let i = 0; i < V3; i++) s += model.identity[k * V3 + i] ** 2;
      expect(Math.sqrt(s / model.vertexCount)).toBeGreaterThan(0.01);
    }
    const j = expressionIndex(model, 'jawOpen');
    const delta = (v: number) => vertex(model, v, model.expressions.subarray(j * V3, (j + 1) * V3));
    const chin = delta(model.multiPie68[8]);
    expect(chin[1]).toBeLessThan(-0.5);
    // Top of the skull: the highest vertex of the head-and-neck part.
    const hn = headModelPart(model, 'headNeck');
    let top = hn.vertexStart;
    for (let v = hn.vertexStart; v < hn.vertexEnd; v++)
      if (model.neutral[v * 3 + 1] > model.neutral[top * 3 + 1]) top = v;
    expect(Math.hypot(...delta(top))).toBeLessThan(0.01);
    // The upper lip's centre (Multi-PIE 51) moves far less than the lower lip's (57).
    expect(Math.hypot(...delta(model.multiPie68[51]))).toBeLessThan(
      0.5 * Math.hypot(...delta(model.multiPie68[57])),
    );
  });
});

describe('OBJ reading', () => {
  it('positions-only reading of a complete OBJ (the published kit) equals the full parse; faces are fans', () => {
    const text = fs.readFileSync(path.join(ictModelDir, 'generic_neutral_mesh.obj'), 'utf8');
    const full = parseObjMesh(text);
    expect(Array.from(parseObjPositions(text).positions)).toEqual(Array.from(full.positions));
    const q = parseObjMesh(
      'v 0 0 0\nv 1 0 0\nv 1 1 0\nv 0 1 0\nvt 0 0\nvt 1 0\nvt 1 1\nvt 0 1\nvn 0 0 1\nf 1/1/1 2/2/1 3/3/1 4/4/1\n',
    );
    expect(Array.from(q.triangles)).toEqual([0, 1, 2, 0, 2, 3]);
    expect(Array.from(q.triangleTexcoords)).toEqual([0, 1, 2, 0, 2, 3]);
    expect(() => parseObjMesh('v 0 0 0\nf 1 2 3\n')).toThrow(/refers to vertex/);
  });
});

describe('head-model asset', () => {
  it('the loader returns exactly what the importer produced', async () => {
    const dest = path.join(tmp, 'roundtrip');
    const { model: imported } = await importHeadModel(ictModelDir, dest, { landmarks: false });
    const loaded = loadHeadModel(dest);
    expect(loaded.info).toEqual(imported.info);
    for (const key of [
      'neutral',
      'identity',
      'expressions',
      'triangles',
      'triangleUvs',
      'landmarkTriangles',
      'landmarkBarycentrics',
      'multiPie68',
    ] as const) {
      expect(
        Buffer.compare(
          Buffer.from(loaded[key].buffer, loaded[key].byteOffset, loaded[key].byteLength),
          Buffer.from(imported[key].buffer, imported[key].byteOffset, imported[key].byteLength),
        ),
        key,
      ).toBe(0);
    }
    expect(loaded.parts).toEqual(imported.parts);
    expect(loaded.jawline).toEqual(imported.jawline);
    expect(loaded.landmarkStatus).toEqual(imported.landmarkStatus);
    expect(loaded.expressionNames).toEqual(imported.expressionNames);
    // The same kit gives the same geometry as the cached import.
    expect(Buffer.compare(Buffer.from(loaded.identity.buffer), Buffer.from(model.identity.buffer))).toBe(0);
  });

  function copyAsset(name: string): string {
    const d = path.join(tmp, name);
    fs.mkdirSync(d, { recursive: true });
    for (const f of [HEAD_MODEL_MANIFEST, HEAD_MODEL_BIN])
      fs.copyFileSync(path.join(assetDir, f), path.join(d, f));
    return d;
  }

  it('a flipped byte, a truncated binary, a missing file or a foreign manifest each give a clear error', () => {
    const flipped = copyAsset('flipped');
    const fd = fs.openSync(path.join(flipped, HEAD_MODEL_BIN), 'r+');
    const b = Buffer.alloc(1);
    fs.readSync(fd, b, 0, 1, 1000);
    b[0] ^= 0x10;
    fs.writeSync(fd, b, 0, 1, 1000);
    fs.closeSync(fd);
    expect(() => loadHeadModel(flipped)).toThrow(HeadModelAssetError);
    expect(() => loadHeadModel(flipped)).toThrow(/checksum mismatch.*damaged.*import-head/);

    const partial = copyAsset('partial');
    fs.truncateSync(path.join(partial, HEAD_MODEL_BIN), 1_000_000);
    expect(() => loadHeadModel(partial)).toThrow(/partial copy/);

    const missing = copyAsset('missing');
    fs.rmSync(path.join(missing, HEAD_MODEL_BIN));
    expect(() => loadHeadModel(missing)).toThrow(/head-model\.bin is missing/);
    expect(() => loadHeadModel(path.join(tmp, 'nothing-here'))).toThrow(/head-model\.json is missing/);

    const foreign = copyAsset('foreign');
    fs.writeFileSync(path.join(foreign, HEAD_MODEL_MANIFEST), JSON.stringify({ name: 'x' }));
    expect(() => loadHeadModel(foreign)).toThrow(/not a head-model manifest/);
  });
});
