/**
 * The textured mesh export (issue 16) on the smallest real run: the generate pipeline on a fixture
 * portrait with 0 optimisation steps (tests/cli/quick-run.ts), which fits the ICT head from ../shared
 * and writes head-fit.json, the 16 views and the input camera.
 *   - fittedModelToWorld puts the model's landmarks where the weight-free head put them (landmarks.json)
 *   - GLB round trip through @gltf-transform: counts, ARKit morph target names, no NaN, the texture at
 *     the asked size; the Khronos validator reports no error
 *   - the baked face has the portrait's skin colour at the cheeks
 *   - jawOpen moves the chin down; OBJ + MTL + PNG are written and agree with the GLB
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { NodeIO } from '@gltf-transform/core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRunHead } from '../../src/engine/frontal';
import { fittedModelToWorld } from '../../src/engine/head-fit/model-to-world';
import type { HeadFit } from '../../src/engine/head-fit/types';
import { expressionIndex, headModelLandmarks, headModelVertices } from '../../src/engine/head-model';
import { readRgba } from '../../src/engine/image-io';
import { exportRunHead } from '../../src/engine/export/export-run';
import { buildRunMesh } from '../../src/engine/mesh-export/export-run-mesh';
import { exportRequestFor } from '../../src/renderer/workspace/ExportDialog';
import { ARKIT_BLENDSHAPES } from '../../src/shared/animation/arkit';
import { exportRequestSchema } from '../../src/shared/contracts/studio-requests';
import { quickRun } from '../cli/quick-run';
import { runCli } from '../cli/run-cli';
import { sharedHeadModel } from '../head-fit/shared-model';

let tmp: string;
let runDir: string;
let glbPath: string;
let cliOut: string;
const TEX = 512;

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hf-mesh-export-'));
  runDir = await quickRun(path.join(tmp, 'project', 'run'));
  glbPath = path.join(tmp, 'out', 'head.glb');
  const r = await runCli([
    'export-mesh',
    path.join(tmp, 'project'),
    '--out',
    glbPath,
    '--texture-size',
    String(TEX),
  ]);
  expect(r.err).toBe('');
  expect(r.code).toBe(0);
  cliOut = r.out;
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const readJson = <T>(f: string): T => JSON.parse(fs.readFileSync(path.join(runDir, f), 'utf8')) as T;

describe('mesh export', () => {
  it('fittedModelToWorld puts the fitted landmarks where the run saved them (landmarks.json)', async () => {
    const model = await sharedHeadModel();
    const fit = readJson<HeadFit>('head-fit.json');
    const record = readJson<{ resolved: { inputCamera: Parameters<typeof fittedModelToWorld>[1] } }>(
      'record.json',
    );
    const saved = readJson<{ points: number[] }>('landmarks.json').points;
    const beta = new Float32Array(model.expressionNames.length);
    for (const [k, w] of Object.entries(fit.expression)) beta[expressionIndex(model, k)] = w;
    const lm = headModelLandmarks(model, headModelVertices(model, fit.identity, beta));
    const T = fittedModelToWorld(fit, record.resolved.inputCamera);
    let worst = 0;
    let n = 0;
    for (let i = 0; i < 478; i++) {
      if (!Number.isFinite(lm[i * 3])) continue;
      const w = T.point(lm, i * 3);
      worst = Math.max(
        worst,
        Math.hypot(w[0] - saved[i * 3], w[1] - saved[i * 3 + 1], w[2] - saved[i * 3 + 2]),
      );
      n++;
    }
    expect(n).toBeGreaterThan(400);
    // landmarks.json holds 6 decimals; a head is ~0.15 world units wide.
    expect(worst).toBeLessThan(1e-4);
  });

  it('GLB: reads back with the mesh, 55 ARKit-named morph targets, no NaN, a texture of the asked size, valid glTF', async () => {
    expect(cliOut).toMatch(/hair: a shell over the scalp/);
    const bytes = new Uint8Array(fs.readFileSync(glbPath));
    const doc = await new NodeIO().readBinary(bytes);
    const meshes = doc.getRoot().listMeshes();
    expect(meshes).toHaveLength(1);
    const prim = meshes[0].listPrimitives()[0];
    const pos = prim.getAttribute('POSITION')!;
    const count = pos.getCount();
    expect(count).toBeGreaterThan(20000);
    expect(cliOut).toContain(`${count} vertices`);
    for (const a of [pos, prim.getAttribute('NORMAL')!, prim.getAttribute('TEXCOORD_0')!]) {
      expect(a.getCount()).toBe(count);
      expect(Array.from(a.getArray()!).every(Number.isFinite)).toBe(true);
    }
    const names = prim.listTargets().map((t) => t.getName());
    expect(names).toHaveLength(55);
    for (const n of [
      'jawOpen',
      'eyeBlinkLeft',
      'eyeBlinkRight',
      'mouthSmileLeft',
      'browInnerUp',
      'cheekPuff',
    ])
      expect(names).toContain(n);
    expect(names.some((n) => n.endsWith('_L') || n.endsWith('_R'))).toBe(false);
    for (const t of prim.listTargets()) {
      const d = t.getAttribute('POSITION')!;
      expect(d.getCount()).toBe(count);
      expect(Array.from(d.getArray()!).every(Number.isFinite)).toBe(true);
    }
    const textures = doc.getRoot().listTextures();
    expect(textures).toHaveLength(1);
    const meta = await sharp(Buffer.from(textures[0].getImage()!)).metadata();
    expect([meta.width, meta.height]).toEqual([TEX, TEX]);
    expect(prim.getMaterial()?.getBaseColorTexture()).toBe(textures[0]);
    // Head size in the world: about 0.15-0.4 units across (orbit radius 1.5).
    const min = pos.getMin([0, 0, 0]);
    const max = pos.getMax([0, 0, 0]);
    expect(max[0] - min[0]).toBeGreaterThan(0.1);
    expect(max[0] - min[0]).toBeLessThan(0.5);

    const validatorModule = 'gltf-validator';
    const validator = (await import(validatorModule)) as {
      validateBytes(b: Uint8Array): Promise<{ issues: { numErrors: number; messages: unknown[] } }>;
    };
    const report = await validator.validateBytes(bytes);
    expect(report.issues.numErrors, JSON.stringify(report.issues.messages.slice(0, 5))).toBe(0);
  });

  it("hair shell: the scalp's copy stands off the skull by the hair's thickness, inside the hair's outline", async () => {
    const doc = await new NodeIO().readBinary(new Uint8Array(fs.readFileSync(glbPath)));
    const shell = (
      doc.getRoot().listScenes()[0].getExtras() as {
        headforge: { hairShell: { vertices: number; medianThicknessCm: number } };
      }
    ).headforge.hairShell;
    expect(shell.vertices).toBeGreaterThan(500);
    const pos = doc.getRoot().listMeshes()[0].listPrimitives()[0].getAttribute('POSITION')!.getArray()!;
    const count = pos.length / 3;
    // The shell's vertices come after the skull's. Crown: highest point near the middle (|x| < 2 cm).
    const fit = readJson<HeadFit>('head-fit.json');
    const record = readJson<{ resolved: { inputCamera: Parameters<typeof fittedModelToWorld>[1] } }>(
      'record.json',
    );
    const scale = fittedModelToWorld(fit, record.resolved.inputCamera).scale;
    const top = (from: number, to: number) => {
      let y = -Infinity;
      for (let i = from; i < to; i++) if (Math.abs(pos[i * 3]) < 2 * scale) y = Math.max(y, pos[i * 3 + 1]);
      return y;
    };
    const skullTop = top(0, count - shell.vertices);
    const shellTop = top(count - shell.vertices, count);
    // The hair's outline at the crown: the highest opaque Gaussian near the middle.
    const { cloud } = await loadRunHead(runDir);
    let hairTop = -Infinity;
    for (let i = 0; i < cloud.count; i++)
      if (cloud.opacities[i] > 0 && Math.abs(cloud.positions[i * 3]) < 2 * scale)
        hairTop = Math.max(hairTop, cloud.positions[i * 3 + 1]);
    console.log(
      `[hair shell] crown: skull ${(skullTop / scale).toFixed(1)} cm, shell ${(shellTop / scale).toFixed(1)} cm, hair ${(hairTop / scale).toFixed(1)} cm; ${shell.vertices} vertices, median thickness ${shell.medianThicknessCm.toFixed(2)} cm`,
    );
    expect(shellTop - skullTop).toBeGreaterThan(0.8 * scale);
    expect(shellTop).toBeLessThan(hairTop + 1 * scale);
  });

  it('default export: a 2048^2 texture, the Khronos validator reports 0 errors, >= 52 named morph targets (every ARKit name the kit has)', async () => {
    const out = path.join(tmp, 'out', 'default.glb');
    const r = await runCli(['export-mesh', runDir, '--out', out, '--json']);
    expect(r.code, r.err).toBe(0);
    const res = JSON.parse(r.out) as {
      textureSize: number;
      morphTargets: string[];
      timings: { totalMs: number };
    };
    expect(res.textureSize).toBe(2048);
    const bytes = new Uint8Array(fs.readFileSync(out));
    const doc = await new NodeIO().readBinary(bytes);
    const tex = doc.getRoot().listTextures()[0];
    const meta = await sharp(Buffer.from(tex.getImage()!)).metadata();
    expect([meta.width, meta.height]).toEqual([2048, 2048]);
    const prim = doc.getRoot().listMeshes()[0].listPrimitives()[0];
    const names = prim.listTargets().map((t) => t.getName());
    expect(new Set(names).size).toBe(names.length);
    expect(names.length).toBeGreaterThanOrEqual(52);
    expect(names).toEqual(res.morphTargets);
    // Every ARKit shape but tongueOut (the kit has no tongue shape) is a target under its ARKit name.
    for (const n of ARKIT_BLENDSHAPES) if (n !== 'tongueOut') expect(names).toContain(n);
    // glTF's own place for the names (three.js, Blender, glTFast and Unreal read mesh.extras.targetNames).
    expect(doc.getRoot().listMeshes()[0].getExtras()).toMatchObject({ targetNames: names });
    const validatorModule = 'gltf-validator';
    const validator = (await import(validatorModule)) as {
      validateBytes(b: Uint8Array): Promise<{ issues: { numErrors: number; messages: unknown[] } }>;
    };
    const report = await validator.validateBytes(bytes);
    expect(report.issues.numErrors, JSON.stringify(report.issues.messages.slice(0, 5))).toBe(0);
  });

  it("the baked face has the portrait's skin colour at the cheeks, and jawOpen moves the chin down", async () => {
    const model = await sharedHeadModel();
    const { mesh, texture } = await buildRunMesh(runDir, TEX, model);
    const fit = readJson<HeadFit>('head-fit.json');
    const crop = await readRgba(path.join(runDir, 'preprocess', 'crop512.png'));
    const beta = new Float32Array(model.expressionNames.length);
    for (const [k, w] of Object.entries(fit.expression)) beta[expressionIndex(model, k)] = w;
    const posed = headModelVertices(model, fit.identity, beta);
    const lm = headModelLandmarks(model, posed);
    // Exported triangle of each model triangle (corners kept in the model's order).
    const exported = new Map<number, number>();
    mesh.sourceTriangle.forEach((t, k) => exported.set(t, k));
    // Cheek landmarks (face mesh numbering, both sides): skin in any portrait without a beard.
    const CHEEKS = [50, 280, 101, 330, 117, 346, 118, 347, 123, 352, 205, 425];
    const R = fit.rotation;
    const t = fit.translation;
    const texMean = [0, 0, 0];
    const cropMean = [0, 0, 0];
    let n = 0;
    for (const i of CHEEKS) {
      const tri = model.landmarkTriangles[i];
      const k = exported.get(tri);
      if (tri < 0 || k === undefined) continue;
      let u = 0;
      let v = 0;
      for (let c = 0; c < 3; c++) {
        const b = model.landmarkBarycentrics[i * 3 + c];
        u += b * mesh.uvs[mesh.indices[k * 3 + c] * 2];
        v += b * mesh.uvs[mesh.indices[k * 3 + c] * 2 + 1];
      }
      const p = [lm[i * 3], lm[i * 3 + 1], lm[i * 3 + 2]];
      const q = [0, 1, 2].map((r) => R[r * 3] * p[0] + R[r * 3 + 1] * p[1] + R[r * 3 + 2] * p[2] + t[r]);
      const px = (fit.focalPx * q[0]) / q[2] + fit.cx;
      const py = (fit.focalPx * q[1]) / q[2] + fit.cy;
      const tx = Math.floor(u * TEX);
      const ty = Math.floor(v * TEX);
      for (let a = 0; a < 3; a++) {
        texMean[a] += texture.data[(ty * TEX + tx) * 4 + a];
        cropMean[a] += crop.data[(Math.round(py) * crop.width + Math.round(px)) * 4 + a];
      }
      n++;
    }
    expect(n).toBeGreaterThanOrEqual(8);
    const diff = texMean.map((x, a) => Math.abs(x - cropMean[a]) / n);
    // The views are the portrait re-rendered (weight-free proxy at 256 px), not the crop itself.
    expect(Math.max(...diff)).toBeLessThan(25);
    // Skin, not hair or background: warmer red than blue.
    expect(texMean[0]).toBeGreaterThan(texMean[2]);

    // jawOpen: the chin (Multi-PIE 68 point 8) goes down by more than 1 cm in the world.
    const chin = model.multiPie68[8];
    const jaw = mesh.morphTargets.find((m) => m.name === 'jawOpen')!;
    const idx = Array.from(mesh.sourceVertex).indexOf(chin);
    expect(idx).toBeGreaterThanOrEqual(0);
    expect(jaw.deltas[idx * 3 + 1]).toBeLessThan(-1 * mesh.scale);
    // The GLB's jawOpen is the same array.
    const doc = await new NodeIO().readBinary(new Uint8Array(fs.readFileSync(glbPath)));
    const target = doc
      .getRoot()
      .listMeshes()[0]
      .listPrimitives()[0]
      .listTargets()
      .find((x) => x.getName() === 'jawOpen')!;
    expect(target.getAttribute('POSITION')!.getArray()![idx * 3 + 1]).toBeCloseTo(jaw.deltas[idx * 3 + 1], 7);
  });

  it('OBJ + MTL + PNG: same vertex and face counts as the GLB, the MTL names the texture', async () => {
    const out = path.join(tmp, 'out', 'obj', 'head.obj');
    const r = await runCli(['export-mesh', runDir, '--out', out, '--texture-size', '256']);
    expect(r.code).toBe(0);
    const text = fs.readFileSync(out, 'utf8');
    const count = (p: string) => text.split('\n').filter((l) => l.startsWith(p)).length;
    const doc = await new NodeIO().readBinary(new Uint8Array(fs.readFileSync(glbPath)));
    const prim = doc.getRoot().listMeshes()[0].listPrimitives()[0];
    expect(count('v ')).toBe(prim.getAttribute('POSITION')!.getCount());
    expect(count('vt ')).toBe(count('v '));
    expect(count('f ')).toBe(prim.getIndices()!.getCount() / 3);
    expect(fs.readFileSync(path.join(tmp, 'out', 'obj', 'head.mtl'), 'utf8')).toContain('map_Kd head.png');
    const meta = await sharp(path.join(tmp, 'out', 'obj', 'head.png')).metadata();
    expect(meta.width).toBe(256);
  });

  it('refuses bad flags and a folder without a head fit (exit 2 / 3 with a sentence)', async () => {
    expect(
      (await runCli(['export-mesh', runDir, '--out', path.join(tmp, 'x.glb'), '--texture-size', '1000']))
        .code,
    ).toBe(2);
    expect((await runCli(['export-mesh', runDir, '--out', path.join(tmp, 'x.fbx')])).code).toBe(2);
    const r = await runCli(['export-mesh', tmp + '/out', '--out', path.join(tmp, 'x.glb')]);
    expect(r.code).not.toBe(0);
    expect(r.err).toMatch(/not a run folder/);
  });

  it("the studio's export: the dialog's mesh request passes the IPC schema and writes exports/head-mesh.glb", async () => {
    const request = exportRequestFor({
      projectId: 'p',
      runId: 'r',
      formatChoice: 'mesh-glb',
      preset: 'unity',
      shChoice: 3,
      maxSplats: 1000,
      minOpacity: 0.5,
    });
    // Preset, SH, budget and clean-up do not apply to the mesh.
    expect(request).toEqual({ projectId: 'p', runId: 'r', format: 'mesh-glb', preset: 'none' });
    expect(exportRequestSchema.safeParse(request).success).toBe(true);
    const written = await exportRunHead(runDir, request);
    expect(written.fileName).toBe('head-mesh.glb');
    expect(written.splats).toBe(0);
    expect(fs.statSync(path.join(runDir, 'exports', 'head-mesh.glb')).size).toBe(written.bytes);
  });
});
