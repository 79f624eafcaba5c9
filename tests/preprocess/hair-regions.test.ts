/**
 * Hair grows from the scalp: hair-labelled pixels below the eye line that no path of hair links to the
 * hair above it are shaded skin (a shadowed neck under the jaw read as hair and gave a short-haired
 * man a bob); hair hanging beside the face, linked to the hair above, stays hair.
 */
import { describe, expect, it } from 'vitest';
import { REGION } from '../../src/shared/contracts/preprocess';
import { keepHairConnectedAbove } from '../../src/engine/preprocess/regions';

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
