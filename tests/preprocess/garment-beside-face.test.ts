/**
 * The garment beside the face: seen from above, the shoulders rise beside the face above the chin's
 * row, where the colour labelling calls everything that is not skin hair. A white shirt there beside a
 * grey-haired man's jaw was hair, and his head grew long hair down to the shoulders. Synthetic crops:
 * the colours and the expected labels are known.
 */
import { describe, expect, it } from 'vitest';
import { REGION } from '../../src/shared/contracts/preprocess';
import { labelGarmentBesideFace, twoMeans } from '../../src/engine/preprocess/garment-beside-face';
import { colourFeature } from '../../src/engine/preprocess/hanging-hair';

const W = 96;
const H = 96;
type Rgb = [number, number, number];
const GREY_HAIR: Rgb = [120, 115, 112];
const SKIN: Rgb = [200, 150, 120];
const NECK_SHADOW: Rgb = [120, 70, 45];
const WHITE_SHIRT: Rgb = [235, 236, 240];
const BLACK: Rgb = [25, 24, 26];

interface Crop {
  labels: Uint8Array;
  image: Uint8ClampedArray;
  matte: Float32Array;
}

function blank(): Crop {
  return { labels: new Uint8Array(W * H), image: new Uint8ClampedArray(W * H * 4), matte: new Float32Array(W * H) };
}

function paint(c: Crop, x0: number, y0: number, x1: number, y1: number, label: number, rgb: Rgb): void {
  for (let y = y0; y < y1; y++)
    for (let x = x0; x < x1; x++) {
      const i = y * W + x;
      c.labels[i] = label;
      c.matte[i] = 1;
      c.image.set([...rgb, 255], i * 4);
    }
}

/**
 * A head seen from above: hair over the top (rows 0-30), the face (30-70, columns 30-66), the chin at
 * row 70, eyes at row 40. Beside the face from row 50 down the shoulders in `shirt`, labelled hair as
 * the colour labelling leaves them above the chin, clothing below it; the neck's shadow below the chin.
 */
function fromAbove(hair: Rgb, shirt: Rgb): Crop {
  const c = blank();
  paint(c, 20, 0, 76, 50, REGION.hair, hair);
  paint(c, 30, 30, 66, 70, REGION.skin, SKIN);
  paint(c, 4, 50, 30, 70, REGION.hair, shirt);
  paint(c, 66, 50, 92, 70, REGION.hair, shirt);
  paint(c, 4, 70, 92, 90, REGION.clothing, shirt);
  paint(c, 38, 70, 58, 84, REGION.clothing, NECK_SHADOW);
  return c;
}

function run(c: Crop, hair: Rgb): number {
  return labelGarmentBesideFace({
    labels: c.labels,
    image: c.image,
    matte: c.matte,
    width: W,
    height: H,
    chinY: 70,
    eyeY: 40,
    hairColour: colourFeature(...hair),
    skinColour: colourFeature(...SKIN),
    centreU: 48,
    faceWidth: 36,
  });
}

describe('labelGarmentBesideFace', () => {
  it('gives the shirt beside the face back to the clothing, and leaves the hair, the face and the neck alone', () => {
    const c = fromAbove(GREY_HAIR, WHITE_SHIRT);
    const grown = run(c, GREY_HAIR);
    expect(grown).toBe(2 * 26 * 20);
    expect(c.labels[60 * W + 10]).toBe(REGION.clothing);
    expect(c.labels[60 * W + 80]).toBe(REGION.clothing);
    expect(c.labels[10 * W + 48]).toBe(REGION.hair);
    expect(c.labels[45 * W + 25]).toBe(REGION.hair); // hair beside the temples, above the shoulders
    expect(c.labels[50 * W + 48]).toBe(REGION.skin);
    expect(c.labels[75 * W + 48]).toBe(REGION.clothing);
  });

  it('leaves the neck under the jaw alone: garment-coloured shadow there is not the shoulders', () => {
    const c = fromAbove(GREY_HAIR, WHITE_SHIRT);
    // A pale grey shadow under the jaw (within 0.4 face widths of the centre line), joined to the shirt below the chin.
    paint(c, 40, 62, 46, 70, REGION.hair, [200, 202, 206]);
    run(c, GREY_HAIR);
    expect(c.labels[66 * W + 42]).toBe(REGION.hair);
    expect(c.labels[60 * W + 10]).toBe(REGION.clothing);
  });

  it('keeps long hair over the shoulders: hair-coloured pixels beside the face stay hair', () => {
    const c = fromAbove(GREY_HAIR, WHITE_SHIRT);
    paint(c, 4, 50, 30, 70, REGION.hair, GREY_HAIR);
    expect(run(c, GREY_HAIR)).toBe(26 * 20);
    expect(c.labels[60 * W + 10]).toBe(REGION.hair);
    expect(c.labels[60 * W + 80]).toBe(REGION.clothing);
  });

  it("changes nothing when the garment is the hair's colour (black hair, black jumper): colour cannot tell them apart", () => {
    const c = fromAbove(BLACK, BLACK);
    const before = Uint8Array.from(c.labels);
    expect(run(c, BLACK)).toBe(0);
    expect(c.labels).toEqual(before);
  });

  it("does not take the neck's shadow for the garment: brown hair beside the jaw stays hair over a brown-necked collar", () => {
    const brown: Rgb = [90, 60, 40];
    const c = fromAbove(brown, WHITE_SHIRT);
    // Dark brown hair hangs beside the jaw, touching the neck's shadow below the chin.
    paint(c, 30, 60, 38, 70, REGION.hair, [70, 45, 30]);
    paint(c, 30, 70, 38, 84, REGION.clothing, NECK_SHADOW);
    run(c, brown);
    expect(c.labels[65 * W + 34]).toBe(REGION.hair);
  });

  it('leaves garment-coloured hair that does not touch the garment (a light streak) as hair, and nothing above the eyes changes', () => {
    const c = fromAbove(GREY_HAIR, WHITE_SHIRT);
    paint(c, 40, 10, 44, 20, REGION.hair, WHITE_SHIRT); // a white streak in the hair, above the eyes
    paint(c, 20, 42, 24, 48, REGION.hair, WHITE_SHIRT); // and one beside the temple, cut off from the shirt
    run(c, GREY_HAIR);
    expect(c.labels[15 * W + 42]).toBe(REGION.hair);
    expect(c.labels[45 * W + 22]).toBe(REGION.hair);
  });
});

describe('twoMeans', () => {
  it('splits two colour groups and counts them, deterministically', () => {
    const fs = [
      ...Array.from({ length: 30 }, (_, k) => colourFeature(230 + (k % 5), 232, 236)),
      ...Array.from({ length: 70 }, (_, k) => colourFeature(120 + (k % 7), 70, 45)),
    ];
    const a = twoMeans(fs);
    const b = twoMeans(fs);
    expect(a).toEqual(b);
    expect(a.map((g) => g.count).sort((p, q) => p - q)).toEqual([30, 70]);
    // One colour only: a single cluster.
    expect(twoMeans(Array.from({ length: 10 }, () => colourFeature(50, 50, 50)))).toHaveLength(1);
  });
});
