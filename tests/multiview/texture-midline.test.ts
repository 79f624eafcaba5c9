/**
 * The axis a head's colours are mirrored about follows the portrait's face midline on the atlas
 * (texture-midline.ts): a fit a few degrees off puts the portrait's nose and lips beside the head's
 * own midline, and mirrored about phi = 0 the far half of the mouth met the near half off by twice that.
 */
import { describe, expect, it } from 'vitest';
import { MIDLINE_LANDMARKS, textureMidline } from '../../src/engine/multiview/weightfree/texture-midline';
import { ATLAS_WIDTH, HEAD_ROWS, atlasAngle } from '../../src/engine/multiview/weightfree/proxy';
import { CROP } from '../../src/engine/multiview/weightfree/landmarks';

const DEG = Math.PI / 180;
/** Pixels per radian of azimuth in the synthetic projection. */
const SCALE = 300;

/**
 * A head atlas seen by a camera that maps texel (x, y) to pixel (CROP / 2 + (phi - offset(y)) * SCALE,
 * y - 100): the portrait's midline (u = CROP / 2) lies at azimuth offset(y) on row y. All seen.
 */
function scene(offset: (row: number) => number): { pos: Float32Array; weight: Float32Array } {
  const n = HEAD_ROWS * ATLAS_WIDTH;
  const pos = new Float32Array(n * 3);
  const weight = new Float32Array(n).fill(1);
  for (let y = 0; y < HEAD_ROWS; y++)
    for (let x = 0; x < ATLAS_WIDTH; x++) {
      const i = y * ATLAS_WIDTH + x;
      pos[i * 3] = (atlasAngle(x) - offset(y)) * SCALE; // G x: pixel u - CROP / 2
      pos[i * 3 + 1] = CROP / 2 - (y - 100); // G y: CROP / 2 - pixel v
    }
  return { pos, weight };
}

/** Midline landmarks on the portrait's midline (u = CROP / 2), on rows 160 .. 320 of the crop. */
function landmarks(): Float32Array {
  const lm = new Float32Array(478 * 3);
  MIDLINE_LANDMARKS.forEach((id, k) => {
    lm[id * 3] = CROP / 2;
    lm[id * 3 + 1] = 160 + (160 * k) / (MIDLINE_LANDMARKS.length - 1);
  });
  return lm;
}

describe('the face midline on the head atlas', () => {
  it('follows the portrait midline row by row, held beyond the landmarks', () => {
    // -2 degrees at the bridge turning to -7 at the chin (what a 40-degree view of hq-0002 gave).
    const offset = (row: number) => (-2 - (5 * Math.min(1, Math.max(0, row - 260))) / 160) * DEG;
    const { pos, weight } = scene(offset);
    const m = textureMidline(landmarks(), pos, weight)!;
    expect(m).not.toBeNull();
    for (const row of [265, 300, 340, 380, 415])
      expect(Math.abs(m[row] - offset(row)) / DEG, `row ${row}`).toBeLessThan(0.6);
    // Above the highest landmark and below the lowest, the nearest one's.
    expect(Math.abs(m[10] - m[262]) / DEG).toBeLessThan(0.01);
    expect(Math.abs(m[HEAD_ROWS - 1] - m[418]) / DEG).toBeLessThan(0.01);
  });

  it('leaves out a landmark seen past the face edge, and gives up on too few', () => {
    const { pos, weight } = scene(() => 3 * DEG);
    const lm = landmarks();
    // One landmark moved 40 px to the side: 8 degrees off the others.
    lm[MIDLINE_LANDMARKS[4] * 3] += 40;
    const m = textureMidline(lm, pos, weight)!;
    for (let row = 0; row < HEAD_ROWS; row += 37)
      expect(Math.abs(m[row] / DEG - 3), `row ${row}`).toBeLessThan(0.4);
    // Unseen: no midline.
    expect(textureMidline(lm, pos, new Float32Array(weight.length))).toBeNull();
  });

  it('holds the axis within 10 degrees of the head', () => {
    const { pos, weight } = scene(() => 25 * DEG);
    const m = textureMidline(landmarks(), pos, weight)!;
    expect(Math.max(...Array.from(m, Math.abs)) / DEG).toBeCloseTo(10, 3);
  });
});
