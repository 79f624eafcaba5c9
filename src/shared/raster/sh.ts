/**
 * Real spherical-harmonics colour (degrees 0..3) with 3DGS's basis constants:
 * colour_c = max(0, 0.5 + SH_C0 * dc_c + sum_k Y_k(dir) * rest_kc), dir = unit(mean - camera centre).
 */
import { SH_C0 } from '../gaussians/cloud';

const C1 = 0.4886025119029199;
const C2 = [1.0925484305920792, -1.0925484305920792, 0.31539156525252005, -1.0925484305920792, 0.5462742152960396];
const C3 = [
  -0.5900435899266435, 2.890611442640554, -0.4570457994644658, 0.3731763325901154, -0.4570457994644658,
  1.445305721320277, -0.5900435899266435,
];

/** The 15 non-DC basis functions at unit direction (x, y, z), in 3DGS order. */
export function shBasis(x: number, y: number, z: number): number[] {
  const xx = x * x;
  const yy = y * y;
  const zz = z * z;
  return [
    -C1 * y,
    C1 * z,
    -C1 * x,
    C2[0] * x * y,
    C2[1] * y * z,
    C2[2] * (2 * zz - xx - yy),
    C2[3] * x * z,
    C2[4] * (xx - yy),
    C3[0] * y * (3 * xx - yy),
    C3[1] * x * y * z,
    C3[2] * y * (4 * zz - xx - yy),
    C3[3] * z * (2 * zz - 3 * xx - 3 * yy),
    C3[4] * x * (4 * zz - xx - yy),
    C3[5] * z * (xx - yy),
    C3[6] * x * (xx - 3 * yy),
  ];
}

/**
 * Colour of Gaussian i. dc: shDC, rest: shRest with K coefficients per Gaussian ((i*K+k)*3+c);
 * only the first (degree+1)^2-1 coefficients are used.
 */
export function shColor(
  degree: number,
  dir: [number, number, number],
  dc: ArrayLike<number>,
  rest: ArrayLike<number>,
  i: number,
  K: number,
): [number, number, number] {
  const used = (degree + 1) * (degree + 1) - 1;
  const basis = used > 0 ? shBasis(dir[0], dir[1], dir[2]) : [];
  const out: [number, number, number] = [0, 0, 0];
  for (let c = 0; c < 3; c++) {
    let v = 0.5 + SH_C0 * dc[i * 3 + c];
    for (let k = 0; k < used; k++) v += basis[k] * rest[(i * K + k) * 3 + c];
    out[c] = Math.max(0, v);
  }
  return out;
}
