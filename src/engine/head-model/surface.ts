/** Closest points on a triangle set (for snapping landmark estimates onto the model's surface). */

export interface SurfacePoint {
  triangle: number;
  /** Barycentrics of the triangle's three corners (sum 1). */
  bary: [number, number, number];
  point: [number, number, number];
  distance: number;
}

/** Closest point on triangle (a, b, c) to p: barycentrics (Ericson, Real-Time Collision Detection 5.1.5). */
export function closestOnTriangle(
  px: number,
  py: number,
  pz: number,
  P: ArrayLike<number>,
  a: number,
  b: number,
  c: number,
): [number, number, number] {
  const ax = P[a * 3],
    ay = P[a * 3 + 1],
    az = P[a * 3 + 2];
  const abx = P[b * 3] - ax,
    aby = P[b * 3 + 1] - ay,
    abz = P[b * 3 + 2] - az;
  const acx = P[c * 3] - ax,
    acy = P[c * 3 + 1] - ay,
    acz = P[c * 3 + 2] - az;
  const apx = px - ax,
    apy = py - ay,
    apz = pz - az;
  const d1 = abx * apx + aby * apy + abz * apz;
  const d2 = acx * apx + acy * apy + acz * apz;
  if (d1 <= 0 && d2 <= 0) return [1, 0, 0];
  const bpx = px - P[b * 3],
    bpy = py - P[b * 3 + 1],
    bpz = pz - P[b * 3 + 2];
  const d3 = abx * bpx + aby * bpy + abz * bpz;
  const d4 = acx * bpx + acy * bpy + acz * bpz;
  if (d3 >= 0 && d4 <= d3) return [0, 1, 0];
  const vc = d1 * d4 - d3 * d2;
  if (vc <= 0 && d1 >= 0 && d3 <= 0) {
    const v = d1 / (d1 - d3);
    return [1 - v, v, 0];
  }
  const cpx = px - P[c * 3],
    cpy = py - P[c * 3 + 1],
    cpz = pz - P[c * 3 + 2];
  const d5 = abx * cpx + aby * cpy + abz * cpz;
  const d6 = acx * cpx + acy * cpy + acz * cpz;
  if (d6 >= 0 && d5 <= d6) return [0, 0, 1];
  const vb = d5 * d2 - d1 * d6;
  if (vb <= 0 && d2 >= 0 && d6 <= 0) {
    const w = d2 / (d2 - d6);
    return [1 - w, 0, w];
  }
  const va = d3 * d6 - d5 * d4;
  if (va <= 0 && d4 - d3 >= 0 && d5 - d6 >= 0) {
    const w = (d4 - d3) / (d4 - d3 + (d5 - d6));
    return [0, 1 - w, w];
  }
  const denom = 1 / (va + vb + vc);
  const v = vb * denom;
  const w = vc * denom;
  return [1 - v - w, v, w];
}

/** A point of triangle t at barycentrics `bary`. */
export function pointOnTriangle(
  P: ArrayLike<number>,
  triangles: ArrayLike<number>,
  t: number,
  bary: ArrayLike<number>,
): [number, number, number] {
  const a = triangles[t * 3] * 3,
    b = triangles[t * 3 + 1] * 3,
    c = triangles[t * 3 + 2] * 3;
  return [
    bary[0] * P[a] + bary[1] * P[b] + bary[2] * P[c],
    bary[0] * P[a + 1] + bary[1] * P[b + 1] + bary[2] * P[c + 1],
    bary[0] * P[a + 2] + bary[1] * P[b + 2] + bary[2] * P[c + 2],
  ];
}

/** Closest point to (x, y, z) over the triangles `set` of the mesh (brute force with a bound check). */
export function closestOnSurface(
  x: number,
  y: number,
  z: number,
  P: ArrayLike<number>,
  triangles: ArrayLike<number>,
  set: ArrayLike<number>,
): SurfacePoint {
  let best: SurfacePoint = { triangle: -1, bary: [1, 0, 0], point: [x, y, z], distance: Infinity };
  let bestD2 = Infinity;
  // Longest edge from each triangle's first corner: |p - a| > best + that means no closer point.
  let maxEdge = 0;
  for (let i = 0; i < set.length; i++) {
    const t = set[i];
    const a = triangles[t * 3] * 3;
    for (const v of [triangles[t * 3 + 1] * 3, triangles[t * 3 + 2] * 3]) {
      maxEdge = Math.max(maxEdge, Math.hypot(P[v] - P[a], P[v + 1] - P[a + 1], P[v + 2] - P[a + 2]));
    }
  }
  let reject = Infinity;
  for (let i = 0; i < set.length; i++) {
    const t = set[i];
    const a = triangles[t * 3],
      b = triangles[t * 3 + 1],
      c = triangles[t * 3 + 2];
    const dx = P[a * 3] - x,
      dy = P[a * 3 + 1] - y,
      dz = P[a * 3 + 2] - z;
    if (dx * dx + dy * dy + dz * dz > reject) continue;
    const bary = closestOnTriangle(x, y, z, P, a, b, c);
    const q = pointOnTriangle(P, triangles, t, bary);
    const d2 = (q[0] - x) ** 2 + (q[1] - y) ** 2 + (q[2] - z) ** 2;
    if (d2 < bestD2) {
      bestD2 = d2;
      best = { triangle: t, bary, point: q, distance: Math.sqrt(d2) };
      reject = (best.distance + maxEdge) ** 2;
    }
  }
  return best;
}
