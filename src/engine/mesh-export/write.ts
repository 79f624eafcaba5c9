/**
 * Writers for the head mesh: GLB through @gltf-transform/core (one mesh, one primitive, one material
 * with the baked atlas as base colour, the expression shapes as morph targets named in
 * mesh.extras.targetNames, the glTF convention Blender, three.js, Unity's glTFast and Unreal's
 * Interchange read), and OBJ + MTL (+ the PNG written beside them) for tools without glTF.
 */
import { Document, NodeIO } from '@gltf-transform/core';
import type { HeadMesh } from './head-mesh';

export interface GlbOptions {
  /** PNG bytes of the baked atlas. */
  texturePng: Uint8Array;
  /** Extra facts stored in the scene's extras (run id, fit, atlas layout). */
  extras?: Record<string, unknown>;
}

export async function writeHeadGlb(mesh: HeadMesh, opts: GlbOptions): Promise<Uint8Array> {
  const doc = new Document();
  doc.getRoot().getAsset().generator = 'HeadForge mesh export';
  const buffer = doc.createBuffer();
  const vertexCount = mesh.positions.length / 3;
  const indices = vertexCount <= 65535 ? Uint16Array.from(mesh.indices) : Uint32Array.from(mesh.indices);
  const texture = doc
    .createTexture('head-albedo')
    .setImage(opts.texturePng)
    .setMimeType('image/png')
    .setURI('head-albedo.png');
  const material = doc
    .createMaterial('head')
    .setBaseColorTexture(texture)
    .setMetallicFactor(0)
    .setRoughnessFactor(0.65);
  const prim = doc
    .createPrimitive()
    .setAttribute(
      'POSITION',
      doc.createAccessor('position').setType('VEC3').setArray(mesh.positions).setBuffer(buffer),
    )
    .setAttribute(
      'NORMAL',
      doc.createAccessor('normal').setType('VEC3').setArray(mesh.normals).setBuffer(buffer),
    )
    .setAttribute('TEXCOORD_0', doc.createAccessor('uv').setType('VEC2').setArray(mesh.uvs).setBuffer(buffer))
    .setIndices(doc.createAccessor('indices').setType('SCALAR').setArray(indices).setBuffer(buffer))
    .setMaterial(material);
  for (const t of mesh.morphTargets) {
    // Most shapes move a part of the head: a sparse accessor stores only the vertices that move.
    let moving = 0;
    for (let i = 0; i < t.deltas.length; i += 3)
      if (t.deltas[i] !== 0 || t.deltas[i + 1] !== 0 || t.deltas[i + 2] !== 0) moving++;
    const accessor = doc
      .createAccessor(t.name)
      .setType('VEC3')
      .setArray(t.deltas)
      .setBuffer(buffer)
      .setSparse(moving < (t.deltas.length / 3) * 0.5);
    prim.addTarget(doc.createPrimitiveTarget(t.name).setAttribute('POSITION', accessor));
  }
  const gmesh = doc
    .createMesh('head')
    .addPrimitive(prim)
    .setWeights(mesh.morphTargets.map(() => 0));
  const node = doc.createNode('head').setMesh(gmesh);
  const scene = doc.createScene('head').addChild(node);
  if (opts.extras) scene.setExtras(opts.extras);
  doc.getRoot().setDefaultScene(scene);
  return new NodeIO().writeBinary(doc);
}

/** OBJ text (positions, atlas UVs with v up as OBJ wants, normals) and its MTL naming `textureFile`. */
export function writeHeadObj(
  mesh: HeadMesh,
  baseName: string,
  textureFile: string,
): { obj: string; mtl: string } {
  const lines: string[] = [
    '# HeadForge mesh export: the fitted ICT head (identity, zero expression), run world frame (+Y up, face +Z)',
    '# Expression shapes are morph targets in the GLB only.',
    `mtllib ${baseName}.mtl`,
    'o head',
  ];
  const { positions: p, normals: n, uvs } = mesh;
  const f = (x: number) => x.toFixed(6);
  for (let i = 0; i < p.length; i += 3) lines.push(`v ${f(p[i])} ${f(p[i + 1])} ${f(p[i + 2])}`);
  for (let i = 0; i < uvs.length; i += 2) lines.push(`vt ${f(uvs[i])} ${f(1 - uvs[i + 1])}`);
  for (let i = 0; i < n.length; i += 3) lines.push(`vn ${f(n[i])} ${f(n[i + 1])} ${f(n[i + 2])}`);
  lines.push('usemtl head', 's 1');
  const ix = mesh.indices;
  for (let k = 0; k < ix.length; k += 3) {
    const a = ix[k] + 1;
    const b = ix[k + 1] + 1;
    const c = ix[k + 2] + 1;
    lines.push(`f ${a}/${a}/${a} ${b}/${b}/${b} ${c}/${c}/${c}`);
  }
  const mtl = [
    '# HeadForge mesh export',
    'newmtl head',
    'Ka 0 0 0',
    'Kd 1 1 1',
    'Ks 0.04 0.04 0.04',
    'Ns 40',
    'd 1',
    'illum 2',
    `map_Kd ${textureFile}`,
    '',
  ].join('\n');
  return { obj: lines.join('\n') + '\n', mtl };
}
