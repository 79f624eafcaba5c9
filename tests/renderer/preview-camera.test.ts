/**
 * The 3D preview's framing and orientation rules (src/renderer/workspace/preview-camera.ts): the
 * wider lens frames the head like the pipeline's views, and the rotation applied to RDF files (PLY,
 * .splat as HeadForge writes them) brings the head written by encodeSplat back upright.
 */
import * as THREE from 'three';
import { describe, expect, it } from 'vitest';
import { DEFAULT_FOVY_DEG, ORBIT_RADIUS } from '../../src/shared/camera';
import { allocateCloud } from '../../src/shared/gaussians/cloud';
import { encodeSplat } from '../../src/shared/splat';
import { previewCameraPosition, previewOrbitDistance, PREVIEW_FOV_DEG, uprightRotation } from '../../src/renderer/workspace/preview-camera';

describe('preview framing', () => {
  it('sees the same half-height at the origin as a pipeline camera', () => {
    const halfHeight = (fov: number, dist: number): number => dist * Math.tan((fov * Math.PI) / 360);
    expect(halfHeight(PREVIEW_FOV_DEG, previewOrbitDistance())).toBeCloseTo(halfHeight(DEFAULT_FOVY_DEG, ORBIT_RADIUS), 12);
    expect(previewOrbitDistance()).toBeLessThan(ORBIT_RADIUS);
  });

  it('puts the azimuth-0 camera on +z and azimuth 90 on +x (src/shared/camera convention)', () => {
    const [x0, y0, z0] = previewCameraPosition(0, 0);
    expect([x0, y0]).toEqual([0, 0]);
    expect(z0).toBeCloseTo(previewOrbitDistance(), 12);
    const [x9, , z9] = previewCameraPosition(90, 0);
    expect(x9).toBeCloseTo(previewOrbitDistance(), 12);
    expect(z9).toBeCloseTo(0, 12);
  });
});

describe('upright rotation', () => {
  /** Position of the first splat as stored in a HeadForge PLY (binary little endian, x y z first). */
  function storedPlyPosition(p: [number, number, number]): THREE.Vector3 {
    const cloud = allocateCloud(1, 0);
    cloud.positions.set(p);
    cloud.rotations.set([1, 0, 0, 0]);
    const bytes = encodeSplat(cloud, 'ply');
    const text = new TextDecoder().decode(bytes.subarray(0, 2000));
    const body = text.indexOf('end_header\n') + 'end_header\n'.length;
    const view = new DataView(bytes.buffer, bytes.byteOffset + body);
    return new THREE.Vector3(view.getFloat32(0, true), view.getFloat32(4, true), view.getFloat32(8, true));
  }

  it('maps a PLY point written by HeadForge (RDF) back to its y-up position', () => {
    const crown: [number, number, number] = [0.01, 0.12, 0.03]; // top of the head, slightly forward
    const stored = storedPlyPosition(crown);
    expect(stored.y).toBeLessThan(0); // the file is y-down, which is why a viewer needs the rotation
    const q = new THREE.Quaternion(...uprightRotation('ply'));
    const shown = stored.clone().applyQuaternion(q);
    expect(shown.x).toBeCloseTo(crown[0], 6);
    expect(shown.y).toBeCloseTo(crown[1], 6);
    expect(shown.z).toBeCloseTo(crown[2], 6);
  });

  it('leaves y-up sources (SPZ, live preview arrays) as they are', () => {
    expect(uprightRotation('spz')).toEqual([0, 0, 0, 1]);
    expect(uprightRotation('preview')).toEqual([0, 0, 0, 1]);
    expect(uprightRotation('splat')).toEqual([1, 0, 0, 0]);
  });
});
