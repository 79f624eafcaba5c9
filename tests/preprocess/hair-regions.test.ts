/**
 * Hair grows from the scalp: hair-labelled pixels below the eye line that no path of hair links to the
 * hair above it are shaded skin (a shadowed neck under the jaw read as hair and gave a short-haired
 * man a bob); hair hanging beside the face, linked to the hair above, stays hair. Long hair below the
 * chin is hair, not clothing, when the hair frames the face in the scalp hair's colour.
 */
import { describe, expect, it } from 'vitest';
import { REGION } from '../../src/shared/contracts/preprocess';
import { keepHairConnectedAbove } from '../../src/engine/preprocess/regions';
import { colourFeature, labelHangingHair } from '../../src/engine/preprocess/hanging-hair';

const W = 64;
const H = 64;

function paint(labels: Uint8Array, x0: number, y0: number, x1: number, y1: number, label: number): void {
  for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) labels[y * W + x] = label;
}

describe('keepHairConnectedAbove', () => {
  it('turns a hair blob below the eyes that is cut off from the scalp hair into skin, and keeps hanging locks', () => {
    const labels = new Uint8Array(W * H);
    paint(labels, 10, 2, 54, 14, REGION.hair); // the scalp's hair, above the eye line (y = 20)
    paint(labels, 10, 14, 14, 50, REGION.hair); // a lock hanging on the left, joined to it
    paint(labels, 20, 14, 44, 50, REGION.skin); // the face
    paint(labels, 46, 36, 52, 46, REGION.hair); // a shadow under the jaw on the right, on its own
    keepHairConnectedAbove(labels, W, H, 20);
    expect(labels[5 * W + 30]).toBe(REGION.hair);
    expect(labels[45 * W + 12]).toBe(REGION.hair);
    expect(labels[40 * W + 48]).toBe(REGION.skin);
    expect(labels[30 * W + 30]).toBe(REGION.skin);
    // Pixels that were not hair keep their labels.
    expect(labels[60 * W + 60]).toBe(REGION.background);
  });

  it('leaves hair above the eye line alone even when it is a separate patch', () => {
    const labels = new Uint8Array(W * H);
    paint(labels, 4, 4, 8, 8, REGION.hair);
    paint(labels, 40, 4, 44, 8, REGION.hair);
    keepHairConnectedAbove(labels, W, H, 20);
    expect(labels[5 * W + 5]).toBe(REGION.hair);
    expect(labels[5 * W + 41]).toBe(REGION.hair);
  });
});

describe('labelHangingHair', () => {
  const S = 128;
  /** A portrait [S*S]: grey hair over the head and down both sides (or only to the ears), a blue chest. */
  function portrait(longHair: boolean) {
    const labels = new Uint8Array(S * S);
    const image = new Uint8ClampedArray(S * S * 4);
    const matte = new Float32Array(S * S);
    const set = (x: number, y: number, label: number, rgb: [number, number, number]) => {
      const i = y * S + x;
      labels[i] = label;
      matte[i] = 1;
      image.set([...rgb, 255], i * 4);
    };
    const grey: [number, number, number] = [170, 170, 175];
    const blue: [number, number, number] = [40, 60, 140];
    const skin: [number, number, number] = [220, 170, 140];
    for (let y = 10; y < S; y++)
      for (let x = 24; x < 104; x++) {
        const face = x >= 44 && x < 84 && y >= 30 && y < 80;
        const chest = y >= 80;
        const side = x < 44 || x >= 84;
        if (face) set(x, y, REGION.skin, skin);
        else if (chest && side && longHair && y < 120)
          set(x, y, REGION.clothing, grey); // hair the colour test called clothing
        else if (chest) set(x, y, REGION.clothing, blue);
        else if (side && !longHair && y >= 45)
          set(x, y, REGION.skin, skin); // ears and neck on the outline
        else set(x, y, REGION.hair, grey);
      }
    return { labels, image, matte };
  }
  const common = { width: S, height: S, chinY: 80, centreU: 64, faceWidth: 40, eyeY: 45 };

  it('grows long hair down the sides below the chin, not into the chest', () => {
    const p = portrait(true);
    const grown = labelHangingHair({ ...p, ...common, hairColour: colourFeature(170, 170, 175) });
    expect(grown).toBeGreaterThan(1000);
    expect(p.labels[100 * S + 30]).toBe(REGION.hair);
    expect(p.labels[100 * S + 98]).toBe(REGION.hair);
    expect(p.labels[100 * S + 64]).toBe(REGION.clothing);
    expect(p.labels[124 * S + 30]).toBe(REGION.clothing);
  });

  it('leaves short hair (ears and neck on the outline) and a hat-coloured hair model alone', () => {
    const p = portrait(false);
    expect(labelHangingHair({ ...p, ...common, hairColour: colourFeature(170, 170, 175) })).toBe(0);
    const q = portrait(true);
    // The scalp's mean colour is a navy cap's: the side's grey hair is not it.
    expect(labelHangingHair({ ...q, ...common, hairColour: colourFeature(30, 35, 80) })).toBe(0);
  });
});
