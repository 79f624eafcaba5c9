/**
 * Minimal Wavefront OBJ reading for the head-model importer: positions (`v`), texture coordinates
 * (`vt`) and polygon faces (`f v/vt[/vn] ...`) of one mesh. Everything else (normals, groups,
 * materials, comments) is skipped. Quads and n-gons are split as a fan from their first corner, so the
 * OBJ's winding (counter-clockwise seen from outside) is kept.
 */

export interface ObjPositions {
  /** [V*3] float64, as written in the file. */
  positions: Float64Array;
}

export interface ObjMesh extends ObjPositions {
  /** [VT*2] texture coordinates as written (u right, v up). */
  texcoords: Float64Array;
  /** Triangles [T*3] of 0-based vertex indices. */
  triangles: Uint32Array;
  /** Texture coordinate index per triangle corner [T*3] (-1 when the face has none). */
  triangleTexcoords: Int32Array;
  /** Polygon index (OBJ face order) of each triangle [T]. */
  triangleFace: Uint32Array;
  /** Number of polygons (`f` lines). */
  faceCount: number;
}

class GrowF64 {
  data = new Float64Array(1 << 16);
  length = 0;
  push(v: number): void {
    if (this.length === this.data.length) {
      const next = new Float64Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = v;
  }
  result(): Float64Array {
    return this.data.slice(0, this.length);
  }
}

class GrowI32 {
  data = new Int32Array(1 << 16);
  length = 0;
  push(v: number): void {
    if (this.length === this.data.length) {
      const next = new Int32Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = v;
  }
}

/** Calls `fn(line, start, end)` for each line of `text` (without the line break). */
function forEachLine(text: string, fn: (start: number, end: number) => void): void {
  let start = 0;
  const n = text.length;
  while (start < n) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = n;
    let e = end;
    if (e > start && text.charCodeAt(e - 1) === 13) e--;
    fn(start, e);
    start = end + 1;
  }
}

function parseNumbers(
  text: string,
  start: number,
  end: number,
  count: number,
  out: GrowF64,
  what: string,
  line: number,
): void {
  const parts = text.slice(start, end).trim().split(/\s+/);
  if (parts.length < count)
    throw new Error(`${what}: line ${line} has ${parts.length} numbers, expected ${count}`);
  for (let k = 0; k < count; k++) {
    const v = Number(parts[k]);
    if (!Number.isFinite(v)) throw new Error(`${what}: line ${line}: "${parts[k]}" is not a number`);
    out.push(v);
  }
}

/** Only the `v` lines of an OBJ (the trimmed kit files hold nothing else). */
export function parseObjPositions(text: string, what = 'OBJ'): ObjPositions {
  const pos = new GrowF64();
  let line = 0;
  forEachLine(text, (s, e) => {
    line++;
    // "v " (not "vt"/"vn")
    if (
      e - s > 2 &&
      text.charCodeAt(s) === 118 &&
      (text.charCodeAt(s + 1) === 32 || text.charCodeAt(s + 1) === 9)
    ) {
      parseNumbers(text, s + 2, e, 3, pos, what, line);
    }
  });
  return { positions: pos.result() };
}

/** Positions, texture coordinates and triangulated faces of a complete OBJ. */
export function parseObjMesh(text: string, what = 'OBJ'): ObjMesh {
  const pos = new GrowF64();
  const uv = new GrowF64();
  const tri = new GrowI32();
  const triUv = new GrowI32();
  const triFace = new GrowI32();
  let faceCount = 0;
  let line = 0;
  const cornerV: number[] = [];
  const cornerT: number[] = [];
  forEachLine(text, (s, e) => {
    line++;
    if (e - s < 3) return;
    const c0 = text.charCodeAt(s);
    const c1 = text.charCodeAt(s + 1);
    if (c0 === 118 && (c1 === 32 || c1 === 9)) {
      parseNumbers(text, s + 2, e, 3, pos, what, line);
    } else if (c0 === 118 && c1 === 116) {
      parseNumbers(text, s + 3, e, 2, uv, what, line);
    } else if (c0 === 102 && (c1 === 32 || c1 === 9)) {
      const corners = text
        .slice(s + 2, e)
        .trim()
        .split(/\s+/);
      if (corners.length < 3) throw new Error(`${what}: line ${line}: a face needs 3 corners`);
      cornerV.length = 0;
      cornerT.length = 0;
      const nv = pos.length / 3;
      const nt = uv.length / 2;
      for (const c of corners) {
        const [a, b] = c.split('/');
        let vi = Number.parseInt(a, 10);
        if (!Number.isFinite(vi) || vi === 0)
          throw new Error(`${what}: line ${line}: bad face corner "${c}"`);
        vi = vi < 0 ? nv + vi : vi - 1;
        let ti = -1;
        if (b) {
          ti = Number.parseInt(b, 10);
          ti = ti < 0 ? nt + ti : ti - 1;
        }
        cornerV.push(vi);
        cornerT.push(ti);
      }
      for (let k = 1; k + 1 < cornerV.length; k++) {
        tri.push(cornerV[0]);
        tri.push(cornerV[k]);
        tri.push(cornerV[k + 1]);
        triUv.push(cornerT[0]);
        triUv.push(cornerT[k]);
        triUv.push(cornerT[k + 1]);
        triFace.push(faceCount);
      }
      faceCount++;
    }
  });
  const positions = pos.result();
  const nv = positions.length / 3;
  const triangles = new Uint32Array(tri.data.subarray(0, tri.length));
  for (let i = 0; i < triangles.length; i++) {
    if (tri.data[i] < 0 || tri.data[i] >= nv)
      throw new Error(`${what}: face corner ${i} refers to vertex ${tri.data[i] + 1} of ${nv}`);
  }
  return {
    positions,
    texcoords: uv.result(),
    triangles,
    triangleTexcoords: tri.length ? triUv.data.slice(0, triUv.length) : new Int32Array(0),
    triangleFace: new Uint32Array(triFace.data.subarray(0, triFace.length)),
    faceCount,
  };
}
