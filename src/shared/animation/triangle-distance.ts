/** Point-to-triangle distance for binding Gaussians to the nearest triangle. Pure: no Node, no DOM. */

/** Closest point on triangle (a, b, c) to p (Ericson, Real-Time Collision Detection 5.1.5): squared distance. */
export function pointTriangleDistance2(
  px: number,
  py: number,
  pz: number,
  V: ArrayLike<number>,
  ia: number,
  ib: number,
  ic: number,
): number {
  const ax = V[ia];
  const ay = V[ia + 1];
  const az = V[ia + 2];
  const abx = V[ib] - ax;
  const aby = V[ib + 1] - ay;
  const abz = V[ib + 2] - az;
  const acx = V[ic] - ax;
  const acy = V[ic + 1] - ay;
  const acz = V[ic + 2] - az;
  const apx = px - ax;
  const apy = py - ay;
  const apz = pz - az;
  const d1 = abx * apx + aby * apy + abz * apz;
  const d2 = acx * apx + acy * apy + acz * apz;
  let qx: number;
  let qy: number;
  let qz: number;
  if (d1 <= 0 && d2 <= 0) {
    qx = ax;
    qy = ay;
    qz = az;
  } else {
    const bpx = px - V[ib];
    const bpy = py - V[ib + 1];
    const bpz = pz - V[ib + 2];
    const d3 = abx * bpx + aby * bpy + abz * bpz;
    const d4 = acx * bpx + acy * bpy + acz * bpz;
    const cpx = px - V[ic];
    const cpy = py - V[ic + 1];
    const cpz = pz - V[ic + 2];
    const d5 = abx * cpx + aby * cpy + abz * cpz;
    const d6 = acx * cpx + acy * cpy + acz * cpz;
    const vc = d1 * d4 - d3 * d2;
    const vb = d5 * d2 - d1 * d6;
    const va = d3 * d6 - d5 * d4;
    if (d3 >= 0 && d4 <= d3) {
      qx = V[ib];
      qy = V[ib + 1];
      qz = V[ib + 2];
    } else if (vc <= 0 && d1 >= 0 && d3 <= 0) {
      const v = d1 / (d1 - d3);
      qx = ax + v * abx;
      qy = ay + v * aby;
      qz = az + v * abz;
    } else if (d6 >= 0 && d5 <= d6) {
      qx = V[ic];
      qy = V[ic + 1];
      qz = V[ic + 2];
    } else if (vb <= 0 && d2 >= 0 && d6 <= 0) {
      const w = d2 / (d2 - d6);
      qx = ax + w * acx;
      qy = ay + w * acy;
      qz = az + w * acz;
    } else if (va <= 0 && d4 - d3 >= 0 && d5 - d6 >= 0) {
      const w = (d4 - d3) / (d4 - d3 + (d5 - d6));
      qx = V[ib] + w * (V[ic] - V[ib]);
      qy = V[ib + 1] + w * (V[ic + 1] - V[ib + 1]);
      qz = V[ib + 2] + w * (V[ic + 2] - V[ib + 2]);
    } else {
      const denom = 1 / (va + vb + vc);
      const v = vb * denom;
      const w = vc * denom;
      qx = ax + abx * v + acx * w;
      qy = ay + aby * v + acy * w;
      qz = az + abz * v + acz * w;
    }
  }
  const dx = px - qx;
  const dy = py - qy;
  const dz = pz - qz;
  return dx * dx + dy * dy + dz * dz;
}
