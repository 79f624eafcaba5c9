/**
 * Long hair whose lengths are not the colour of its top (dark roots over silver, ombre, sun-bleached
 * ends): seen from the side, the head is hair over the ears, not a band of skin. The hair model's
 * reference is the top of the head; lengths of another tone sat nearer the skin than the roots, read
 * as skin, and the fill grew skin from the temple to the jaw under the hair in every side view.
 *
 * Measured on the head's atlas (what every view shows) at the sides: azimuths 70..110 degrees either
 * way, from the chin up to the temples. Before the two tones: a quarter (silver) to nearly a half
 * (honey) of that band was nearer the cheek's colour than the hair's. On hq-0001 (dark roots, silver lengths) and on the same portrait
 * with its hair recoloured to another two-tone pair (dark brown roots, honey blonde lengths), so the
 * rule is about two tones, not about one subject's colours; a short cut's ear shadows and rim light
 * (hq-0002) are not a tone of their own.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { REGION, type PreprocessResult } from '../../src/shared/contracts/preprocess';
import { cheekSkin, colourDistance, fitHairModel } from '../../src/engine/multiview/weightfree/hair-model';
import { lengthsTone } from '../../src/engine/multiview/weightfree/head-appearance';
import { LM } from '../../src/engine/multiview/weightfree/landmarks';
import type { HeadProxy } from '../../src/engine/multiview/weightfree/proxy';
import { loadPreprocessed } from './portrait-inputs';
import { medianRgb, type Rgb } from './appearance-measures';
import { headAtlasBand } from './head-atlas-band';
import { fittedProxy } from './fitted-proxy';

const TIMEOUT = 240_000;

/** Crop row of the forehead's top landmark: hair above it is the top, below it the lengths. */
const foreheadRow = (pre: PreprocessResult) => pre.face!.landmarks[LM.foreheadTop * 3 + 1];

/**
 * The portrait with its hair recoloured: `top` above the forehead, `lengths` below, each pixel keeping
 * its brightness relative to the mean of its part (the strands' shading stays). Hair here is what
 * hq-0001 shows of it, by the test's own measure: hair-labelled matte pixels, and above the chin every
 * near-grey one (the silver locks framing the face are labelled skin or clothing in places).
 */
function recolourHair(pre: PreprocessResult, top: Rgb, lengths: Rgb): PreprocessResult {
  const src = pre.image512.data;
  const data = new Uint8ClampedArray(src);
  const around = pre.around;
  const aroundData = around ? new Uint8ClampedArray(around.image.data) : null;
  const row = foreheadRow(pre);
  const chinRow = pre.face!.landmarks[LM.chin * 3 + 1];
  const hair: number[] = [];
  for (let i = 0; i < 512 * 512; i++) {
    if (pre.matte512.data[i] <= 0.5) continue;
    const r = src[i * 4],
      g = src[i * 4 + 1],
      b = src[i * 4 + 2];
    const mx = Math.max(r, g, b);
    const grey = mx > 40 && (mx - Math.min(r, g, b)) / mx < 0.12;
    if (pre.regions[i] === REGION.hair || (grey && Math.floor(i / 512) < chinRow)) hair.push(i);
  }
  const luma = (i: number) => (src[i * 4] + src[i * 4 + 1] + src[i * 4 + 2]) / 3;
  const mean = [0, 0];
  const count = [0, 0];
  for (const i of hair) {
    const part = Math.floor(i / 512) < row ? 0 : 1;
    mean[part] += luma(i);
    count[part]++;
  }
  for (const i of hair) {
    const part = Math.floor(i / 512) < row ? 0 : 1;
    const gain = luma(i) / Math.max(1, mean[part] / count[part]);
    const tone = part === 0 ? top : lengths;
    for (let c = 0; c < 3; c++) data[i * 4 + c] = tone[c] * gain;
    // The photo round the crop holds the crop too (portrait-plane.ts): the same pixel there.
    if (around) {
      const j = Math.floor(i / 512) * around.image.width + (i % 512) + around.left;
      for (let c = 0; c < 3; c++) aroundData![j * 4 + c] = data[i * 4 + c];
    }
  }
  return {
    ...pre,
    image512: { ...pre.image512, data },
    ...(around ? { around: { ...around, image: { ...around.image, data: aroundData! } } } : {}),
  };
}

/** The hair the portrait shows beside the face below the eyes (outside the cheeks' landmarks): its median. */
function hairBesideFace(pre: PreprocessResult): Rgb {
  const lm = pre.face!.landmarks;
  const eyeRow = lm[LM.rightEyeOuter * 3 + 1];
  const [c0, c1] = [lm[LM.rightCheekSide * 3], lm[LM.leftCheekSide * 3]];
  const img = pre.image512.data;
  const px: number[] = [];
  for (let v = Math.ceil(eyeRow); v < 512; v++)
    for (let u = 0; u < 512; u++) {
      const i = v * 512 + u;
      if (pre.regions[i] === REGION.hair && pre.matte512.data[i] > 0.9 && (u < c0 || u > c1))
        px.push(img[i * 4], img[i * 4 + 1], img[i * 4 + 2]);
    }
  return medianRgb(Float32Array.from(px));
}

/**
 * The head's atlas texels at the sides (|azimuth| 70..110 degrees from the face), from the chin up to
 * the temples (the eyes' height plus 0.3 of the eyes' height above the chin): the share nearer the
 * cheek's colour than the hair's beside the face, and their median's distance to each.
 */
function sides(pre: PreprocessResult, proxy: HeadProxy): { skinShare: number; toSkin: number; toHair: number } {
  const skin = cheekSkin(pre)!;
  const hair = hairBesideFace(pre);
  const px = proxy.texture.data;
  const band = headAtlasBand(pre, proxy, [70, 110], [0, 1.3]);
  const colours = new Float32Array(band.length * 3);
  let skinLike = 0;
  band.forEach((t, k) => {
    const c: Rgb = [px[t.offset], px[t.offset + 1], px[t.offset + 2]];
    colours.set(c, k * 3);
    if (colourDistance(...c, skin) < colourDistance(...c, hair)) skinLike++;
  });
  const m = medianRgb(colours);
  return { skinShare: skinLike / band.length, toSkin: colourDistance(...m, skin), toHair: colourDistance(...m, hair) };
}

describe('two-tone long hair', () => {
  let silver: PreprocessResult;
  beforeAll(async () => {
    silver = await loadPreprocessed('hq-0001-matted-rgba.png');
  }, TIMEOUT);

  /** Hair over the ears from the side: under a quarter of the band is skin-coloured, its median is the hair's. */
  async function expectHairAtSides(pre: PreprocessResult): Promise<void> {
    const proxy = await fittedProxy(pre);
    const s = sides(pre, proxy);
    expect(s.skinShare).toBeLessThan(0.25);
    expect(s.toHair).toBeLessThan(s.toSkin);
  }

  it('finds the lengths tone of long hair, and none on a short cut', async () => {
    const model = fitHairModel(silver);
    const tone = lengthsTone(silver, model, null);
    expect(tone).not.toBeNull();
    // Silver lengths, far from the dark roots the model's reference holds.
    expect(colourDistance(...tone!, model!.reference)).toBeGreaterThan(40);
    const short = await loadPreprocessed('hq-0002-matted-rgba.png');
    expect(lengthsTone(short, fitHairModel(short), null)).toBeNull();
  }, TIMEOUT);

  it('silver lengths under dark roots: hair over the ears from the side, not skin', async () => {
    await expectHairAtSides(silver);
  }, TIMEOUT);

  it('honey lengths under dark brown roots: hair over the ears from the side, not skin', async () => {
    const honey = recolourHair(silver, [70, 45, 30], [205, 165, 105]);
    await expectHairAtSides(honey);
  }, TIMEOUT);
});
