/**
 * Ground-truth head meshes from glTF 2.0 (.glb, or .gltf with embedded data: URIs or files beside it):
 * every triangle primitive of the default scene, flattened into one TexturedMesh in scene (world)
 * coordinates, with base-colour textures decoded by sharp.
 *
 * Supported: accessors of every component type (normalized or not, strided), indexed and non-indexed
 * TRIANGLES / TRIANGLE_STRIP / TRIANGLE_FAN, node matrices and TRS, baseColorFactor/Texture,
 * COLOR_0, sampler wrap modes. Refused with a clear error: Draco/meshopt compression, sparse accessors
 * on positions. Ignored with a warning: points/lines, KHR_texture_transform, texCoord sets other than 0.
 */
import fs from 'node:fs/promises';
import { readRgba } from '../image-io';
import type { RgbaImage } from '../../shared/image';
import { GltfError } from './gltf-errors';
import { parseContainer, loadUri, readAccessor, UNSUPPORTED_REQUIRED, type GltfNode } from './gltf-container';
import type { MeshMaterial, TexturedMesh } from '../../shared/eval-render/textured-mesh';

export { GltfError };

export interface LoadedGltf {
  mesh: TexturedMesh;
  warnings: string[];
}


/** Column-major 4x4 of a node's local transform. */
function localMatrix(node: GltfNode): Float64Array {
  if (node.matrix && node.matrix.length === 16) return Float64Array.from(node.matrix);
  const [tx, ty, tz] = node.translation ?? [0, 0, 0];
  const [qx, qy, qz, qw] = node.rotation ?? [0, 0, 0, 1];
  const [sx, sy, sz] = node.scale ?? [1, 1, 1];
  const m = new Float64Array(16);
  m[0] = (1 - 2 * (qy * qy + qz * qz)) * sx;
  m[1] = 2 * (qx * qy + qz * qw) * sx;
  m[2] = 2 * (qx * qz - qy * qw) * sx;
  m[4] = 2 * (qx * qy - qz * qw) * sy;
  m[5] = (1 - 2 * (qx * qx + qz * qz)) * sy;
  m[6] = 2 * (qy * qz + qx * qw) * sy;
  m[8] = 2 * (qx * qz + qy * qw) * sz;
  m[9] = 2 * (qy * qz - qx * qw) * sz;
  m[10] = (1 - 2 * (qx * qx + qy * qy)) * sz;
  m[12] = tx;
  m[13] = ty;
  m[14] = tz;
  m[15] = 1;
  return m;
}

function mul4(a: Float64Array, b: Float64Array): Float64Array {
  const out = new Float64Array(16);
  for (let c = 0; c < 4; c++)
    for (let r = 0; r < 4; r++) {
      let s = 0;
      for (let k = 0; k < 4; k++) s += a[k * 4 + r] * b[c * 4 + k];
      out[c * 4 + r] = s;
    }
  return out;
}

/** Triangle vertex triples of a primitive (indices into its own vertex arrays). */
function triangleList(mode: number, idx: ArrayLike<number>): number[] {
  const tris: number[] = [];
  if (mode === 4) for (let i = 0; i + 2 < idx.length; i += 3) tris.push(idx[i], idx[i + 1], idx[i + 2]);
  else if (mode === 5)
    for (let i = 0; i + 2 < idx.length; i++)
      tris.push(...(i % 2 === 0 ? [idx[i], idx[i + 1], idx[i + 2]] : [idx[i + 1], idx[i], idx[i + 2]]));
  else if (mode === 6) for (let i = 1; i + 1 < idx.length; i++) tris.push(idx[0], idx[i], idx[i + 1]);
  return tris;
}

/** A texture from a user's file: the pixel cap applies before decoding (readRgba, issue 20). */
async function decodeImage(bytes: Uint8Array): Promise<RgbaImage> {
  return readRgba(bytes);
}

/** Load a .glb / .gltf file into one world-space TexturedMesh. */
export async function loadGltf(file: string): Promise<LoadedGltf> {
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await fs.readFile(file));
  } catch (err) {
    throw new GltfError(file, `cannot read: ${(err as Error).message}`);
  }
  return parseGltf(file, bytes);
}

/**
 * Parse glTF bytes; `file` names it in errors and resolves relative URIs. JSON that does not have the
 * glTF shape the walk below expects (an accessor that is a number, a missing attribute, a bad data
 * URI) is a GltfError quoting the JavaScript error, never a TypeError (found by npm run fuzz).
 */
export async function parseGltf(file: string, bytes: Uint8Array): Promise<LoadedGltf> {
  try {
    return await parseGltfUnchecked(file, bytes);
  } catch (err) {
    if (
      err instanceof TypeError ||
      err instanceof RangeError ||
      err instanceof SyntaxError ||
      err instanceof URIError
    )
      throw new GltfError(file, `malformed glTF (${err.message})`);
    throw err;
  }
}

async function parseGltfUnchecked(file: string, bytes: Uint8Array): Promise<LoadedGltf> {
  const warnings: string[] = [];
  const { json: gltf, bin } = parseContainer(file, bytes);
  if (!gltf.asset?.version?.startsWith('2'))
    throw new GltfError(
      file,
      `glTF asset version '${gltf.asset?.version ?? 'missing'}' (only 2.x is supported)`,
    );
  const required = (gltf.extensionsRequired ?? []).filter((e) => UNSUPPORTED_REQUIRED.has(e));
  if (required.length)
    throw new GltfError(
      file,
      `requires ${required.join(', ')} (not supported: decompress it first, e.g. 'gltf-transform copy')`,
    );

  const buffers: Uint8Array[] = [];
  for (const [i, b] of (gltf.buffers ?? []).entries()) {
    if (b.uri === undefined) {
      if (!bin) throw new GltfError(file, `buffer ${i} has no uri and there is no GLB binary chunk`);
      buffers.push(bin);
    } else buffers.push(await loadUri(file, b.uri));
  }

  // Materials (textures decoded once each).
  const textureCache = new Map<number, RgbaImage>();
  const materials: MeshMaterial[] = [];
  for (const [i, m] of (gltf.materials ?? []).entries()) {
    const pbr = m.pbrMetallicRoughness ?? {};
    const f = pbr.baseColorFactor ?? [1, 1, 1, 1];
    let texture: RgbaImage | null = null;
    let wrapU = true,
      wrapV = true;
    const info = pbr.baseColorTexture;
    if (info) {
      if ((info.texCoord ?? 0) !== 0)
        warnings.push(
          `material ${i}: base colour uses TEXCOORD_${info.texCoord}; TEXCOORD_0 is used instead`,
        );
      if (info.extensions?.KHR_texture_transform)
        warnings.push(`material ${i}: KHR_texture_transform is ignored`);
      const tex = gltf.textures?.[info.index];
      if (tex?.source === undefined)
        warnings.push(`material ${i}: texture ${info.index} has no image; base colour factor only`);
      else {
        const imgIdx = tex.source;
        if (!textureCache.has(imgIdx)) {
          const img = gltf.images?.[imgIdx];
          if (!img) throw new GltfError(file, `image ${imgIdx} does not exist`);
          let imgBytes: Uint8Array;
          if (img.bufferView !== undefined) {
            const v = gltf.bufferViews?.[img.bufferView];
            if (!v || !buffers[v.buffer])
              throw new GltfError(file, `image ${imgIdx}: bufferView ${img.bufferView} does not exist`);
            imgBytes = buffers[v.buffer].subarray(v.byteOffset ?? 0, (v.byteOffset ?? 0) + v.byteLength);
          } else if (img.uri !== undefined) imgBytes = await loadUri(file, img.uri);
          else throw new GltfError(file, `image ${imgIdx} has neither uri nor bufferView`);
          try {
            textureCache.set(imgIdx, await decodeImage(imgBytes));
          } catch (err) {
            throw new GltfError(
              file,
              `image ${imgIdx} (${img.mimeType ?? 'unknown type'}) does not decode: ${(err as Error).message}`,
            );
          }
        }
        texture = textureCache.get(imgIdx) ?? null;
        const sampler = tex.sampler !== undefined ? gltf.samplers?.[tex.sampler] : undefined;
        // 33071 = CLAMP_TO_EDGE; REPEAT (10497) and MIRRORED_REPEAT (33648) both wrap.
        wrapU = sampler?.wrapS !== 33071;
        wrapV = sampler?.wrapT !== 33071;
      }
    }
    materials.push({
      name: m.name ?? `material ${i}`,
      baseColorFactor: [f[0], f[1], f[2], f[3] ?? 1],
      texture,
      wrapU,
      wrapV,
    });
  }
  const defaultMaterial = materials.length;
  materials.push({
    name: 'default (glTF: no material)',
    baseColorFactor: [1, 1, 1, 1],
    texture: null,
    wrapU: true,
    wrapV: true,
  });

  // Walk the scene graph, accumulating world matrices.
  const positions: number[] = [];
  const uvs: number[] = [];
  const colors: number[] = [];
  let anyColors = false;
  const indices: number[] = [];
  const triMaterial: number[] = [];
  const nodes = gltf.nodes ?? [];
  const sceneIndex = gltf.scene ?? 0;
  const roots =
    gltf.scenes?.[sceneIndex]?.nodes ??
    nodes.map((_, i) => i).filter((i) => !nodes.some((n) => n.children?.includes(i)));
  const visit = (ni: number, parent: Float64Array, depth: number) => {
    const node = nodes[ni];
    if (!node) throw new GltfError(file, `node ${ni} does not exist`);
    if (depth > 64) throw new GltfError(file, 'node hierarchy deeper than 64 (a cycle?)');
    const world = mul4(parent, localMatrix(node));
    if (node.mesh !== undefined) {
      const mesh = gltf.meshes?.[node.mesh];
      if (!mesh) throw new GltfError(file, `mesh ${node.mesh} does not exist`);
      for (const [pi, prim] of mesh.primitives.entries()) {
        const mode = prim.mode ?? 4;
        if (mode < 4) {
          warnings.push(`mesh ${node.mesh} primitive ${pi}: mode ${mode} (points/lines) skipped`);
          continue;
        }
        if (prim.extensions?.KHR_draco_mesh_compression)
          throw new GltfError(file, 'Draco-compressed primitive (not supported)');
        if (prim.attributes.POSITION === undefined)
          throw new GltfError(file, `mesh ${node.mesh} primitive ${pi} has no POSITION`);
        const pos = readAccessor(file, gltf, buffers, prim.attributes.POSITION);
        const uv =
          prim.attributes.TEXCOORD_0 !== undefined
            ? readAccessor(file, gltf, buffers, prim.attributes.TEXCOORD_0)
            : null;
        const col =
          prim.attributes.COLOR_0 !== undefined
            ? readAccessor(file, gltf, buffers, prim.attributes.COLOR_0)
            : null;
        const base = positions.length / 3;
        for (let i = 0; i < pos.count; i++) {
          const x = pos.data[i * 3],
            y = pos.data[i * 3 + 1],
            z = pos.data[i * 3 + 2];
          positions.push(
            world[0] * x + world[4] * y + world[8] * z + world[12],
            world[1] * x + world[5] * y + world[9] * z + world[13],
            world[2] * x + world[6] * y + world[10] * z + world[14],
          );
          uvs.push(uv ? uv.data[i * 2] : 0, uv ? uv.data[i * 2 + 1] : 0);
          if (col) {
            anyColors = true;
            colors.push(
              col.data[i * col.components],
              col.data[i * col.components + 1],
              col.data[i * col.components + 2],
              col.components === 4 ? col.data[i * 4 + 3] : 1,
            );
          } else colors.push(1, 1, 1, 1);
        }
        const idx =
          prim.indices !== undefined
            ? readAccessor(file, gltf, buffers, prim.indices).data
            : Float64Array.from({ length: pos.count }, (_, i) => i);
        const tris = triangleList(mode, idx);
        const mat =
          prim.material !== undefined && prim.material < defaultMaterial ? prim.material : defaultMaterial;
        for (let t = 0; t < tris.length; t += 3) {
          if (tris[t] >= pos.count || tris[t + 1] >= pos.count || tris[t + 2] >= pos.count) {
            throw new GltfError(
              file,
              `mesh ${node.mesh} primitive ${pi}: index out of range (${pos.count} vertices)`,
            );
          }
          indices.push(base + tris[t], base + tris[t + 1], base + tris[t + 2]);
          triMaterial.push(mat);
        }
      }
    }
    for (const c of node.children ?? []) visit(c, world, depth + 1);
  };
  const identity = new Float64Array([1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]);
  for (const r of roots) visit(r, identity, 0);
  if (indices.length === 0) throw new GltfError(file, 'no triangles in the scene');
  const positionsF32 = Float32Array.from(positions);
  for (let i = 0; i < positionsF32.length; i++) {
    if (!Number.isFinite(positionsF32[i]))
      throw new GltfError(file, `vertex ${Math.floor(i / 3)} has a non-finite position`);
  }
  return {
    mesh: {
      positions: positionsF32,
      uvs: Float32Array.from(uvs),
      colors: anyColors ? Float32Array.from(colors) : null,
      indices: Uint32Array.from(indices),
      triangleMaterial: Uint32Array.from(triMaterial),
      materials,
    },
    warnings,
  };
}
