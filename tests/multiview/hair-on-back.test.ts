/**
 * Long hair down the back (weightfree/hair-on-back.ts): the torso's back, behind the head and above
 * the hair's lower end, carries on the hair the head's curtain ends with; the front, the shoulders
 * beside the hair and everything below its end stay the torso's own.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { hairBreadth, hairOnBack } from '../../src/engine/multiview/weightfree/hair-on-back';
import type { HeadShape } from '../../src/engine/multiview/weightfree/head-model';
import { direction } from '../../src/engine/multiview/weightfree/head-model';
import { buildHeadProxy } from '../../src/engine/multiview/weightfree/build';
import { renderProxyView } from '../../src/engine/multiview/weightfree/render';
import { fitPortraitHead } from '../../src/engine/head-fit';
import type { HeadModel } from '../../src/engine/head-model';
import { orbitCamera } from '../../src/shared/camera';
import { sharedHeadModel } from '../head-fit/shared-model';
import { landmarkG, LM, toHead } from '../../src/engine/multiview/weightfree/landmarks';
import { loadPreprocessed } from './portrait-inputs';
import { colourDistance, type Rgb } from '../../src/engine/multiview/weightfree/hair-model';

/** A spherical head of radius R in the image frame (head frame = G), atlas W x ROWS. */
const R = 100;
const W = 64;
const ROWS = 32;
function sphereHead(): { shape: HeadShape; atlas: Uint8Array; dirY: Float32Array } {
  const nTheta = 16;
  const nPhi = 32;
  const shape = {
    frame: { origin: [0, 0, 0], xAxis: [1, 0, 0], yAxis: [0, 1, 0], zAxis: [0, 0, 1] },
    faceWidth: 140,
    nTheta,
    nPhi,
    radius: new Float32Array((nTheta + 1) * (nPhi + 1)).fill(R),
  } as unknown as HeadShape;
  // Column x of the head atlas is grey level 4x (a different "strand" per meridian), texel rows by theta.
  const atlas = new Uint8Array(W * ROWS * 4);
  const dirY = new Float32Array(W * ROWS);
  for (let y = 0; y < ROWS; y++)
    for (let x = 0; x < W; x++) {
      const i = y * W + x;
      atlas.set([4 * x, 4 * x, 4 * x, 255], i * 4);
      dirY[i] = direction((Math.PI * (y + 0.5)) / ROWS, -Math.PI + (2 * Math.PI * (x + 0.5)) / W)[1] * R;
    }
  return { shape, atlas, dirY };
}

describe('hairOnBack', () => {
  it('puts the foot of the curtain on the torso behind the head, down to the hair end, not in front or past it', () => {
    const { shape, atlas, dirY } = sphereHead();
    expect(hairBreadth(shape)).toBeCloseTo(R, 0);
    // Torso texels: (lateral x, height y, psi cos) on a body of half-depth 80 below the head.
    const texels: [number, number, number, number][] = [
      [0, -150, -80, -1], // straight behind, above the end: hair
      [30, -200, -75, -0.9], // behind, a little to the side: hair
      [0, -320, -80, -1], // behind, below the end: not hair
      [0, -150, 80, 1], // in front: not hair
      [150, -150, -10, -0.1], // the shoulder's side, outside the hair's breadth: not hair
    ];
    const pos = new Float32Array(texels.flatMap(([x, y, z]) => [x, y, z]));
    const cos = Float32Array.from(texels.map((t) => t[3]));
    const hair = hairOnBack(shape, atlas, dirY, pos, cos, W, -260, 3);
    expect(hair.weight[0]).toBeGreaterThan(0.95);
    expect(hair.weight[1]).toBeGreaterThan(0.95);
    expect(hair.weight[2]).toBe(0);
    expect(hair.weight[3]).toBe(0);
    expect(hair.weight[4]).toBe(0);
    // The colour is the meridian's own (grey 4x at columns near the back, x ~ 0 or W - 1), give or
    // take the strands' wander (2 columns) and sheen (6%).
    const g = hair.colour[0];
    expect(Math.min(Math.abs(g - 0), Math.abs(g - 4 * (W - 1)))).toBeLessThan(4 * 3 * 1.06 + 1);
    expect(hair.colour.every(Number.isFinite)).toBe(true);
  });
});

describe('long hair on a portrait', () => {
  let model: HeadModel;
  beforeAll(async () => {
    model = await sharedHeadModel();
  }, 60_000);

  /**
   * The back view (256 px, the head filling its top): mean RGB of its middle third of columns over the
   * back of the head (rows 40-70: hair on both subjects) and over the upper back (rows 215-245), and
   * the garment at the portrait's bottom corners.
   */
  async function upperBack(portrait: string): Promise<{ back: Rgb; hair: Rgb; garment: Rgb }> {
    const pre = await loadPreprocessed(portrait);
    const fitted = fitPortraitHead(model, pre)!;
    const proxy = buildHeadProxy(pre, { seed: 1, head: { model, fitted } });
    const view = renderProxyView(proxy, orbitCamera(180, 0, 256), 1);
    const mean = (src: { width: number; data: Uint8ClampedArray | Uint8Array }, u0: number, u1: number, v0: number, v1: number): Rgb => {
      const s = [0, 0, 0];
      let n = 0;
      for (let v = v0; v < v1; v++)
        for (let u = u0; u < u1; u++) {
          const i = v * src.width + u;
          if (src.data[i * 4 + 3] < 250) continue;
          for (let c = 0; c < 3; c++) s[c] += src.data[i * 4 + c];
          n++;
        }
      expect(n, `${portrait}: opaque pixels in the window`).toBeGreaterThan(100);
      return [s[0] / n, s[1] / n, s[2] / n];
    };
    return {
      back: mean(view, 85, 171, 215, 245),
      hair: mean(view, 85, 171, 40, 70),
      garment: mean(pre.image512, 0, 60, 470, 512),
    };
  }
  /** Opponent-colour distance (hair-model.ts): chroma counts more than brightness, which the back's light changes. */
  const dist = (a: Rgb, b: Rgb) => colourDistance(a[0], a[1], a[2], b);

  it('hangs long hair down the back past the shoulders (hq-0001), and leaves a short cut\'s back clothing (hq-0003)', async () => {
    const long = await upperBack('hq-0001-matted-rgba.png');
    console.log(`hq-0001 upper back ${long.back.map(Math.round)}, hair ${long.hair.map(Math.round)}, garment ${long.garment.map(Math.round)}: ${dist(long.back, long.hair).toFixed(1)} / ${dist(long.back, long.garment).toFixed(1)}`);
    expect(dist(long.back, long.hair)).toBeLessThan(dist(long.back, long.garment));
    const short = await upperBack('hq-0003-matted-rgba.png');
    console.log(`hq-0003 upper back ${short.back.map(Math.round)}, hair ${short.hair.map(Math.round)}, garment ${short.garment.map(Math.round)}: ${dist(short.back, short.hair).toFixed(1)} / ${dist(short.back, short.garment).toFixed(1)}`);
    expect(dist(short.back, short.garment)).toBeLessThan(dist(short.back, short.hair));
  }, 120_000);

  it('hangs long hair beside the neck from the side, over a neck under the chin, not a plate as wide as the hair (hq-0001)', async () => {
    const pre = await loadPreprocessed('hq-0001-matted-rgba.png');
    const fitted = fitPortraitHead(model, pre)!;
    const proxy = buildHeadProxy(pre, { seed: 1, head: { model, fitted } });
    const { shape, torso } = proxy;
    const fw = shape.faceWidth;
    // The body under the chin: before, the sections there were as wide as the hair (0.96 face widths).
    const chinHalf = torso!.halfWidth[torso!.chin];
    console.log(`hq-0001 body under the chin: half-width ${(chinHalf / fw).toFixed(2)} face widths`);
    expect(chinHalf).toBeLessThan(0.6 * fw);
    // The curtain at the sides (phi = +-90 degrees) reaches below the chin's height (head frame y).
    const chinY = toHead(shape.frame, landmarkG(pre.face!.landmarks, LM.chin))[1];
    const W = shape.nPhi + 1;
    for (const phi of [-Math.PI / 2, Math.PI / 2]) {
      const j = Math.round(((phi + Math.PI) / (2 * Math.PI)) * shape.nPhi);
      let lowest = Infinity;
      for (let i = 0; i <= shape.nTheta; i++)
        lowest = Math.min(lowest, shape.radius[i * W + j] * direction((Math.PI * i) / shape.nTheta, phi)[1]);
      console.log(`hq-0001 side curtain at phi ${((phi * 180) / Math.PI).toFixed(0)}: ${((chinY - lowest) / fw).toFixed(2)} face widths below the chin`);
      expect(chinY - lowest).toBeGreaterThan(0.3 * fw);
    }
  }, 120_000);
});
