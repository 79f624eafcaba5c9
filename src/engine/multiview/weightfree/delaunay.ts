/**
 * Bowyer-Watson Delaunay triangulation of 2D points (O(n^2); n is a few hundred face landmarks).
 * Returns Uint32Array [T * 3] of point indices, counter-clockwise.
 */
export function delaunay(xs: Float64Array, ys: Float64Array): Uint32Array {
  const n = xs.length;
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (let i = 0; i < n; i++) {
    minX = Math.min(minX, xs[i]);
    maxX = Math.max(maxX, xs[i]);
    minY = Math.min(minY, ys[i]);
    maxY = Math.max(maxY, ys[i]);
  }
  const span = Math.max(maxX - minX, maxY - minY, 1) * 20;
  const mx = (minX + maxX) / 2;
  const my = (minY + maxY) / 2;
  // Points n, n+1, n+2: a super-triangle containing everything.
  const px = Float64Array.from([...xs, mx - span, mx, mx + span]);
  const py = Float64Array.from([...ys, my - span, my + span, my - span]);
  type Tri = [number, number, number, number, number, number]; // a b c, circumcentre x y, radius^2
  const makeTri = (a: number, b: number, c: number): Tri => {
    const ax = px[a], ay = py[a], bx = px[b], by = py[b], cx = px[c], cy = py[c];
    const d = 2 * (ax * (by - cy) + bx * (cy - ay) + cx * (ay - by));
    const ux = ((ax * ax + ay * ay) * (by - cy) + (bx * bx + by * by) * (cy - ay) + (cx * cx + cy * cy) * (ay - by)) / d;
    const uy = ((ax * ax + ay * ay) * (cx - bx) + (bx * bx + by * by) * (ax - cx) + (cx * cx + cy * cy) * (bx - ax)) / d;
    const ccw = (bx - ax) * (cy - ay) - (by - ay) * (cx - ax) > 0;
    return ccw ? [a, b, c, ux, uy, (ax - ux) ** 2 + (ay - uy) ** 2] : [a, c, b, ux, uy, (ax - ux) ** 2 + (ay - uy) ** 2];
  };
  let tris: Tri[] = [makeTri(n, n + 1, n + 2)];
  for (let i = 0; i < n; i++) {
    const x = px[i];
    const y = py[i];
    const bad: Tri[] = [];
    const keep: Tri[] = [];
    for (const t of tris) ((x - t[3]) ** 2 + (y - t[4]) ** 2 < t[5] ? bad : keep).push(t);
    // Boundary of the cavity: edges of bad triangles not shared by another bad triangle.
    const edges = new Map<string, [number, number]>();
    for (const t of bad) {
      for (const [a, b] of [[t[0], t[1]], [t[1], t[2]], [t[2], t[0]]] as const) {
        const key = a < b ? `${a},${b}` : `${b},${a}`;
        if (edges.has(key)) edges.delete(key);
        else edges.set(key, [a, b]);
      }
    }
    for (const [a, b] of edges.values()) keep.push(makeTri(a, b, i));
    tris = keep;
  }
  const out: number[] = [];
  for (const t of tris) if (t[0] < n && t[1] < n && t[2] < n) out.push(t[0], t[1], t[2]);
  return Uint32Array.from(out);
}
