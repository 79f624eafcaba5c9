/**
 * Rebuilt (turned-face) landmarks keep each iris on its own eye: the detector numbers the subject's
 * left iris 468..472 (beside corners 362/263) and the right one 473..477 (beside 33/133); an iris
 * given the other eye's depth floats in front of or behind the face once the head is turned.
 */
import { describe, expect, it } from 'vitest';
import { fitPose2D } from '../../src/engine/multiview/weightfree/pose-fit';
import { landmarksFromPose } from '../../src/engine/multiview/weightfree/pose-landmarks';
import { loadPreprocessed } from './portrait-inputs';

describe('turned-face landmarks', () => {
  it('each iris sits at its own eye (image position and depth)', async () => {
    const lm = (await loadPreprocessed('hq-0002-matted-rgba.png')).face!.landmarks;
    // Force a turn: the pose fit of the frontal face with a 35 deg yaw, so the two eyes' depths differ.
    const fit = { ...fitPose2D(lm) };
    const turned = landmarksFromPose(lm, { ...fit, yawDeg: 35, rotation: rotationWithYaw(fit.rotation, 35) });
    const z = (i: number) => turned[i * 3 + 2];
    const x = (i: number) => turned[i * 3];
    const eyeDepth = (a: number, b: number) => (z(a) + z(b)) / 2;
    const eyeX = (a: number, b: number) => (x(a) + x(b)) / 2;
    // Image position: 468 is beside 362/263, 473 beside 33/133.
    expect(Math.abs(x(468) - eyeX(362, 263))).toBeLessThan(Math.abs(x(468) - eyeX(33, 133)));
    expect(Math.abs(x(473) - eyeX(33, 133))).toBeLessThan(Math.abs(x(473) - eyeX(362, 263)));
    // Depth: each iris is nearer its own eye's corners than the other eye's.
    expect(Math.abs(z(468) - eyeDepth(362, 263))).toBeLessThan(Math.abs(z(468) - eyeDepth(33, 133)));
    expect(Math.abs(z(473) - eyeDepth(33, 133))).toBeLessThan(Math.abs(z(473) - eyeDepth(362, 263)));
  });
});

/** Row-major Ry(yaw) applied after `r` (a 35 deg turn on top of the fitted pose). */
function rotationWithYaw(r: Float64Array, yawDeg: number): Float64Array {
  const a = (yawDeg * Math.PI) / 180;
  const y = [Math.cos(a), 0, Math.sin(a), 0, 1, 0, -Math.sin(a), 0, Math.cos(a)];
  const out = new Float64Array(9);
  for (let i = 0; i < 3; i++)
    for (let j = 0; j < 3; j++) for (let k = 0; k < 3; k++) out[i * 3 + j] += y[i * 3 + k] * r[k * 3 + j];
  return out;
}
