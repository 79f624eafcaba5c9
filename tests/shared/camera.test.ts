import { describe, expect, it } from 'vitest';
import {
  cameraCenter,
  orbitCamera,
  orbitPosition,
  projectPoint,
  VIEW_AZIMUTHS_DEG,
  viewCameras,
  RECON_VIEW_INDICES,
} from '../../src/shared/camera';

describe('pipeline cameras', () => {
  it('has the 16 ID-TS azimuths, mirrored after 180, and the 4 reconstructor views', () => {
    expect(VIEW_AZIMUTHS_DEG).toHaveLength(16);
    for (let i = 1; i < 8; i++) expect(VIEW_AZIMUTHS_DEG[16 - i]).toBeCloseTo(-VIEW_AZIMUTHS_DEG[i], 10);
    expect(RECON_VIEW_INDICES.map((i) => VIEW_AZIMUTHS_DEG[i])).toEqual([0, 83.5, 180, -83.5]);
  });

  it('azimuth 0 sits on +z looking at the origin, +y up maps to image up', () => {
    const cam = orbitCamera(0, 0, 512);
    const c = cameraCenter(cam);
    expect(c[0]).toBeCloseTo(0, 12);
    expect(c[1]).toBeCloseTo(0, 12);
    expect(c[2]).toBeCloseTo(1.5, 12);
    const o = projectPoint(cam, [0, 0, 0]);
    expect(o[0]).toBeCloseTo(256, 9);
    expect(o[1]).toBeCloseTo(256, 9);
    expect(o[2]).toBeCloseTo(1.5, 12);
    // a point above the origin appears above the centre (smaller y), +x appears to the right
    expect(projectPoint(cam, [0, 0.05, 0])[1]).toBeLessThan(256);
    expect(projectPoint(cam, [0.05, 0, 0])[0]).toBeGreaterThan(256);
    // fovy 10 degrees: the top edge of the frame at distance 1.5 is y = 1.5 tan(5 deg)
    expect(projectPoint(cam, [0, 1.5 * Math.tan((5 * Math.PI) / 180), 0])[1]).toBeCloseTo(0, 6);
  });

  it('every one of the 16 cameras (at several elevations) looks at the origin from radius 1.5', () => {
    for (const elev of [-10, 0, 20, 40]) {
      const cams = viewCameras(elev, 256);
      cams.forEach((cam, i) => {
        const c = cameraCenter(cam);
        const p = orbitPosition(VIEW_AZIMUTHS_DEG[i], elev);
        for (let k = 0; k < 3; k++) expect(c[k]).toBeCloseTo(p[k], 10);
        expect(Math.hypot(...c)).toBeCloseTo(1.5, 10);
        const o = projectPoint(cam, [0, 0, 0]);
        expect(o[0]).toBeCloseTo(128, 8);
        expect(o[1]).toBeCloseTo(128, 8);
      });
    }
  });

  it('positive elevation looks down: the camera is above the head', () => {
    expect(cameraCenter(orbitCamera(0, 30, 64))[1]).toBeCloseTo(0.75, 10);
  });
});
