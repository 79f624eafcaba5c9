import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import {
  cameraLookAt,
  orbitCamera,
  orbitPosition,
  viewCameras,
  type RasterCamera,
  type Vec3,
} from '../../src/shared/camera';
import { createRgba } from '../../src/shared/image';
import { renderTexturedMesh } from '../../src/shared/eval-render/textured-mesh';
import { parseGltf } from '../../src/engine/eval/gltf-loader';
import { mapCamerasToPipeline } from '../../src/engine/eval/camera-mapping';
import { orbitCentreOf } from '../../src/engine/eval/gt-rig';
import { folderSubject } from '../../src/engine/eval/folder-source';
import { writeGlb } from './helpers/write-glb';

/** A unit quad in the xy-plane facing +z, UV (0,0) at its top-left, and a 2x2 texture: red green / blue white. */
function quad() {
  const texture = createRgba(2, 2);
  texture.data.set([255, 0, 0, 255, 0, 255, 0, 255, 0, 0, 255, 255, 255, 255, 255, 255]);
  return {
    positions: new Float32Array([-0.5, 0.5, 0, 0.5, 0.5, 0, 0.5, -0.5, 0, -0.5, -0.5, 0]),
    uvs: new Float32Array([0, 0, 1, 0, 1, 1, 0, 1]),
    indices: new Uint32Array([0, 1, 2, 0, 2, 3]),
    texture,
  };
}

function px(img: { width: number; data: Uint8ClampedArray }, x: number, y: number): number[] {
  return Array.from(img.data.subarray((y * img.width + x) * 4, (y * img.width + x) * 4 + 4));
}

describe('glTF loader and textured-mesh renderer', () => {
  it('applies node TRS, reads uint16 indices and the embedded texture, and renders texels where they belong', async () => {
    const q = quad();
    // Node: scale 0.1, translate +0.05 in x. (Rotation about z by 0.)
    const glb = await writeGlb({
      ...q,
      shortIndices: true,
      node: { scale: [0.1, 0.1, 0.1], translation: [0.05, 0, 0] },
    });
    const { mesh, warnings } = await parseGltf('quad.glb', glb);
    expect(warnings).toEqual([]);
    expect(Array.from(mesh.positions.subarray(0, 3))).toEqual(
      [0, 0.05, 0].map((v, i) => (i === 0 ? Math.fround(-0.05 + 0.05) : Math.fround(v))),
    );
    expect(mesh.indices.length).toBe(6);
    expect(mesh.materials[0].texture?.width).toBe(2);
    // Camera straight on at distance 1.5, fovy 10 -> frame 0.262 wide; the 0.1 quad spans ~38% of it.
    const img = renderTexturedMesh(mesh, orbitCamera(0, 0, 64), { supersample: 1 });
    // The quad is centred at x = +0.05 world (~ +12 px). Quadrant centres: texel colours (clamped-bilinear blends at the centre).
    const c = 32 + 12;
    expect(px(img, c - 6, 26)[0]).toBeGreaterThan(200); // top-left red
    expect(px(img, c + 6, 26)[1]).toBeGreaterThan(200); // top-right green
    expect(px(img, c - 6, 38)[2]).toBeGreaterThan(200); // bottom-left blue
    expect(
      px(img, c + 6, 38)
        .slice(0, 3)
        .every((v) => v > 200),
    ).toBe(true); // bottom-right white
    expect(px(img, 2, 2)[3]).toBe(0); // background transparent
    expect(px(img, c, 32)[3]).toBe(255);
  });

  it('reads .gltf JSON with data: URIs and applies baseColorFactor', async () => {
    const q = quad();
    const pos = Buffer.from(q.positions.buffer),
      uv = Buffer.from(q.uvs.buffer),
      idx = Buffer.from(q.indices.buffer);
    const bin = Buffer.concat([pos, uv, idx]);
    const gltf = {
      asset: { version: '2.0' },
      buffers: [
        { byteLength: bin.length, uri: `data:application/octet-stream;base64,${bin.toString('base64')}` },
      ],
      bufferViews: [
        { buffer: 0, byteOffset: 0, byteLength: pos.length },
        { buffer: 0, byteOffset: pos.length, byteLength: uv.length },
        { buffer: 0, byteOffset: pos.length + uv.length, byteLength: idx.length },
      ],
      accessors: [
        { bufferView: 0, componentType: 5126, count: 4, type: 'VEC3' },
        { bufferView: 1, componentType: 5126, count: 4, type: 'VEC2' },
        { bufferView: 2, componentType: 5125, count: 6, type: 'SCALAR' },
      ],
      meshes: [{ primitives: [{ attributes: { POSITION: 0, TEXCOORD_0: 1 }, indices: 2, material: 0 }] }],
      materials: [{ pbrMetallicRoughness: { baseColorFactor: [0.5, 0.5, 0.5, 1] } }],
      nodes: [{ mesh: 0, scale: [0.1, 0.1, 0.1] }],
      scenes: [{ nodes: [0] }],
    };
    const { mesh } = await parseGltf('quad.gltf', new TextEncoder().encode(JSON.stringify(gltf)));
    const img = renderTexturedMesh(mesh, orbitCamera(0, 0, 32), { supersample: 1 });
    // Linear 0.5 -> sRGB 188.
    expect(px(img, 16, 16)).toEqual([188, 188, 188, 255]);
  });

  it('refuses a truncated GLB, Draco and non-glTF bytes with a message that says which', async () => {
    const glb = await writeGlb({ ...quad(), texture: createRgba(64, 64, [200, 120, 40, 255]) });
    await expect(parseGltf('x.glb', glb.subarray(0, glb.length - 100))).rejects.toThrow(/truncated GLB/);
    const draco = { asset: { version: '2.0' }, extensionsRequired: ['KHR_draco_mesh_compression'] };
    await expect(parseGltf('d.gltf', new TextEncoder().encode(JSON.stringify(draco)))).rejects.toThrow(
      /KHR_draco_mesh_compression/,
    );
    await expect(parseGltf('n.glb', new TextEncoder().encode('not a model'))).rejects.toThrow(
      /neither a GLB/,
    );
  });
});

describe('ground-truth cameras -> pipeline frame', () => {
  const close = (a: RasterCamera, b: RasterCamera) => {
    for (let i = 0; i < 12; i++) expect(a.worldToCamera[i]).toBeCloseTo(b.worldToCamera[i], 9);
  };

  it('is the identity for the pipeline cameras themselves at the same elevation', () => {
    const cams = viewCameras(10, 64);
    const m = mapCamerasToPipeline(cams, 0, [0, 0, 0], 10);
    expect(m.scale).toBeCloseTo(1, 12);
    m.cameras.forEach((c, i) => close(c, cams[i]));
  });

  it('recovers the pipeline cameras from a rig in another world (moved, turned, 3x larger, input at view 5)', () => {
    const centre: Vec3 = [2, -1, 5];
    const turn = 0.7; // radians about y
    const rig = viewCameras(0, 64).map((_, i, all) => {
      // Camera i of a rig orbiting `centre` at radius 4.5, its azimuths offset so view 5 is the input.
      const az = [
        0, 4.04, 15.47, 33.22, 56.25, 83.5, 113.91, 146.43, 180, -146.43, -113.91, -83.5, -56.25, -33.22,
        -15.47, -4.04,
      ][i];
      const p = orbitPosition(az + (turn * 180) / Math.PI, 0, 4.5);
      void all;
      return cameraLookAt([p[0] + centre[0], p[1] + centre[1], p[2] + centre[2]], centre, 64, 64);
    });
    expect(orbitCentreOf(rig).map((v) => Number(v.toFixed(6)))).toEqual(centre);
    const m = mapCamerasToPipeline(rig, 5, centre, 0);
    expect(m.scale).toBeCloseTo(1.5 / 4.5, 12);
    // The input camera becomes azimuth 0; camera j sits at azimuth az_j - az_5 in the pipeline frame.
    close(m.cameras[5], orbitCamera(0, 0, 64));
    close(m.cameras[8], orbitCamera(180 - 83.5, 0, 64));
  });

  it('reads an opencv_cameras.json folder: cameras, orbit centre, input view, bad files refused', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'hf-eval-folder-'));
    const cams = viewCameras(0, 32).slice(0, 4);
    const frames = [];
    for (let i = 0; i < cams.length; i++) {
      const name = `images/${i}.png`;
      await fs.mkdir(path.join(dir, 'images'), { recursive: true });
      await sharp({
        create: { width: 32, height: 32, channels: 4, background: { r: 10 * i, g: 0, b: 0, alpha: 0.5 } },
      })
        .png()
        .toFile(path.join(dir, name));
      const m = cams[i].worldToCamera;
      frames.push({
        file_path: name,
        w: 32,
        h: 32,
        fx: cams[i].fx,
        fy: cams[i].fy,
        cx: 16,
        cy: 16,
        w2c: [
          [m[0], m[1], m[2], m[3]],
          [m[4], m[5], m[6], m[7]],
          [m[8], m[9], m[10], m[11]],
          [0, 0, 0, 1],
        ],
      });
    }
    await fs.writeFile(path.join(dir, 'opencv_cameras.json'), JSON.stringify({ frames }));
    const s = await folderSubject(dir, { inputView: 2 });
    expect(s.views).toHaveLength(4);
    expect(s.inputIndex).toBe(2);
    expect(s.portrait).toBe(s.views[2].image);
    s.orbitCentre.forEach((v) => expect(Math.abs(v)).toBeLessThan(1e-9));
    s.views.forEach((v, i) => close(v.camera, { ...cams[i], near: 1e-3, far: 1e6 }));
    // No face anywhere -> first frame with a warning.
    const auto = await folderSubject(dir, { detectFace: async () => null });
    expect(auto.inputIndex).toBe(0);
    expect(auto.warnings.join(' ')).toMatch(/no face/);
    frames[1].w2c[0] = [2, 0, 0, 0];
    await fs.writeFile(path.join(dir, 'opencv_cameras.json'), JSON.stringify({ frames }));
    await expect(folderSubject(dir, { inputView: 0 })).rejects.toThrow(/norm 2/);
    await fs.writeFile(
      path.join(dir, 'opencv_cameras.json'),
      JSON.stringify({ frames: [{ ...frames[0], file_path: '../escape.png' }, frames[2]] }),
    );
    await expect(folderSubject(dir, { inputView: 0 })).rejects.toThrow(/leaves the folder/);
  });
});
