/**
 * A small, recognisable synthetic head for animation tests and benches (no files, deterministic):
 * skin ellipsoid with baked soft lighting, brown hair cap over the crown and back, white eyes with
 * dark irises, brows, red lips, a nose bump and a neck, sized to fill the default orbit camera
 * (radius 1.5, fovy 10 degrees: ~0.26 world units visible). It also returns its face anchors in
 * world space, which is what the expression rig needs.
 */
import type { Vec3 } from '../../src/shared/camera';
import { allocateCloud, SH_C0, type GaussianCloud } from '../../src/shared/gaussians/cloud';
import type { FaceAnchors } from '../../src/shared/animation';

const A = 0.07; // half breadth (x)
const B = 0.09; // half height (y)
const C = 0.08; // half depth (z)
const CY = 0.015; // head centre height

type Rgb = [number, number, number];
const SKIN: Rgb = [0.86, 0.66, 0.54];
const HAIR: Rgb = [0.24, 0.14, 0.08];
const LIPS: Rgb = [0.72, 0.28, 0.3];
const SCLERA: Rgb = [0.95, 0.94, 0.92];
const IRIS: Rgb = [0.12, 0.16, 0.25];
const BROW: Rgb = [0.2, 0.12, 0.07];

const EYE_X = 0.028;
const EYE_Y = 0.022;
const MOUTH_Y = -0.042;

function noseBump(x: number, y: number): number {
  return 0.014 * Math.exp(-((x / 0.009) ** 2) - ((y + 0.008) / 0.016) ** 2);
}

/** Front surface point at (x, y) (z from the ellipsoid plus the nose). */
export function frontSurface(x: number, y: number): Vec3 {
  const s = 1 - (x / A) ** 2 - ((y - CY) / B) ** 2;
  return [x, y, C * Math.sqrt(Math.max(0, s)) + noseBump(x, y)];
}

function colourAt(p: Vec3, n: Vec3): Rgb {
  const [x, y, z] = p;
  let col: Rgb = SKIN;
  const hair =
    y > CY + 0.035 + 0.02 * Math.max(0, z / C) ||
    (z < -0.01 && y > -0.03) ||
    (Math.abs(x) > 0.06 && y > 0.02 && z < 0.03);
  if (hair) col = HAIR;
  if (z > 0.02 && !hair) {
    for (const s of [-1, 1]) {
      const ex = (x - s * EYE_X) / 0.013;
      const ey = (y - EYE_Y) / 0.0065;
      if (ex * ex + ey * ey < 1) col = Math.hypot(x - s * EYE_X, y - EYE_Y) < 0.0055 ? IRIS : SCLERA;
      const bx = (x - s * EYE_X) / 0.016;
      const by = (y - (EYE_Y + 0.014 + 0.004 * (1 - bx * bx))) / 0.0025;
      if (bx * bx + by * by < 1) col = BROW;
    }
    const mx = x / 0.022;
    const my = (y - MOUTH_Y - 0.004 * mx * mx) / 0.0065;
    if (mx * mx + my * my < 1) col = LIPS;
  }
  // Baked soft key light from upper front-left so the turn reads as 3D.
  const L: Vec3 = [0.35, 0.45, 0.82];
  const lit = 0.62 + 0.38 * Math.max(0, n[0] * L[0] + n[1] * L[1] + n[2] * L[2]);
  return [col[0] * lit, col[1] * lit, col[2] * lit];
}

/** The head with about `n` Gaussians (>= 2000), plus its face anchors (world space). */
export function makeHeadCloud(n = 12000): { cloud: GaussianCloud; anchors: FaceAnchors } {
  const neckCount = Math.round(n * 0.08);
  const headCount = n - neckCount;
  const cloud = allocateCloud(n, 0);
  const area = 4 * Math.PI * ((A * B + B * C + A * C) / 3);
  const sigma = Math.sqrt(area / headCount) * 0.7;
  const put = (i: number, p: Vec3, nrm: Vec3) => {
    cloud.positions.set(p, i * 3);
    const flat = Math.log(sigma * 0.35);
    cloud.scales.set([Math.log(sigma), Math.log(sigma), flat], i * 3);
    // Rotate the flat (local z) axis onto the normal: quaternion from +z to n.
    const w = 1 + nrm[2];
    const q = w < 1e-6 ? [0, 1, 0, 0] : [w, -nrm[1], nrm[0], 0];
    const ql = Math.hypot(...q);
    cloud.rotations.set(
      q.map((v) => v / ql),
      i * 4,
    );
    cloud.opacities[i] = 3;
    const col = colourAt(p, nrm);
    for (let c = 0; c < 3; c++) cloud.shDC[i * 3 + c] = (col[c] - 0.5) / SH_C0;
  };
  const golden = Math.PI * (3 - Math.sqrt(5));
  for (let i = 0; i < headCount; i++) {
    const uy = 1 - (2 * (i + 0.5)) / headCount;
    const r = Math.sqrt(1 - uy * uy);
    const t = golden * i;
    const d: Vec3 = [r * Math.cos(t), uy, r * Math.sin(t)];
    let p: Vec3 = [A * d[0], CY + B * d[1], C * d[2]];
    if (p[2] > 0) p = [p[0], p[1], p[2] + noseBump(p[0], p[1])];
    const nr: Vec3 = [d[0] / A, d[1] / B, d[2] / C];
    const nl = Math.hypot(...nr);
    put(i, p, [nr[0] / nl, nr[1] / nl, nr[2] / nl]);
  }
  for (let k = 0; k < neckCount; k++) {
    const t = golden * k * 7;
    const y = -0.055 - 0.075 * ((k + 0.5) / neckCount);
    const nrm: Vec3 = [Math.cos(t), 0, Math.sin(t)];
    put(headCount + k, [0.036 * nrm[0], y, 0.036 * nrm[2] - 0.01], nrm);
  }
  const eye = (s: number) => ({
    upperLid: frontSurface(s * EYE_X, EYE_Y + 0.0065),
    lowerLid: frontSurface(s * EYE_X, EYE_Y - 0.0065),
    inner: frontSurface(s * (EYE_X - 0.013), EYE_Y),
    outer: frontSurface(s * (EYE_X + 0.013), EYE_Y),
  });
  const anchors: FaceAnchors = {
    leftEye: eye(1),
    rightEye: eye(-1),
    leftBrow: frontSurface(EYE_X, EYE_Y + 0.018),
    rightBrow: frontSurface(-EYE_X, EYE_Y + 0.018),
    mouthLeft: frontSurface(0.022, MOUTH_Y + 0.004),
    mouthRight: frontSurface(-0.022, MOUTH_Y + 0.004),
    upperLip: frontSurface(0, MOUTH_Y + 0.001),
    lowerLip: frontSurface(0, MOUTH_Y - 0.001),
    chin: frontSurface(0, -0.07),
  };
  return { cloud, anchors };
}
