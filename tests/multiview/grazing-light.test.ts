/**
 * The face outline's shadow, painted round the side of a fitted head, was a dark crescent from temple
 * to jaw in every 60-110 degree view (weightfree/grazing-light.ts lifts it; docs/heads/README.md).
 */
import { describe, expect, it } from 'vitest';
import {
  FACE_ON,
  FLOOR,
  GRAZING_FROM,
  GRAZING_TO,
  faceOnSkinLuma,
  liftGrazingShadow,
} from '../../src/engine/multiview/weightfree/grazing-light';

/** n face-on samples of luminance `faceOn` then m grazing samples (facing 0.25) of luminance `grazing`. */
function samples(n: number, faceOn: number, m: number, grazing: number, facingGrazing = 0.25) {
  const colour = new Float32Array((n + m) * 3);
  const facing = new Float32Array(n + m);
  for (let i = 0; i < n + m; i++) {
    colour.fill(i < n ? faceOn : grazing, i * 3, i * 3 + 3);
    facing[i] = i < n ? 0.8 : facingGrazing;
  }
  return { colour, facing, skin: new Uint8Array(n + m).fill(1), side: new Uint8Array(n + m) };
}

describe('the face outline\'s shadow on a fitted head', () => {
  it('lifts dark skin seen at a grazing angle to the floor of the face-on skin, and leaves face-on skin alone', () => {
    const s = samples(400, 180, 100, 60);
    expect(liftGrazingShadow(s.colour, s.facing, s.skin, s.side)).toBe(100);
    expect(s.colour[0]).toBe(180);
    for (let i = 400; i < 500; i++) {
      expect(Number.isFinite(s.colour[i * 3])).toBe(true);
      expect(s.colour[i * 3]).toBeCloseTo(FLOOR * 180, 3);
    }
  });

  it('keeps grazing skin that is not dark, skin seen more directly than the band, and what is not skin', () => {
    const light = samples(400, 180, 50, 170);
    expect(liftGrazingShadow(light.colour, light.facing, light.skin, light.side)).toBe(0);
    const direct = samples(400, 180, 50, 60, GRAZING_TO + 0.05);
    liftGrazingShadow(direct.colour, direct.facing, direct.skin, direct.side);
    expect(direct.colour[420 * 3]).toBe(60);
    // Halfway through the band's fade, halfway lifted.
    const mid = samples(400, 180, 50, 60, (GRAZING_FROM + GRAZING_TO) / 2);
    liftGrazingShadow(mid.colour, mid.facing, mid.skin, mid.side);
    expect(mid.colour[420 * 3]).toBeGreaterThan(60 + 0.3 * (FLOOR * 180 - 60));
    expect(mid.colour[420 * 3]).toBeLessThan(60 + 0.7 * (FLOOR * 180 - 60));
    const hair = samples(400, 180, 50, 60);
    for (let i = 400; i < 450; i++) hair.skin[i] = 0;
    liftGrazingShadow(hair.colour, hair.facing, hair.skin, hair.side);
    expect(hair.colour[420 * 3]).toBe(60);
  });

  it('measures each side of the face against its own face-on skin (a side-lit face stays side-lit), and needs enough of it', () => {
    const n = 400;
    const lit = samples(n, 200, 50, 60);
    const shadow = samples(n, 100, 50, 60);
    const colour = new Float32Array([...lit.colour, ...shadow.colour]);
    const facing = new Float32Array([...lit.facing, ...shadow.facing]);
    const side = Uint8Array.from({ length: 2 * (n + 50) }, (_, i) => (i < n + 50 ? 0 : 1));
    const skin = new Uint8Array(2 * (n + 50)).fill(1);
    expect(faceOnSkinLuma(colour, facing, skin, side)).toEqual([200, 100]);
    liftGrazingShadow(colour, facing, skin, side);
    expect(colour[(n + 10) * 3]).toBeCloseTo(FLOOR * 200, 3);
    expect(colour[(2 * n + 60) * 3]).toBeCloseTo(FLOOR * 100, 3);
    const few = samples(50, 180, 50, 60);
    expect(faceOnSkinLuma(few.colour, few.facing, few.skin, few.side)[0]).toBeNaN();
    expect(liftGrazingShadow(few.colour, few.facing, few.skin, few.side)).toBe(0);
    expect(FACE_ON).toBeGreaterThan(GRAZING_TO);
  });
});
