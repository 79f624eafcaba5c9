import { describe, expect, it } from 'vitest';
import { cameraCenter, orbitCamera } from '../../src/shared/camera';
import { frameCount, pathCameras, pathPoses, poseAt } from '../../src/shared/animation';

const DEG = 180 / Math.PI;

describe('camera paths', () => {
  it('turntable: frame count from duration x fps, evenly spaced azimuths, seamless loop', () => {
    const poses = pathPoses({ kind: 'turntable', elevationDeg: 10 }, { durationS: 4, fps: 30 });
    expect(poses).toHaveLength(120);
    expect(poses[0].azimuthDeg).toBe(0);
    expect(poses[1].azimuthDeg).toBeCloseTo(3, 10);
    expect(poses[119].azimuthDeg + 3).toBeCloseTo(360, 10); // next frame would be frame 0 again
    expect(poses.every((p) => p.elevationDeg === 10)).toBe(true);
  });

  it('cameras match the pipeline orbit camera at the same azimuth/elevation', () => {
    const cams = pathCameras(
      { kind: 'turntable', elevationDeg: 15 },
      { durationS: 1, fps: 4 },
      { width: 64, height: 64 },
    );
    const ref = orbitCamera(90, 15, 64);
    expect(Array.from(cams[1].worldToCamera)).toEqual(
      Array.from(ref.worldToCamera).map((v) => expect.closeTo(v, 12)),
    );
    expect(cams[1].fx).toBeCloseTo(ref.fx, 10);
  });

  it('orbit: elevation sweeps between min and max and returns for the loop', () => {
    const poses = pathPoses(
      { kind: 'orbit', elevationMinDeg: -5, elevationMaxDeg: 25 },
      { durationS: 2, fps: 20 },
    );
    const els = poses.map((p) => p.elevationDeg);
    expect(Math.min(...els)).toBeCloseTo(-5, 6);
    expect(Math.max(...els)).toBeCloseTo(25, 6);
    expect(els[20]).toBeCloseTo(25, 6); // half-way: top of the sweep
    expect(poses[20].azimuthDeg).toBeCloseTo(180, 6);
  });

  it('nod: azimuth fixed, elevation oscillates by the amplitude; camera stays on the sphere', () => {
    const cams = pathCameras(
      { kind: 'nod', amplitudeDeg: 10, cycles: 1, radius: 2 },
      { durationS: 1, fps: 8 },
      { width: 32, height: 32 },
    );
    const centres = cams.map(cameraCenter);
    for (const c of centres) expect(Math.hypot(...c)).toBeCloseTo(2, 9);
    const elev = centres.map((c) => Math.asin(c[1] / 2) * DEG);
    expect(elev[2]).toBeCloseTo(10, 6);
    expect(elev[6]).toBeCloseTo(-10, 6);
    expect(centres.every((c) => Math.abs(c[0]) < 1e-9)).toBe(true);
  });

  it('keyframes: first/last frames hit the end keys, smooth passes through every key', () => {
    const spec = {
      kind: 'keyframes' as const,
      keyframes: [
        { timeS: 0, azimuthDeg: -30, elevationDeg: 0 },
        { timeS: 1, azimuthDeg: 0, elevationDeg: 20, radius: 1.2 },
        { timeS: 2, azimuthDeg: 45, elevationDeg: 5 },
      ],
    };
    const poses = pathPoses(spec, { durationS: 2, fps: 10 });
    expect(poses).toHaveLength(20);
    expect(poses[0].azimuthDeg).toBeCloseTo(-30, 9);
    expect(poses[19].azimuthDeg).toBeCloseTo(45, 9);
    const mid = poseAt(spec, 0.5, 2);
    expect(mid.azimuthDeg).toBeCloseTo(0, 9);
    expect(mid.elevationDeg).toBeCloseTo(20, 9);
    expect(mid.radius).toBeCloseTo(1.2, 9);
    const lin = poseAt({ ...spec, interpolation: 'linear' }, 0.25, 2);
    expect(lin.azimuthDeg).toBeCloseTo(-15, 9);
  });

  it('refuses bad timing, sizes and keyframes with clear errors', () => {
    expect(() => frameCount({ durationS: 0, fps: 30 })).toThrow(/duration/);
    expect(() => frameCount({ durationS: 1, fps: Number.NaN })).toThrow(/fps/);
    expect(() =>
      pathCameras({ kind: 'turntable' }, { durationS: 1, fps: 2 }, { width: 0, height: 8 }),
    ).toThrow(/frame size/);
    expect(() => poseAt({ kind: 'keyframes', keyframes: [] }, 0, 1)).toThrow(/at least one/);
    const unordered = [
      { timeS: 1, azimuthDeg: 0, elevationDeg: 0 },
      { timeS: 1, azimuthDeg: 10, elevationDeg: 0 },
    ];
    expect(() => poseAt({ kind: 'keyframes', keyframes: unordered }, 0.5, 1)).toThrow(/increase/);
    expect(() => poseAt({ kind: 'turntable', radius: -1 }, 0, 1)).toThrow(/radius/);
  });
});
