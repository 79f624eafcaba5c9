import { describe, expect, it } from 'vitest';
import { cameraCenter, orbitCamera, orbitPosition, RECON_VIEW_INDICES, VIEW_AZIMUTHS_DEG, viewCameras } from '../../src/shared/camera';
import { pluckerRays, rayDirection } from '../../src/shared/plucker';
import { rotateCameraWorldX } from '../../src/engine/diffusion/adapters/reconstructor';

describe('Plücker rays', () => {
  it('a known camera gives known rays (2x2, fovy 90, camera on +z at 1.5)', () => {
    const cam = orbitCamera(0, 0, 2, 90);
    const p = pluckerRays(cam); // [6, 2, 2]
    const at = (c: number, x: number, y: number) => p[c * 4 + y * 2 + x];
    const k = 1 / Math.sqrt(1.5);
    // top-left pixel centre: camera dir (-0.5, -0.5, 1) (OpenCV) = world (-0.5, +0.5, -1) / sqrt(1.5)
    expect(at(3, 0, 0)).toBeCloseTo(-0.5 * k, 6);
    expect(at(4, 0, 0)).toBeCloseTo(0.5 * k, 6);
    expect(at(5, 0, 0)).toBeCloseTo(-1 * k, 6);
    // moment o x d with o = (0, 0, 1.5): (-1.5 dy, 1.5 dx, 0)
    expect(at(0, 0, 0)).toBeCloseTo(-0.75 * k, 6);
    expect(at(1, 0, 0)).toBeCloseTo(-0.75 * k, 6);
    expect(at(2, 0, 0)).toBeCloseTo(0, 9);
    // bottom-right pixel: world dir (0.5, -0.5, -1) / sqrt(1.5)
    expect(at(3, 1, 1)).toBeCloseTo(0.5 * k, 6);
    expect(at(4, 1, 1)).toBeCloseTo(-0.5 * k, 6);
  });

  it('for every view camera: unit directions, moments orthogonal to them, the centre ray through the origin', () => {
    for (const cam of viewCameras(20, 16)) {
      const p = pluckerRays(cam);
      const plane = 256;
      for (let i = 0; i < plane; i += 17) {
        const d = [p[3 * plane + i], p[4 * plane + i], p[5 * plane + i]];
        const m = [p[i], p[plane + i], p[2 * plane + i]];
        expect(Math.hypot(...d)).toBeCloseTo(1, 6);
        expect(m[0] * d[0] + m[1] * d[1] + m[2] * d[2]).toBeCloseTo(0, 6);
      }
      const centre = rayDirection(cam, cam.cx, cam.cy);
      const o = cameraCenter(cam);
      // The principal ray points from the camera to the origin.
      for (let k = 0; k < 3; k++) expect(centre[k]).toBeCloseTo(-o[k] / 1.5, 9);
    }
  });
});

describe('camera matrices for the 16 azimuths', () => {
  it('sit on the orbit (radius 1.5), are proper rotations, look at the origin, keep +y up', () => {
    const elevation = 15;
    const cams = viewCameras(elevation, 256);
    expect(cams).toHaveLength(16);
    cams.forEach((cam, i) => {
      const m = cam.worldToCamera;
      const R = [0, 1, 2].map((r) => [m[r * 4], m[r * 4 + 1], m[r * 4 + 2]]);
      for (let a = 0; a < 3; a++) for (let b = 0; b < 3; b++) expect(R[a][0] * R[b][0] + R[a][1] * R[b][1] + R[a][2] * R[b][2]).toBeCloseTo(a === b ? 1 : 0, 9);
      const det =
        R[0][0] * (R[1][1] * R[2][2] - R[1][2] * R[2][1]) - R[0][1] * (R[1][0] * R[2][2] - R[1][2] * R[2][0]) + R[0][2] * (R[1][0] * R[2][1] - R[1][1] * R[2][0]);
      expect(det).toBeCloseTo(1, 9);
      const c = cameraCenter(cam);
      const expected = orbitPosition(VIEW_AZIMUTHS_DEG[i], elevation);
      for (let k = 0; k < 3; k++) expect(c[k]).toBeCloseTo(expected[k], 9);
      expect(Math.hypot(...c)).toBeCloseTo(1.5, 9);
      // Camera z axis (row 2) points at the origin; image "down" (row 1) has a negative world-y component.
      for (let k = 0; k < 3; k++) expect(R[2][k]).toBeCloseTo(-c[k] / 1.5, 9);
      expect(R[1][1]).toBeLessThan(0);
      expect(cam.fy).toBeCloseTo(128 / Math.tan((5 * Math.PI) / 180), 6);
    });
    // Azimuth 0 is on +z, 83.5 is towards +x, -83.5 towards -x, 180 on -z.
    const at = (i: number) => cameraCenter(cams[i]);
    expect(at(0)[2]).toBeGreaterThan(1.4);
    expect(at(RECON_VIEW_INDICES[1])[0]).toBeGreaterThan(1.4);
    expect(at(RECON_VIEW_INDICES[3])[0]).toBeLessThan(-1.4);
    expect(at(RECON_VIEW_INDICES[2])[2]).toBeLessThan(-1.4);
    // The second half mirrors the first: azimuth -a is the reflection x -> -x of azimuth a.
    for (let i = 1; i < 8; i++) {
      const a = at(i);
      const b = at(16 - i);
      expect(b[0]).toBeCloseTo(-a[0], 9);
      expect(b[1]).toBeCloseTo(a[1], 9);
      expect(b[2]).toBeCloseTo(a[2], 9);
    }
  });

  it('rotating the world about +x by the elevation brings the first view to elevation 0 (LGM canonical frame)', () => {
    const e = 25;
    const canon = rotateCameraWorldX(orbitCamera(0, e, 64), (e * Math.PI) / 180);
    const target = orbitCamera(0, 0, 64);
    for (let k = 0; k < 12; k++) expect(canon.worldToCamera[k]).toBeCloseTo(target.worldToCamera[k], 9);
  });
});
