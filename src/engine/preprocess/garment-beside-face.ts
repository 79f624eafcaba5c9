/**
 * The garment beside the face. The colour labelling calls every non-skin pixel above the chin's row
 * hair: right for a level camera, whose shoulders are below the chin in the image. From above (a
 * phone held high, a 40-degree studio camera) the shoulders rise beside the face, and a white shirt
 * beside the jaw of a grey-haired man became hair: the head grew a curtain of long hair down to the
 * shoulders and the shirt went missing round the back.
 *
 * Here the garment grows up from the clothing below the chin, through connected hair-labelled pixels
 * (below the eyes) whose colour is nearer one of the garment's colours than the scalp hair's; those more
 * than BESIDE_FACE face widths from the face's centre line become clothing (under the jaw is the neck).
 * "Clothing" below the chin is the garment and, as often, the neck in the collar's shadow (too dark and
 * red for the face's skin test): its pixels that are not the hair's colour are split in two by colour
 * (2-means), and each part that is neither the skin's nor the hair's colour is a garment colour (one
 * mean over both was the neck's brown, and the white shirt beside the jaw was nearer the grey hair).
 * Nothing with the skin's hue (in light or shadow) becomes garment: beside a pale girl's jaw the
 * shadowed cheek, nearer the neck's shadow than her grey hair, went into her jumper.
 * A garment in the hair's own colour (black hair on a black jumper) leaves no garment colour and its
 * pixels stay hair: colour cannot tell them apart, and long hair there is the likelier reading. Growing
 * only through connected pixels keeps hair highlights in the garment's colour (a blonde's light strands
 * over a cream shirt) that do not touch it.
 *
 * Buffers: labels Uint8Array [W*H] (REGION values, changed in place), image RGBA [W*H*4],
 * matte Float32Array [W*H].
 */
import { REGION } from '../../shared/contracts/preprocess';
import { floodFill4 } from './flood-fill';
import {
  colourFeature,
  featureDistance,
  hueDistance,
  SAME_COLOUR,
  type ColourFeature,
  type LabelPassInput,
} from './hanging-hair';

/** Fewest clothing pixels below the chin, clearly not the hair's colour, for a garment colour to grow from. */
const MIN_GARMENT_PIXELS = 100;

/** The garment grows up to the eyes (eyeY) at most, and only beside the face (centreU, faceWidth). */
export interface GarmentInput extends LabelPassInput {
  skinColour: ColourFeature;
}

/** Pixels nearer the face's centre line than this (face widths) are the neck and jaw, never the garment beside the face. */
const BESIDE_FACE = 0.4;

/**
 * Two colour clusters of `features` (Lloyd's iterations in featureDistance, started from the colour
 * farthest from the mean and the one farthest from that: deterministic). Empty clusters are dropped.
 */
export function twoMeans(features: ColourFeature[], iterations = 8): Array<{ centre: ColourFeature; count: number }> {
  const mean = (fs: ColourFeature[]): ColourFeature => {
    const m: ColourFeature = [0, 0, 0];
    for (const f of fs) for (let c = 0; c < 3; c++) m[c] += f[c] / fs.length;
    return m;
  };
  const farthest = (from: ColourFeature) =>
    features.reduce((best, f) => (featureDistance(f, from) > featureDistance(best, from) ? f : best), features[0]);
  const a = farthest(mean(features));
  let centres: ColourFeature[] = [a, farthest(a)];
  let groups: ColourFeature[][] = [[], []];
  for (let it = 0; it < iterations; it++) {
    groups = [[], []];
    for (const f of features)
      groups[featureDistance(f, centres[0]) <= featureDistance(f, centres[1]) ? 0 : 1].push(f);
    centres = groups.map((g, k) => (g.length > 0 ? mean(g) : centres[k]));
  }
  return groups.flatMap((g, k) => (g.length > 0 ? [{ centre: centres[k], count: g.length }] : []));
}

/** Relabels hair beside the face that is the garment's colour and joins the garment below the chin; returns how many pixels. */
export function labelGarmentBesideFace(p: GarmentInput): number {
  const { labels, image, matte, width: W, height: H, hairColour } = p;
  const feat = (i: number) => colourFeature(image[i * 4], image[i * 4 + 1], image[i * 4 + 2]);
  const seeds: number[] = [];
  const seedColours: ColourFeature[] = [];
  for (let y = Math.max(0, Math.ceil(p.chinY)); y < H; y++)
    for (let x = 0; x < W; x++) {
      const i = y * W + x;
      if (labels[i] !== REGION.clothing || matte[i] <= 0.5) continue;
      const f = feat(i);
      if (featureDistance(f, hairColour) <= SAME_COLOUR) continue;
      seeds.push(i);
      seedColours.push(f);
    }
  if (seeds.length < MIN_GARMENT_PIXELS) return 0;
  const garments = twoMeans(seedColours).filter(
    (g) =>
      g.count >= MIN_GARMENT_PIXELS &&
      featureDistance(g.centre, hairColour) > SAME_COLOUR &&
      featureDistance(g.centre, p.skinColour) > SAME_COLOUR &&
      hueDistance(g.centre, p.skinColour) > SAME_COLOUR,
  );
  if (garments.length === 0) return 0;
  const top = Math.max(0, p.eyeY);
  const nearFace = BESIDE_FACE * p.faceWidth;
  const region = floodFill4(W, H, seeds, (j, _x, y) => {
    if (matte[j] <= 0.5) return false;
    if (labels[j] === REGION.clothing) return true;
    if (labels[j] !== REGION.hair || y < top) return false;
    const f = feat(j);
    if (hueDistance(f, p.skinColour) <= SAME_COLOUR) return false;
    const dHair = featureDistance(f, hairColour);
    return garments.some((g) => featureDistance(f, g.centre) < dHair);
  });
  let grown = 0;
  // The path may pass under the jaw; only what lies beside the face changes.
  for (let i = 0; i < W * H; i++)
    if (region[i] && labels[i] === REGION.hair && Math.abs((i % W) - p.centreU) >= nearFace) {
      labels[i] = REGION.clothing;
      grown++;
    }
  return grown;
}
