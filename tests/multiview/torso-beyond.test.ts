/**
 * The body past the portrait's crop: shoulders cut by the crop's sides go on outward at the slope the
 * crop shows and round into the shoulders' reach; a chest cut by the crop's bottom goes on below it;
 * a bust that ends inside the picture ends there. Synthetic mattes, so the expected widths are known.
 */
import { describe, expect, it } from 'vitest';
import { REGION } from '../../src/shared/contracts/preprocess';
import { bodyReachPrior, NECK_HALF_WIDTH } from '../../src/engine/multiview/weightfree/body-priors';
import { CROP } from '../../src/engine/multiview/weightfree/landmarks';
import { buildTorso, extendEdge, shouldersAboveChin, type TorsoStub } from '../../src/engine/multiview/weightfree/torso';
import { torsoAxisG, torsoPointG } from '../../src/engine/multiview/weightfree/proxy';
import { ANGLE_BINS, gainByHeight, headBinHeights } from '../../src/engine/multiview/weightfree/silhouette';

/** A matte [CROP*CROP] of a neck from `neckRow` (half-width 60) widening 2 px per row from `shoulderRow` (cut by the crop's sides from ~100 rows below it). */
function bodyMatte(neckRow: number, shoulderRow: number, lastRow = CROP - 1): Float32Array {
  const m = new Float32Array(CROP * CROP);
  for (let v = neckRow; v <= lastRow; v++) {
    const half = 60 + 2 * Math.max(0, v - shoulderRow);
    for (let u = Math.max(0, CROP / 2 - half); u < Math.min(CROP, CROP / 2 + half); u++) m[v * CROP + u] = 1;
  }
  return m;
}

describe('extendEdge', () => {
  it('carries a cut side on at the slope of the rows before the cut, rounding into the reach', () => {
    // Reach grows 1 px per row for 20 rows, then the crop's side cuts it at 120.
    const reach = Array.from({ length: 40 }, (_, k) => Math.min(100 + k, 120));
    const clipped = reach.map((r) => r >= 120);
    const out = extendEdge(reach, clipped, 160, 1, 30);
    expect(out).toHaveLength(70);
    expect(out.slice(0, 20)).toEqual(reach.slice(0, 20));
    // Just past the cut it keeps growing about 1 px per row ...
    expect(out[30] - out[25]).toBeGreaterThan(4);
    expect(out[30] - out[25]).toBeLessThan(6);
    // ... and never passes the reach; far below, it is close to it.
    for (const r of out) expect(r).toBeLessThanOrEqual(160 + 1e-9);
    expect(out[69]).toBeGreaterThan(150);
    // Never narrower than what the crop showed, and never shrinking going down.
    for (let k = 0; k < reach.length; k++) expect(out[k]).toBeGreaterThanOrEqual(reach[k]);
    for (let k = 1; k < out.length; k++) expect(out[k]).toBeGreaterThanOrEqual(out[k - 1] - 1e-9);
  });

  it('goes straight down below the crop where the side was never cut', () => {
    const reach = [50, 52, 55, 55, 56];
    const out = extendEdge(
      reach,
      reach.map(() => false),
      200,
      2,
      4,
    );
    expect(out).toEqual([50, 52, 55, 55, 56, 56, 56, 56, 56]);
  });
});

describe('buildTorso past the crop', () => {
  const beyond = { maxHalfWidth: 300, bottomRow: CROP + 200, neckSearchPx: 80 };

  it("a body cut by the crop goes on below it and wider than the crop, up to the shoulders' reach", () => {
    const matte = bodyMatte(300, 340);
    const plain = buildTorso(matte, null, 300, CROP / 2, 0, 100, 20)!;
    const past = buildTorso(matte, null, 300, CROP / 2, 0, 100, 20, { beyond })!;
    const plainBottom = plain.yTop - (plain.centreX.length - 1) * plain.rowStep;
    const pastBottom = past.yTop - (past.centreX.length - 1) * past.rowStep;
    // Image row = CROP / 2 - G.y: the plain stub ends at the crop's last rows, the extended one ~200 px lower.
    expect(CROP / 2 - plainBottom).toBeGreaterThan(CROP - 4);
    expect(CROP / 2 - pastBottom).toBeGreaterThan(CROP + 190);
    expect(Math.max(...plain.halfWidth)).toBeLessThanOrEqual(CROP / 2);
    const widest = Math.max(...past.halfWidth);
    expect(widest).toBeGreaterThan(CROP / 2 + 20);
    expect(widest).toBeLessThanOrEqual(300);
    // Inside the crop where nothing was cut, the same sections as without the extension.
    for (let k = 0; k < 30; k++) expect(past.halfWidth[k]).toBeCloseTo(plain.halfWidth[k], 3);
    // Symmetric body, symmetric stub.
    for (const x of past.centreX) expect(Math.abs(x)).toBeLessThan(1);
  });

  it('a bust that ends inside the picture ends there', () => {
    const matte = bodyMatte(300, 340, 420);
    const plain = buildTorso(matte, null, 300, CROP / 2, 0, 100, 20)!;
    const past = buildTorso(matte, null, 300, CROP / 2, 0, 100, 20, { beyond })!;
    expect(past.centreX.length).toBe(plain.centreX.length);
  });

  it("a tight crop's bust that ends narrowing under the shoulders keeps its depth: its last thin row is not the neck", () => {
    // Neck (half-width 60) from row 300, shoulders widening from 340, the bust rounding off to a few
    // pixels by row 430; the neck search spans 250 rows below the chin (overlap 100 px), past it.
    const matte = bodyMatte(300, 340, 430);
    for (let v = 400; v <= 430; v++)
      for (let u = 0; u < CROP; u++) if (Math.abs(u - CROP / 2) > 4 + 6 * (430 - v)) matte[v * CROP + u] = 0;
    const t = buildTorso(matte, null, 300, CROP / 2, 0, 100, 100)!;
    const extra = Math.ceil(100 / 2);
    // The shoulders (rows 360-390) are as deep as the prior and the growth from the neck allow.
    for (let v = 360; v <= 390; v += 10) expect(t.halfDepth[extra + (v - 300) / 2]).toBeGreaterThan(55);
  });
});

describe('shoulders above the chin (a camera above)', () => {
  /** Neck (half-width 60) from the chin at row 300; shoulders (half-width 180) rising beside the head from row 270. */
  function fromAbove(): { matte: Float32Array; shoulder: Uint8Array } {
    const matte = bodyMatte(300, 340);
    const shoulder = new Uint8Array(CROP * CROP);
    for (let v = 270; v < 300; v++)
      for (let u = CROP / 2 - 180; u < CROP / 2 + 180; u++)
        if (Math.abs(u - CROP / 2) > 100) {
          matte[v * CROP + u] = 1;
          shoulder[v * CROP + u] = 1;
        }
    return { matte, shoulder };
  }

  it('reads the shoulders beside the head row by row up from the chin, as far as they go and no further than allowed', () => {
    const { shoulder } = fromAbove();
    const rows = shouldersAboveChin(shoulder, 300, 2, 100);
    expect(rows).toHaveLength(15); // rows 298 .. 270
    for (const [l, r] of rows) {
      expect(l).toBe(CROP / 2 - 180);
      expect(r).toBe(CROP / 2 + 180);
    }
    expect(shouldersAboveChin(shoulder, 300, 2, 10)).toHaveLength(5);
    expect(shouldersAboveChin(shoulder, 300, 2, 0)).toHaveLength(0);
  });

  it("the stub spans them behind the neck, at the neck's depth, so the front view keeps the shoulders' tops", () => {
    const { matte, shoulder } = fromAbove();
    const level = buildTorso(matte, null, 300, CROP / 2, 0, 100, 20)!;
    const above = buildTorso(matte, null, 300, CROP / 2, 0, 100, 20, { shoulders: { pixels: shoulder, maxRisePx: 100 } })!;
    // Without the rise the stub's top is a tuck 20 px above the chin; with it, 30 px, as wide as the shoulders.
    expect(CROP / 2 - above.yTop).toBeLessThanOrEqual(271);
    expect(CROP / 2 - level.yTop).toBeGreaterThan(278);
    expect(above.halfWidth[0]).toBeGreaterThan(175);
    expect(level.halfWidth[0]).toBeLessThan(60);
    // Behind the neck: no deeper than the neck at the chin (section 15, the first below the rise).
    for (let k = 0; k < 15; k++) expect(above.halfDepth[k]).toBeLessThanOrEqual(above.halfDepth[15] + 1e-6);
  });
});

describe('shoulders seen from above, in the world', () => {
  it("lie under the shoulders' top, behind the neck: seen from behind they stay below the chin, not a plate round the crown", () => {
    const e = (40 * Math.PI) / 180;
    const matte = new Float32Array(CROP * CROP);
    const shoulder = new Uint8Array(CROP * CROP);
    for (let v = 300; v < CROP; v++) for (let u = CROP / 2 - 60; u < CROP / 2 + 60; u++) matte[v * CROP + u] = 1;
    for (let v = 270; v < 300; v++)
      for (let u = CROP / 2 - 180; u < CROP / 2 + 180; u++)
        if (Math.abs(u - CROP / 2) > 100) {
          matte[v * CROP + u] = 1;
          shoulder[v * CROP + u] = 1;
        }
    const t = buildTorso(matte, null, 300, CROP / 2, 0, 100, 20, { zSlope: Math.tan(e), shoulders: { pixels: shoulder, maxRisePx: 100 } })!;
    expect(t.riseFrom).toBe(t.chin - 15);
    // World height (up to a constant) of a G point: world up is (0, cos e, sin e) in G.
    const height = (g: [number, number, number]) => g[1] * Math.cos(e) + g[2] * Math.sin(e);
    const chinHeight = height(torsoAxisG(t, t.chin));
    for (let k = t.riseFrom; k < t.chin; k++) {
      // Wide as the shoulders, and every point of the section (front, sides, back) below the chin.
      expect(t.halfWidth[k]).toBeGreaterThan(175);
      for (let j = 0; j < 16; j++) expect(height(torsoPointG(t, k, (2 * Math.PI * j) / 16))).toBeLessThan(chinHeight);
      // Behind the neck's axis.
      expect(t.zShift[k]).toBeLessThan(0);
    }
    // Deeper going down from their top (a wedge under a horizontal top), up to the chest's depth.
    expect(t.halfDepth[t.chin - 1]).toBeGreaterThan(2 * t.halfDepth[t.riseFrom]);
    expect(t.halfDepth[t.chin - 1]).toBeLessThanOrEqual(100 + 1e-6);
  });
});

describe('the body seen from 40 degrees above', () => {
  // A known body seen orthographically from elevation e, in G (pixel units; image row = CROP / 2 - y):
  // a vertical axis through (0, ., 0) at the chin's row 300, a neck (half-width 50) down to row 330,
  // then a bust 60 rows deep: level sections 180 wide and 70 deep, centred 25 behind the neck's axis.
  // A head (a disc of radius 130 over the chin) hides what lies behind it. The shoulders' backs show
  // beside the head, above the chin's row.
  const e = (40 * Math.PI) / 180;
  const [se, ce] = [Math.sin(e), Math.cos(e)];
  const chinRow = 300;
  const baseRow = 330;
  const axisAt = (row: number): [number, number, number] => [0, CROP / 2 - row, -(row - chinRow) * Math.tan(e)];
  /** Fill the picture of a level section (centre c, half-width w, half-depth d, b behind c) into `mask`, row by row. */
  function fill(mask: Float32Array | Uint8Array, c: [number, number, number], w: number, d: number, b: number): void {
    const centreRow = CROP / 2 - (c[1] + b * se);
    const a = Math.max(d * se, 0.5);
    for (let v = Math.ceil(centreRow - a); v <= Math.floor(centreRow + a); v++) {
      const hw = w * Math.sqrt(Math.max(0, 1 - ((v - centreRow) / a) ** 2));
      for (let u = Math.ceil(c[0] + CROP / 2 - hw); u <= Math.floor(c[0] + CROP / 2 + hw); u++)
        if (u >= 0 && u < CROP && v >= 0 && v < CROP) mask[v * CROP + u] = 1;
    }
  }
  const inHead = (i: number) => Math.hypot((i % CROP) - CROP / 2, Math.floor(i / CROP) - (chinRow - 120)) < 130;
  /** The matte, and the body it shows (what the head does not hide). */
  function scene(): { matte: Float32Array; body: Uint8Array } {
    const bust = new Float32Array(CROP * CROP);
    for (let row = chinRow - 20; row < baseRow; row++) fill(bust, axisAt(row), 50, 50, 0);
    for (let row = baseRow; row < baseRow + 60; row++) fill(bust, axisAt(row), 180, 70, 25);
    const matte = Float32Array.from(bust, (b, i) => (b || inHead(i) ? 1 : 0));
    return { matte, body: Uint8Array.from(bust, (b, i) => (b && !inHead(i) ? 1 : 0)) };
  }
  const { matte, body } = scene();
  const t = buildTorso(matte, null, chinRow, CROP / 2, 0, 100, 20, {
    zSlope: Math.tan(e),
    neck: { baseRow, halfWidth: 50, centreU: CROP / 2 },
    target: body,
  })!;
  // World height (up to a constant) of a G point: world up is (0, cos e, sin e) in G.
  const height = (g: [number, number, number]) => g[1] * ce + g[2] * se;
  /** A stub's sections as the input view sees them: each level ellipse filled about its own centre (moved back already). */
  function drawSections(stub: TorsoStub): Uint8Array {
    const drawn = new Uint8Array(CROP * CROP);
    for (let k = 0; k < stub.halfWidth.length; k++) fill(drawn, torsoAxisG(stub, k), stub.halfWidth[k], stub.halfDepth[k], 0);
    return drawn;
  }
  /** Share of the drawn pixels that fall outside the matte. */
  function outsideShare(drawn: Uint8Array, matte: Float32Array): number {
    let count = 0;
    let outside = 0;
    for (let i = 0; i < drawn.length; i++) {
      if (!drawn[i]) continue;
      count++;
      if (!matte[i]) outside++;
    }
    return outside / count;
  }
  /** How many pixels `pick` takes, and the share of them drawn. */
  function coverage(drawn: Uint8Array, pick: (i: number) => boolean): { count: number; share: number } {
    let count = 0;
    let covered = 0;
    for (let i = 0; i < drawn.length; i++) {
      if (!pick(i)) continue;
      count++;
      if (drawn[i]) covered++;
    }
    return { count, share: covered / count };
  }

  it('has level sections: every point of a section at one height in the world', () => {
    for (let k = 0; k < t.halfWidth.length; k++) {
      const hs = Array.from({ length: 16 }, (_, j) => height(torsoPointG(t, k, (2 * Math.PI * j) / 16)));
      expect(Math.max(...hs) - Math.min(...hs)).toBeLessThan(1e-3);
    }
  });

  it("shows the portrait's outline in the input view: nothing outside the matte, and the shoulders beside the head covered", () => {
    const drawn = drawSections(t);
    const all = coverage(drawn, (i) => body[i] === 1);
    // The shoulders' backs beside the head, above the chin's row.
    const beside = coverage(drawn, (i) => body[i] === 1 && Math.floor(i / CROP) < chinRow);
    expect(outsideShare(drawn, matte)).toBeLessThan(0.01);
    expect(all.share).toBeGreaterThan(0.85);
    expect(beside.count).toBeGreaterThan(2000);
    expect(beside.share).toBeGreaterThan(0.7);
  });

  it("has the shoulders under the neck's base, and behind the neck's axis where they rise beside the head", () => {
    const baseHeight = height(axisAt(baseRow));
    let wide = 0;
    for (let k = 0; k < t.halfWidth.length; k++) {
      if (t.halfWidth[k] <= 51) continue;
      wide++;
      for (let j = 0; j < 16; j++) expect(height(torsoPointG(t, k, (2 * Math.PI * j) / 16))).toBeLessThan(baseHeight + 1);
    }
    expect(wide).toBeGreaterThan(5);
    expect(Math.max(...t.back)).toBeGreaterThan(20);
  });

  it('keeps a body under a bust that ends in the picture above where the neck prior puts its base', () => {
    // A short bust lying well behind the neck: on the neck's axis the matte ends a few rows under the
    // chin, above the row the prior gives the neck's base; the body shows beside the head only.
    const short = new Float32Array(CROP * CROP);
    for (let row = chinRow - 20; row < baseRow; row++) fill(short, axisAt(row), 50, 50, 0);
    for (let row = baseRow; row < baseRow + 12; row++) fill(short, axisAt(row), 180, 70, 60);
    const m = Float32Array.from(short, (b, i) => (b || inHead(i) ? 1 : 0));
    const shown = Uint8Array.from(short, (b, i) => (b && !inHead(i) ? 1 : 0));
    let axisEnd = chinRow;
    while (m[(axisEnd + 1) * CROP + CROP / 2]) axisEnd++;
    const s = buildTorso(m, null, chinRow, CROP / 2, 0, 100, 20, {
      zSlope: Math.tan(e),
      neck: { baseRow: axisEnd + 8, halfWidth: 50, centreU: CROP / 2 },
      target: shown,
    })!;
    const drawn = drawSections(s);
    const beside = coverage(drawn, (i) => shown[i] === 1 && Math.abs((i % CROP) - CROP / 2) >= 60);
    // The prior's base lies lower than this bust's top, so the highest backs stay out of reach (read
    // from the axis's matte alone, the stub had no body: nothing beside the head was covered).
    expect(beside.count).toBeGreaterThan(2000);
    expect(beside.share).toBeGreaterThan(0.6);
    expect(outsideShare(drawn, m)).toBeLessThan(0.01);
  });
});

describe('gainByHeight', () => {
  it("gives the back of the head the outline's volume at its own height: a tall top does not swell the nape", () => {
    // Bins: angle 0 = image right, growing towards image down; sin(angle) < 0 is above the centre.
    const gain = new Float32Array(ANGLE_BINS);
    const valid = new Uint8Array(ANGLE_BINS).fill(1);
    for (let b = 0; b < ANGLE_BINS; b++)
      gain[b] = Math.sin((2 * Math.PI * (b + 0.5)) / ANGLE_BINS) < -0.5 ? 1.6 : 1;
    const byHeight = gainByHeight(gain, valid, 1.3);
    expect(byHeight[0]).toBeCloseTo(1.6, 5); // the crown's height
    expect(byHeight[byHeight.length - 1]).toBeCloseTo(1, 5); // the nape's
    // No valid bin near a height: the fallback.
    const none = gainByHeight(gain, new Uint8Array(ANGLE_BINS), 1.3);
    for (const g of none) expect(g).toBeCloseTo(1.3, 5);
  });

  it('measures heights on the head, not in the image: seen from above, the nape takes the gain below the ears', () => {
    const e = (40 * Math.PI) / 180;
    // Head axes in the image frame G (x right, y up, z towards the camera): level, and a camera 40
    // degrees above (the head's up axis leans towards the camera, its forward axis away and down).
    const level = { xAxis: [1, 0, 0], yAxis: [0, 1, 0], zAxis: [0, 0, 1] };
    const above = { xAxis: [1, 0, 0], yAxis: [0, Math.cos(e), Math.sin(e)], zAxis: [0, -Math.sin(e), Math.cos(e)] };
    const frame = (f: typeof level) => f as unknown as Parameters<typeof headBinHeights>[0];
    const levelHeights = headBinHeights(frame(level));
    const aboveHeights = headBinHeights(frame(above));
    for (let b = 0; b < ANGLE_BINS; b++) {
      const sin = Math.sin((2 * Math.PI * (b + 0.5)) / ANGLE_BINS);
      // A level camera: the image's heights, as before.
      expect(levelHeights[b]).toBeCloseTo(sin, 6);
      // From above the outline's top and bottom are only cos(40) up and down the head.
      expect(aboveHeights[b]).toBeCloseTo(Math.cos(e) * sin, 6);
    }
    // An outline with thick hair (gain 1.6) everywhere but at its bottom (the jaw and neck, gain 1).
    // Seen from above, the direction straight away from the camera is the nape, 0.64 down the head
    // (sin 40): it takes the gain of the outline near that height on the head, the bottom's, where
    // measured in the image (its height there is 0, mid-head) it took the temples' thick hair.
    const gain = new Float32Array(ANGLE_BINS);
    const valid = new Uint8Array(ANGLE_BINS).fill(1);
    for (let b = 0; b < ANGLE_BINS; b++) gain[b] = Math.sin((2 * Math.PI * (b + 0.5)) / ANGLE_BINS) < 0.3 ? 1.6 : 1;
    const onHead = gainByHeight(gain, valid, 1.3, aboveHeights);
    const inImage = gainByHeight(gain, valid, 1.3);
    const at = (h: number, arr: Float32Array) => arr[Math.round(((h + 1) / 2) * (arr.length - 1))];
    expect(at(Math.sin(e), onHead)).toBeCloseTo(1, 5);
    expect(at(0, inImage)).toBeCloseTo(1.6, 5);
  });
});

describe('the body seen from below or above', () => {
  // World up in G for a camera at elevation e: (0, cos e, sin e) (G.z towards the camera).
  const height = (p: readonly number[], e: number) => p[1] * Math.cos(e) + p[2] * Math.sin(e);

  for (const deg of [-10, -5, 0]) {
    it(`keeps each section level in the world from camera elevation ${deg} (the back of the collar no higher than its front)`, () => {
      const e = (deg * Math.PI) / 180;
      const stub = buildTorso(bodyMatte(300, 360), null, 300, CROP / 2, 0, 70, 10, { zSlope: Math.tan(e) })!;
      expect(stub).not.toBeNull();
      for (let k = stub.chin; k < stub.centreX.length; k += 5) {
        const front = torsoPointG(stub, k, 0);
        const back = torsoPointG(stub, k, Math.PI);
        // Depth 2 * halfDepth (up to 140 px): a section square to the camera's axis instead puts its
        // back 140 sin(10 deg) = 24 px higher or lower in the world than its front.
        expect(Math.abs(back[2] - front[2])).toBeGreaterThan(50);
        expect(Math.abs(height(back, e) - height(front, e))).toBeLessThan(1e-3);
      }
    });
  }
});

describe('the body under long hair', () => {
  // A body whose neck (half-width 40) widens 1.5 px per row from row 330 into shoulders, under a
  // curtain of hair 150 px each side of the axis down to row 420: on those rows the portrait shows
  // the body only where it widens 0.5 px per row (the chest between the locks); the rest is hair, and
  // hair forms the outline.
  const chinRow = 300;
  const faceWidth = 160;
  const bodyHalf = (v: number) => 40 + 1.5 * Math.max(0, v - 330);
  function longHairMatte(): { matte: Float32Array; regions: Uint8Array } {
    const matte = new Float32Array(CROP * CROP);
    const regions = new Uint8Array(CROP * CROP);
    for (let v = chinRow; v < CROP; v++) {
      const hair = v < 420 ? 150 : 0;
      const shown = hair ? 40 + 0.5 * Math.max(0, v - 330) : bodyHalf(v);
      for (let u = 0; u < CROP; u++) {
        const d = Math.abs(u - CROP / 2);
        if (d >= Math.max(bodyHalf(v), hair)) continue;
        matte[v * CROP + u] = 1;
        regions[v * CROP + u] = d < shown ? (d < 40 ? REGION.skin : REGION.clothing) : REGION.hair;
      }
    }
    return { matte, regions };
  }
  const reachUnderHair = (below: number) => bodyReachPrior(below, faceWidth);
  const halfWidthAtRow = (t: TorsoStub, v: number) => t.halfWidth[t.chin + Math.round((v - chinRow) / t.rowStep)];

  it("keeps the shoulders the hair hides (the trapezius' slope from the neck), inside the hair's outline", () => {
    const { matte, regions } = longHairMatte();
    const t = buildTorso(matte, regions, chinRow, CROP / 2, 0, 100, 20, { reachUnderHair })!;
    // Under the chin: the neck's prior (0.35 face widths), not the hair's width.
    expect(halfWidthAtRow(t, chinRow + 10)).toBeLessThan(NECK_HALF_WIDTH * faceWidth + 4);
    // Lower down the shoulders under the hair: the prior's 136 px, within the hair's 150.
    expect(halfWidthAtRow(t, 380)).toBeGreaterThan(120);
    expect(halfWidthAtRow(t, 380)).toBeLessThanOrEqual(151);
    // Below the hair the matte's outline is the body's.
    expect(Math.abs(halfWidthAtRow(t, 470) - bodyHalf(470))).toBeLessThan(8);
    // Without the prior the body is what shows between the locks: no shoulders under the hair.
    const bare = buildTorso(matte, regions, chinRow, CROP / 2, 0, 100, 20)!;
    expect(halfWidthAtRow(bare, 380)).toBeLessThan(80);
  });

  it('keeps the non-hair outline where the portrait shows the body wider than the prior', () => {
    const { matte, regions } = longHairMatte();
    // Clothing beside the neck out to 100 px on the chin's rows (a wide collar): seen, so kept.
    for (let v = chinRow; v < chinRow + 20; v++)
      for (let u = CROP / 2 - 100; u < CROP / 2 + 100; u++)
        if (regions[v * CROP + u] === REGION.hair) regions[v * CROP + u] = REGION.clothing;
    const t = buildTorso(matte, regions, chinRow, CROP / 2, 0, 100, 20, { reachUnderHair })!;
    expect(t.halfWidth[t.chin + 2]).toBeGreaterThan(85);
  });
});
