/**
 * Yaw from the 2-D landmark layout (weightfree/pose-fit.ts): recovered on synthetic rotations of real
 * landmark sets (known yaw, tolerance 5 deg) and on renders of a real head proxy turned by a known
 * azimuth (tolerance 12 deg, where the landmark model's own 3-D yaw is reported for comparison);
 * turned landmarks rebuilt in 3-D (pose-landmarks.ts) give a head frame at the fitted yaw.
 */
import { describe, expect, it } from 'vitest';
import { orbitCamera, type Vec3 } from '../../src/shared/camera';
import { compositeOnWhite } from '../../src/shared/image';
import { analyzeFace } from '../../src/engine/face/index';
import { buildHeadProxy } from '../../src/engine/multiview/weightfree/build';
import { renderProxyView } from '../../src/engine/multiview/weightfree/render';
import { estimateHeadAxes, frameYawDeg, landmarkG, toHead } from '../../src/engine/multiview/weightfree/landmarks';
import { fitPose2D, poseRotation } from '../../src/engine/multiview/weightfree/pose-fit';
import { landmarksFromPose } from '../../src/engine/multiview/weightfree/pose-landmarks';
import { facePose } from '../../src/engine/multiview/weightfree/face-pose';
import { loadPreprocessed } from './portrait-inputs';

const DEG = Math.PI / 180;
const SUBJECTS = ['hq-0001-matted-rgba.png', 'hq-0002-matted-rgba.png', 'hq-0003-matted-rgba.png', 'fl-000-expression.png'];

/**
 * A subject's own landmarks in their head frame with anthropometric depth (the model's depth scaled
 * so the nose tip is 0.25 face widths ahead of the outer eye corners), posed by (yaw, pitch, roll) and
 * projected orthographically into a [478 * 3] landmark array (crop pixels, z = depth, smaller closer).
 */
async function posedSubject(file: string, yawDeg: number, pitchDeg: number, rollDeg: number): Promise<Float32Array> {
  const pre = await loadPreprocessed(file);
  const lm = pre.face!.landmarks;
  const axes = estimateHeadAxes(lm);
  const h: Vec3[] = Array.from({ length: 478 }, (_, i) => toHead(axes, landmarkG(lm, i)));
  const width = Math.abs(h[454][0] - h[234][0]);
  const zScale = (0.25 * width) / (h[1][2] - (h[33][2] + h[263][2]) / 2);
  const R = poseRotation(yawDeg * DEG, pitchDeg * DEG, rollDeg * DEG);
  const out = new Float32Array(478 * 3);
  for (let i = 0; i < 478; i++) {
    const p = [h[i][0], h[i][1], h[i][2] * zScale];
    const g = [0, 1, 2].map((r) => R[r * 3] * p[0] + R[r * 3 + 1] * p[1] + R[r * 3 + 2] * p[2]);
    out.set([g[0] + 256 + 7, 256 - g[1] - 11, -g[2]], i * 3);
  }
  return out;
}

describe('2-D yaw fit', () => {
  it('recovers known yaws of real landmark sets within 5 deg (|yaw| <= 60), roll within 2 deg', async () => {
    const report: string[] = [];
    for (const file of SUBJECTS) {
      for (const yaw of [-60, -40, -20, 0, 20, 40, 60]) {
        const lm = await posedSubject(file, yaw, 6, 4);
        const fixed = fitPose2D(lm, 6);
        const free = fitPose2D(lm);
        report.push(`${file.slice(0, 7)} ${yaw}: ${fixed.yawDeg.toFixed(1)} (free pitch ${free.yawDeg.toFixed(1)})`);
        expect(Math.abs(fixed.yawDeg - yaw), `${file} yaw ${yaw}`).toBeLessThanOrEqual(5);
        expect(Math.abs(free.yawDeg - yaw), `${file} yaw ${yaw}, free pitch`).toBeLessThanOrEqual(6);
        expect(Math.abs(fixed.rollDeg - 4), `${file} roll`).toBeLessThanOrEqual(2);
      }
    }
    console.log(`2-D yaw on synthetic rotations (true: fitted): ${report.join('; ')}`);
  });

  it(
    'reads the yaw of a real head proxy turned 0/30/45 deg within 14 deg (the 3-D landmark frame does not)',
    async () => {
      const pre = await loadPreprocessed('hq-0001-matted-rgba.png');
      const proxy = buildHeadProxy(pre, { seed: 1 });
      const report: string[] = [];
      // Turned about its own axis, seen from the elevation it was built for (the portrait's).
      const elevation = pre.elevationDeg;
      for (const az of [0, 30, 45]) {
        const face = await analyzeFace(compositeOnWhite(renderProxyView(proxy, orbitCamera(az, elevation, 512))));
        expect(face, `a face at azimuth ${az}`).not.toBeNull();
        const fit = fitPose2D(face!.landmarks);
        // A camera moved to azimuth +a sees the face turned towards image left: yaw -a.
        report.push(`az ${az}: 2-D ${fit.yawDeg.toFixed(1)}, landmark model ${face!.yawDeg.toFixed(1)}`);
        // The proxy's face relief comes from the landmark model's flat depth, so the canonical face
        // (real depth) reads its turn 25-40% low: -22.3 at 30 and -33.8 at 45 (the far side's texture
        // moves it by a degree; seen level instead, the 45-degree view read -29.8), within 14 deg here; the landmark model's own 3-D yaw
        // (-2 at 30, -5 at 45) fails this by far.
        expect(Math.abs(fit.yawDeg + az), `azimuth ${az}`).toBeLessThanOrEqual(14);
      }
      console.log(`yaw of the hq-0001 proxy by camera azimuth: ${report.join('; ')}`);
    },
    120_000,
  );

  it('rebuilt landmarks of a turned face give a head frame at the fitted yaw; seen points keep their pixels', async () => {
    const lm = await posedSubject('hq-0003-matted-rgba.png', -40, 5, 0);
    // The landmark model's flat depth: squash the posed depth to a tenth.
    const flat = Float32Array.from(lm, (v, i) => (i % 3 === 2 ? v * 0.1 : v));
    const flatYaw = frameYawDeg(estimateHeadAxes(flat));
    const fit = fitPose2D(flat, 5);
    const rebuilt = landmarksFromPose(flat, fit);
    const rebuiltYaw = frameYawDeg(estimateHeadAxes(rebuilt));
    console.log(`turned -40: frame yaw from flat depth ${flatYaw.toFixed(1)}, fit ${fit.yawDeg.toFixed(1)}, rebuilt frame ${rebuiltYaw.toFixed(1)}`);
    expect(Math.abs(flatYaw)).toBeLessThan(30);
    expect(Math.abs(rebuiltYaw - fit.yawDeg)).toBeLessThanOrEqual(3);
    expect(Math.abs(rebuiltYaw + 40)).toBeLessThanOrEqual(6);
    // The nose tip and the near eye corner are seen: their pixels do not move.
    for (const i of [1, 263]) {
      expect(Math.hypot(rebuilt[i * 3] - lm[i * 3], rebuilt[i * 3 + 1] - lm[i * 3 + 1]), `landmark ${i}`).toBeLessThan(1);
    }
    // facePose leaves a frontal face's landmarks as they are.
    const frontal = (await loadPreprocessed('hq-0002-matted-rgba.png')).face!.landmarks;
    const kept = facePose(frontal);
    expect(kept.rebuilt).toBe(0);
    expect(kept.landmarks).toBe(frontal);
    expect(() => fitPose2D(new Float32Array(30))).toThrow(RangeError);
    expect(() => landmarksFromPose(new Float32Array(30), fit)).toThrow(RangeError);
  });
});
