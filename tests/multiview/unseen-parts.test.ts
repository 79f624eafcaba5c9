/**
 * What the weight-free head puts where the portrait shows nothing: the back of the clothing, the
 * hairline round the ears and the nape, and which texels count as near an observation.
 */
import { describe, expect, it } from 'vitest';
import { REGION, type PreprocessResult } from '../../src/shared/contracts/preprocess';
import { garmentColours } from '../../src/engine/multiview/weightfree/torso-appearance';
import { hairlineAt, lowestHairY, sideHairY } from '../../src/engine/multiview/weightfree/hair-line';
import { observedNearby } from '../../src/engine/multiview/weightfree/inpaint';
import type { HeadFrame } from '../../src/engine/multiview/weightfree/landmarks';

const CROP = 512;

/** A portrait whose lower third is clothing: `left` on the image's left half, `right` on its right. */
function clothed(left: number[], right: number[]): { pre: PreprocessResult; mask: Uint8Array } {
  const data = new Uint8ClampedArray(CROP * CROP * 4);
  const mask = new Uint8Array(CROP * CROP);
  for (let v = 0; v < CROP; v++) {
    for (let u = 0; u < CROP; u++) {
      const i = v * CROP + u;
      const c = u < CROP / 2 ? left : right;
      data.set([c[0], c[1], c[2], 255], i * 4);
      if (v > 340) mask[i] = 1;
    }
  }
  const pre = { image512: { width: CROP, height: CROP, data } } as unknown as PreprocessResult;
  return { pre, mask };
}

describe('the back of the clothing', () => {
  it('is lit like the side the key light does not reach, not a grey mix of both sides', () => {
    const cream = [240, 236, 220];
    const olive = [80, 83, 75];
    const { pre, mask } = clothed(cream, olive);
    const g = garmentColours(pre, mask)!;
    expect(Array.from(g.left)).toEqual(cream);
    expect(Array.from(g.right)).toEqual(olive);
    expect(Array.from(g.back)).toEqual(olive);
    // Lit from the other side: the back follows the shadow wherever it is.
    const flipped = clothed(olive, cream);
    expect(Array.from(garmentColours(flipped.pre, flipped.mask)!.back)).toEqual(olive);
  });

  it('keeps an evenly lit garment its colour and says nothing without clothing', () => {
    const navy = [30, 40, 90];
    const { pre, mask } = clothed(navy, navy);
    expect(Array.from(garmentColours(pre, mask)!.back)).toEqual(navy);
    expect(garmentColours(pre, new Uint8Array(CROP * CROP))).toBeNull();
  });
});

/** Head frame = the image frame (x right = subject's left for a frontal face, y up), origin at the crop centre. */
const FRAME: HeadFrame = { origin: [0, 0, 0], xAxis: [1, 0, 0], yAxis: [0, 1, 0], zAxis: [0, 0, 1] };

/** A matte of a head 200 px wide with hair above row `top` and beside the face down to the given rows. */
function hairBeside(rightSideBottomRow: number, leftSideBottomRow: number) {
  const matte = new Float32Array(CROP * CROP);
  const regions = new Uint8Array(CROP * CROP);
  for (let v = 100; v < 400; v++) {
    for (let u = 156; u < 356; u++) {
      const i = v * CROP + u;
      matte[i] = 1;
      const beside = u < 190 ? rightSideBottomRow : u >= 322 ? leftSideBottomRow : -1;
      regions[i] = v < 160 || v <= beside ? REGION.hair : REGION.skin;
    }
  }
  return { matte, regions };
}

describe('the hairline', () => {
  const faceWidth = 120;
  const chinY = 256 - 380;

  it('measures how low the hair comes beside the face on each side', () => {
    const { matte, regions } = hairBeside(230, 330);
    const [right, left] = sideHairY(matte, regions, FRAME, chinY, faceWidth);
    // Image-left columns are the subject's right for this frame (x < 0).
    expect(right).toBeCloseTo(256 - 230, -1);
    expect(left).toBeCloseTo(256 - 330, -1);
  });

  it('puts a short cut that stops at the temple at the temple, and says nothing for a side with no hair', () => {
    const short = hairBeside(-1, 330);
    expect(sideHairY(short.matte, short.regions, FRAME, chinY, faceWidth)[0]).toBeCloseTo(256 - 159, -1);
    const { matte, regions } = hairBeside(-1, 330);
    for (let i = 0; i < regions.length; i++) if (i % CROP < CROP / 2) regions[i] = REGION.skin;
    const [right, left] = sideHairY(matte, regions, FRAME, chinY, faceWidth);
    expect(right).toBeUndefined();
    expect(left).toBeDefined();
  });

  it('reads hair below the chin as hanging there only when there is a curtain of it, not a neck shadow', () => {
    // Short hair above row 160, a "hair" sliver 8 x 20 px beside the jaw just below the chin (row 380):
    // the neck's shadow a camera above the head shows below the chin's line.
    const shadow = hairBeside(-1, -1);
    const mark = (u0: number, u1: number, v0: number, v1: number, r: ReturnType<typeof hairBeside>) => {
      for (let v = v0; v < v1; v++)
        for (let u = u0; u < u1; u++) {
          r.matte[v * CROP + u] = 1;
          r.regions[v * CROP + u] = REGION.hair;
        }
    };
    mark(190, 198, 381, 401, shadow);
    const short = lowestHairY(shadow.matte, shadow.regions, FRAME, chinY, faceWidth)!;
    expect(short).toBeGreaterThanOrEqual(chinY);
    // Hair hanging 60 px below the chin on both sides of the neck: long.
    const long = hairBeside(-1, -1);
    mark(140, 170, 381, 441, long);
    mark(342, 372, 381, 441, long);
    const low = lowestHairY(long.matte, long.regions, FRAME, chinY, faceWidth)!;
    expect(low).toBeLessThan(chinY - 40);
  });

  it('is at the temples over the ears of a short cut and drops to the nape behind them', () => {
    const line = { napeY: -60, sideY: [20, 10] as const };
    expect(hairlineAt(line, -Math.PI / 2)).toBeCloseTo(20);
    expect(hairlineAt(line, Math.PI / 2)).toBeCloseTo(10);
    expect(hairlineAt(line, Math.PI)).toBeCloseTo(-60);
    // Going round the back it only goes down.
    let prev = Infinity;
    for (let deg = 90; deg <= 180; deg += 5) {
      const y = hairlineAt(line, (deg * Math.PI) / 180);
      expect(y).toBeLessThanOrEqual(prev + 1e-9);
      prev = y;
    }
  });

  it('never rises above the nape for hair that comes lower beside the face (long hair keeps it)', () => {
    const line = { napeY: -60, sideY: [-120, undefined] as const };
    expect(hairlineAt(line, -Math.PI / 2)).toBeCloseTo(-60);
    expect(hairlineAt(line, Math.PI / 2)).toBeCloseTo(-60);
  });
});

describe('observedNearby', () => {
  it('is high next to observed texels, zero far from them, and wraps round the back', () => {
    const w = 64,
      h = 16;
    const weight = new Float32Array(w * h);
    weight[8 * w + 0] = 1; // one observed texel at the left edge of the equirectangular map
    const near = observedNearby(weight, w, h, 2);
    expect(near[8 * w + 0]).toBeCloseTo(1 / 25);
    expect(near[8 * w + 63]).toBeCloseTo(1 / 25); // across the wrap
    expect(near[8 * w + 2]).toBeCloseTo(1 / 25);
    expect(near[8 * w + 3]).toBe(0);
    expect(near[2 * w + 0]).toBe(0);
    expect(near.every(Number.isFinite)).toBe(true);
  });
});
