/**
 * Triangle meshes for software rendering (pure TS, no DOM/Node).
 *
 * Layout:
 *   positions Float32Array [V * 3]  x y z in world units (OpenGL axes, see src/shared/camera.ts)
 *   uvs       Float32Array [V * 2]  texture coordinates: u right, v down, both in [0, 1]
 *   indices   Uint32Array  [T * 3]  vertex indices per triangle (winding is not used: no culling)
 */
export interface TriMesh {
  positions: Float32Array;
  uvs: Float32Array;
  indices: Uint32Array;
}

export function vertexCount(mesh: TriMesh): number {
  return mesh.positions.length / 3;
}

export function triangleCount(mesh: TriMesh): number {
  return mesh.indices.length / 3;
}

/** Throws a RangeError naming the first inconsistency (sizes, out-of-range index, NaN position). */
export function validateMesh(mesh: TriMesh): void {
  const v = mesh.positions.length / 3;
  if (!Number.isInteger(v)) throw new RangeError(`positions length ${mesh.positions.length} is not a multiple of 3`);
  if (mesh.uvs.length !== v * 2) throw new RangeError(`uvs length ${mesh.uvs.length} != 2 * ${v} vertices`);
  if (mesh.indices.length % 3 !== 0) throw new RangeError(`indices length ${mesh.indices.length} is not a multiple of 3`);
  for (let i = 0; i < mesh.indices.length; i++) {
    if (mesh.indices[i] >= v) throw new RangeError(`index ${mesh.indices[i]} at ${i} >= vertex count ${v}`);
  }
  for (let i = 0; i < mesh.positions.length; i++) {
    if (!Number.isFinite(mesh.positions[i])) throw new RangeError(`position component ${i} is not finite`);
  }
}

/** Concatenate meshes (indices are offset). */
export function mergeMeshes(meshes: readonly TriMesh[]): TriMesh {
  let nv = 0;
  let ni = 0;
  for (const m of meshes) {
    nv += m.positions.length / 3;
    ni += m.indices.length;
  }
  const positions = new Float32Array(nv * 3);
  const uvs = new Float32Array(nv * 2);
  const indices = new Uint32Array(ni);
  let vo = 0;
  let io = 0;
  for (const m of meshes) {
    positions.set(m.positions, vo * 3);
    uvs.set(m.uvs, vo * 2);
    for (let i = 0; i < m.indices.length; i++) indices[io + i] = m.indices[i] + vo;
    vo += m.positions.length / 3;
    io += m.indices.length;
  }
  return { positions, uvs, indices };
}
