/**
 * Weight-free views, appearance of what the portrait does not show (issue 6): the clothing carried
 * round the back of the torso, a cap continued round the head instead of being taken for hair, the
 * back of the head textured from the portrait's own hair, the neck stub tucked under the jaw. Measured
 * on the back view (azimuth 180) and the atlas of real fixtures, plus the kernels (patch synthesis,
 * side continuation) against slow references.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { orbitCamera } from '../../src/shared/camera';
import { createRgba, type RgbaImage } from '../../src/shared/image';
import { buildHeadProxy } from '../../src/engine/multiview/weightfree/build';
import { cheekSkin, colourDistance, fitHairModel } from '../../src/engine/multiview/weightfree/hair-model';
import { hairSourceMask, litHairUnderHeadwear } from '../../src/engine/multiview/weightfree/head-appearance';
import { detectHeadwear } from '../../src/engine/multiview/weightfree/headwear';
import { MIN_CENTRES, PATCH, pickCentre, preparePatchSource, streakAlongY, synthesizeResidual, tileCentres, verticalAnisotropy, weightByTypicality, type PatchSource } from '../../src/engine/multiview/weightfree/patch-synthesis';
import { renderProxyView } from '../../src/engine/multiview/weightfree/render';
import { continueSides } from '../../src/engine/multiview/weightfree/side-continuation';
import { isSkinLike, TORSO_SKIN_TOLERANCE } from '../../src/engine/multiview/weightfree/skin-colour';
import { clothingSourceMask } from '../../src/engine/multiview/weightfree/torso-appearance';
import { torsoPointG, type HeadProxy } from '../../src/engine/multiview/weightfree/proxy';
import { radiusAt } from '../../src/engine/multiview/weightfree/head-model';
import { toHead } from '../../src/engine/multiview/weightfree/landmarks';
import { hash3 } from '../../src/engine/multiview/weightfree/random';
import { mulberry32 } from '../../src/shared/random';
import { cachedPreprocess, FIXTURE_PORTRAITS, loadPreprocessed } from './portrait-inputs';
import { fitPortraitHead } from '../../src/engine/head-fit';
import { sharedHeadModel } from '../head-fit/shared-model';
import sharp from 'sharp';
import { histogramIntersection, luma, lumaHistogram, maskedPixels, meanOpaque, medianRgb, opaquePixels, opaqueRows, type Rgb } from './appearance-measures';

const TIMEOUT = 240_000;

/** A noisy test image: uniform noise inside a centred disc of radius `r`, the mask of that disc. */
function noiseDisc(size: number, r: number, seed: number): { image: RgbaImage; mask: Uint8Array } {
  const image = createRgba(size, size, [0, 0, 0, 255]);
  const mask = new Uint8Array(size * size);
  const rnd = mulberry32(seed);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const i = y * size + x;
      if (Math.hypot(x + 0.5 - size / 2, y + 0.5 - size / 2) > r) continue;
      mask[i] = 1;
      for (let c = 0; c < 3; c++) image.data[i * 4 + c] = 60 + 100 * rnd();
    }
  }
  return { image, mask };
}

/** Slow reference of synthesizeResidual for one texel: gather over every tile that covers it. */
function residualAt(src: PatchSource, width: number, seed: number, x: number, y: number): Rgb {
  const stride = PATCH / 2;
  const win = (k: number) => Math.sin((Math.PI * (k + 0.5)) / PATCH) ** 2;
  const acc = [0, 0, 0];
  let w2 = 0;
  for (let ty = -1; ty * stride <= y; ty++) {
    for (let tx = 0; tx < width / stride; tx++) {
      const kx = (x - tx * stride + width) % width;
      const ky = y - ty * stride;
      if (kx >= PATCH || ky < 0 || ky >= PATCH) continue;
      const centre = src.centres[Math.min(src.centres.length - 1, Math.floor(hash3(seed, tx, ty, 7) * src.centres.length))];
      const su = (centre % src.width) - PATCH / 2 + kx;
      const sv = Math.floor(centre / src.width) - PATCH / 2 + ky;
      const w = win(kx) * win(ky);
      for (let c = 0; c < 3; c++) acc[c] += w * src.residual[(sv * src.width + su) * 3 + c];
      w2 += w * w;
    }
  }
  return acc.map((a) => a / Math.sqrt(w2)) as Rgb;
}

describe('patch synthesis (random patches of the source, variance-preserving blend)', () => {
  const { image, mask } = noiseDisc(160, 70, 3);
  const src = preparePatchSource(image, mask, 'global');

  it('matches the slow per-texel reference and keeps the source contrast', () => {
    expect(src.centres.length).toBeGreaterThanOrEqual(MIN_CENTRES);
    const W = 128, H = 48;
    const out = synthesizeResidual(src, W, H, 5);
    for (const [x, y] of [[0, 0], [7, 3], [16, 16], [127, 47], [64, 20], [100, 33]]) {
      const ref = residualAt(src, W, 5, x, y);
      for (let c = 0; c < 3; c++) expect(out[(y * W + x) * 3 + c]).toBeCloseTo(ref[c], 3);
    }
    // Uniform noise on 100 levels: RMS about 28.9. The blend must neither wash it out nor inflate it.
    let ss = 0, s = 0;
    for (let i = 0; i < out.length; i++) {
      ss += out[i] ** 2;
      s += out[i];
    }
    const rms = Math.sqrt(ss / out.length);
    expect(rms).toBeGreaterThan(0.8 * 28.9);
    expect(rms).toBeLessThan(1.2 * 28.9);
    expect(Math.abs(s / out.length)).toBeLessThan(3);
    expect(src.mean[0]).toBeCloseTo(110, -1);
  });

  it('same seed, same texture; another seed, other patches; a mask too small for patches gives none', () => {
    const a = synthesizeResidual(src, 64, 32, 1);
    const b = synthesizeResidual(src, 64, 32, 1);
    const c = synthesizeResidual(src, 64, 32, 2);
    expect(Array.from(a)).toEqual(Array.from(b));
    let diff = 0;
    for (let i = 0; i < a.length; i++) diff += Math.abs(a[i] - c[i]);
    expect(diff / a.length).toBeGreaterThan(10);
    const tiny = noiseDisc(160, 20, 4);
    const none = synthesizeResidual(preparePatchSource(tiny.image, tiny.mask), 64, 32, 1);
    expect(none.every((v) => v === 0)).toBe(true);
    expect(() => synthesizeResidual(src, 70, 32, 1)).toThrow(/multiple/);
    expect(() => preparePatchSource(image, new Uint8Array(10))).toThrow(/mask/);
  });
});

describe('patch centres weighted by how typical they are of the source colours', () => {
  it('draws mostly from the bulk colour, rarely from an outlier region, and by the running sum', () => {
    // Source: a 160 px disc of light grey noise (the lengths) with a dark 40 px block (the roots).
    const { image, mask } = noiseDisc(160, 70, 9);
    for (let y = 40; y < 80; y++) for (let x = 60; x < 100; x++) for (let c = 0; c < 3; c++) image.data[(y * 160 + x) * 4 + c] = 30 + (image.data[(y * 160 + x) * 4 + c] - 60) * 0.1;
    const uniform = preparePatchSource(image, mask, 'local', 24);
    const src = weightByTypicality(preparePatchSource(image, mask, 'local', 24), image, mask);
    expect(src.cumulative).not.toBeNull();
    // Slow reference: first centre whose running sum exceeds u * total, by linear scan.
    const cum = src.cumulative!;
    for (const u of [0, 0.1, 0.37, 0.5, 0.93, 0.999]) {
      let k = 0;
      while (cum[k] <= u * cum[cum.length - 1]) k++;
      expect(pickCentre(src, u)).toBe(k);
    }
    // Share of draws centred in the dark block (windows mostly dark): weighted far below uniform.
    const touchesDark = (s: PatchSource, k: number) => {
      const x = s.centres[k] % 160, y = Math.floor(s.centres[k] / 160);
      return x >= 60 && x < 100 && y >= 40 && y < 80;
    };
    const share = (s: PatchSource) => {
      let dark = 0;
      for (let d = 0; d < 2000; d++) if (touchesDark(s, pickCentre(s, (d + 0.5) / 2000))) dark++;
      return dark / 2000;
    };
    console.log(`draws centred in the dark block: uniform ${share(uniform).toFixed(3)}, weighted ${share(src).toFixed(3)}`);
    expect(share(uniform)).toBeGreaterThan(0.05);
    expect(share(src)).toBeLessThan(0.2 * share(uniform));
    // The colour the residuals are added to is the bulk's (noise 60..160: about 110), not pulled to the block.
    expect(src.mean[0]).toBeGreaterThan(uniform.mean[0]);
    expect(src.mean[0]).toBeGreaterThan(100);
  });
});

describe('straight hair: strands kept along y', () => {
  /** A disc of vertical stripes (columns of random brightness), the mask of that disc. */
  function stripeDisc(size: number, r: number, seed: number): { image: RgbaImage; mask: Uint8Array } {
    const { image, mask } = noiseDisc(size, r, seed);
    const rnd = mulberry32(seed + 1);
    const column = Array.from({ length: size }, () => 60 + 100 * rnd());
    for (let i = 0; i < size * size; i++) if (mask[i]) for (let c = 0; c < 3; c++) image.data[i * 4 + c] = column[i % size];
    return { image, mask };
  }

  it('tells vertical strands from isotropic texture and smooths along them at the same contrast', () => {
    const stripes = stripeDisc(160, 70, 4);
    const noise = noiseDisc(160, 70, 4);
    const sStripes = preparePatchSource(stripes.image, stripes.mask, 'local', 24);
    const sNoise = preparePatchSource(noise.image, noise.mask, 'local', 24);
    expect(verticalAnisotropy(sStripes, stripes.mask, 160)).toBeGreaterThan(5);
    expect(verticalAnisotropy(sNoise, noise.mask, 160)).toBeGreaterThan(0.8);
    expect(verticalAnisotropy(sNoise, noise.mask, 160)).toBeLessThan(1.25);
    const before = Float32Array.from(sNoise.residual);
    const rms = (a: Float32Array) => Math.sqrt(a.reduce((t, v) => t + v * v, 0) / a.length);
    streakAlongY(sNoise, noise.mask, 160, 3);
    expect(rms(sNoise.residual)).toBeCloseTo(rms(before), 3);
    // Slow reference at interior pixels: the mean of the 7 rows centred on it, times one common gain (> 1:
    // smoothing lowers the RMS, the rescale brings it back).
    const boxMean = (x: number, y: number) => {
      let t = 0;
      for (let yy = y - 3; yy <= y + 3; yy++) t += before[(yy * 160 + x) * 3];
      return t / 7;
    };
    const gains = [[80, 80], [60, 95], [101, 70]].map(([x, y]) => sNoise.residual[(y * 160 + x) * 3] / boxMean(x, y));
    expect(gains[0]).toBeGreaterThan(1);
    for (const g of gains) expect(g).toBeCloseTo(gains[0], 3);
    expect(verticalAnisotropy(sNoise, noise.mask, 160)).toBeGreaterThan(5);
  });

  it('chained tiles continue the source strand down from the tile above; unchained tiles draw by the seed', () => {
    const { image, mask } = stripeDisc(200, 95, 6);
    const src = preparePatchSource(image, mask, 'local', 24);
    const free = tileCentres(src, 8, 6, 3, false);
    for (let ty = -1; ty < 6; ty++) for (let tx = 0; tx < 8; tx++) expect(free[ty + 1][tx]).toBe(src.centres[pickCentre(src, hash3(3, tx, ty, 7))]);
    const chained = tileCentres(src, 8, 6, 3, true);
    const usable = new Set(src.centres);
    let continued = 0, could = 0;
    for (let ty = 0; ty < 6; ty++) {
      for (let tx = 0; tx < 8; tx++) {
        const next = chained[ty][tx] + (PATCH / 2) * 200;
        expect(usable.has(chained[ty + 1][tx])).toBe(true);
        if (!usable.has(next)) continue;
        could++;
        if (chained[ty + 1][tx] === next) continued++;
      }
    }
    expect(could).toBeGreaterThan(10);
    expect(continued / could).toBeGreaterThan(0.7);
  });
});

describe('side continuation (what the sides show goes round the back)', () => {
  it('carries the left and right side colours round the back, row by row', () => {
    const W = 64, rows = 4;
    const colour = new Float32Array(W * rows * 3);
    const weight = new Float32Array(W * rows);
    const member = new Uint8Array(W * rows);
    // Front span x in [20, 44]: red on the left half, blue on the right half; a white "tie" between.
    for (let y = 0; y < rows; y++) {
      for (let x = 20; x <= 44; x++) {
        const i = y * W + x;
        weight[i] = 1;
        member[i] = 1;
        const rgb = x < 30 ? [200, 0, 0] : x > 34 ? [0, 0, 200] : [255, 255, 255];
        colour.set(rgb, i * 3);
      }
    }
    const out = continueSides(colour, weight, member, W, rows);
    expect(out.any).toBe(true);
    const at = (x: number, y: number) => Array.from(out.colour.slice((y * W + x) * 3, (y * W + x) * 3 + 3));
    // Just past the right edge: (nearly) the right side's colour; just past the left edge, the left's.
    expect(at(46, 1)[2]).toBeGreaterThan(195);
    expect(at(46, 1)[0]).toBeLessThan(5);
    expect(at(18, 2)[0]).toBeGreaterThan(195);
    expect(at(18, 2)[2]).toBeLessThan(5);
    const middle = at(0, 0); // straight behind, half way round from either side
    expect(middle[0]).toBeCloseTo(100, 0);
    expect(middle[2]).toBeCloseTo(100, 0);
    expect(middle[1]).toBe(0); // the tie in the middle of the front never reaches the back
    expect(out.outside[0]).toBe(1);
    expect(out.outside[32]).toBe(0);
  });
});

describe('headwear detection on the fixtures', () => {
  it(
    'finds Grace Hopper\'s cap band over the forehead and no headwear on the bare-headed fixtures',
    async () => {
      for (const file of FIXTURE_PORTRAITS) {
        const pre = await loadPreprocessed(file);
        const hw = detectHeadwear(pre, cheekSkin(pre)!);
        if (file === 'pd-grace-hopper.jpg') {
          expect(hw, file).not.toBeNull();
          // The band's lower edge lies between the top of the head and the eyes, near the forehead.
          expect(hw!.bottomRow).toBeGreaterThan(130);
          expect(hw!.bottomRow).toBeLessThan(200);
        } else expect(hw, file).toBeNull();
      }
    },
    TIMEOUT,
  );

  it(
    'takes no cap for grey hair photographed from 40 degrees above (a lit crown over darker sides, a white shirt beside the head)',
    async () => {
      // The photo: hq-0002's head on the fitted model, rendered from 40 degrees above and preprocessed
      // like any portrait. Its crown's band of lit grey hair is far from the skin and from the dark
      // grey beside it; the shirt beside the jaw was taken for the hair under a cap, and the "cap's"
      // colours went round the back of the head, the shirt's white as its hair.
      const model = await sharedHeadModel();
      const src = await loadPreprocessed('hq-0002-matted-rgba.png');
      const proxy = buildHeadProxy(src, { seed: 7, head: { model, fitted: fitPortraitHead(model, src)! } });
      const view = renderProxyView(proxy, orbitCamera(0, 40, 512));
      const pre = await cachedPreprocess('hq-0002-fitted-elevation40.png', async () =>
        new Uint8Array(await sharp(Buffer.from(view.data.buffer, view.data.byteOffset, view.data.byteLength), { raw: { width: 512, height: 512, channels: 4 } }).png().toBuffer()),
      );
      expect(pre.face).not.toBeNull();
      expect(detectHeadwear(pre, cheekSkin(pre)!)).toBeNull();
    },
    TIMEOUT,
  );
});

describe('back view of real fixtures (azimuth 180)', () => {
  const backs = new Map<string, RgbaImage>();
  const proxies = new Map<string, HeadProxy>();
  beforeAll(async () => {
    for (const file of ['pd-grace-hopper.jpg', 'fl-002-outdoor.png', 'hq-0001-matted-rgba.png']) {
      const pre = await loadPreprocessed(file);
      const proxy = buildHeadProxy(pre, { seed: 1 });
      proxies.set(file, proxy);
      backs.set(file, renderProxyView(proxy, orbitCamera(180, pre.elevationDeg, 256)));
    }
  }, TIMEOUT);

  it('the neck stub tucks into the head: its top ring is inside the head all round (no shelf under the jaw)', () => {
    for (const [file, proxy] of proxies) {
      const t = proxy.torso!;
      let worst = -Infinity;
      for (let a = 0; a < 96; a++) {
        const g = torsoPointG(t, 0, -Math.PI + (2 * Math.PI * (a + 0.5)) / 96);
        const h = toHead(proxy.shape.frame, g);
        const r = Math.hypot(h[0], h[1], h[2]);
        worst = Math.max(worst, r - radiusAt(proxy.shape, Math.acos(h[1] / r), Math.atan2(h[0], h[2])));
      }
      console.log(`${file}: neck stub top ring, farthest outside the head ${worst.toFixed(1)} px`);
      expect(worst, file).toBeLessThan(0.01 * proxy.shape.faceWidth);
    }
  });

  it('the back of Grace Hopper\'s torso is her navy jacket, not skin', async () => {
    const pre = await loadPreprocessed('pd-grace-hopper.jpg');
    const back = backs.get('pd-grace-hopper.jpg')!;
    const [top, bottom] = opaqueRows(back);
    const torso = meanOpaque(back, bottom - Math.round(0.12 * (bottom - top)), bottom);
    const skin = cheekSkin(pre)!;
    const jacket = medianRgb(maskedPixels(pre.image512, clothingSourceMask(pre, skin, pre.face!.landmarks[152 * 3 + 1])));
    const dJacket = colourDistance(torso.mean[0], torso.mean[1], torso.mean[2], jacket);
    const dSkin = colourDistance(torso.mean[0], torso.mean[1], torso.mean[2], skin);
    console.log(`Hopper torso back rgb(${torso.mean.map(Math.round).join(', ')}), jacket rgb(${jacket.map(Math.round).join(', ')}): distance to jacket ${dJacket.toFixed(0)}, to skin ${dSkin.toFixed(0)}`);
    expect(luma(...jacket)).toBeLessThan(40); // the reference really is the dark jacket
    expect(dJacket).toBeLessThan(60);
    expect(dSkin).toBeGreaterThan(2.5 * dJacket);
  });

  it('Grace Hopper\'s cap goes round the head: the top of the back view is mostly the dark band, not white hair', () => {
    const back = backs.get('pd-grace-hopper.jpg')!;
    const [top, bottom] = opaqueRows(back);
    const px = opaquePixels(back, top, top + Math.round(0.3 * (bottom - top)));
    let dark = 0, white = 0;
    for (let k = 0; k < px.length / 3; k++) {
      const l = luma(px[k * 3], px[k * 3 + 1], px[k * 3 + 2]);
      if (l < 60) dark++;
      if (l > 200) white++;
    }
    const n = px.length / 3;
    console.log(`Hopper back, top 30%: ${((100 * dark) / n).toFixed(0)}% dark (cap band), ${((100 * white) / n).toFixed(0)}% white`);
    expect(dark / n).toBeGreaterThan(0.3);
    expect(white / n).toBeLessThan(0.3);
  });

  it('the back of fl-002\'s head has the visible hair\'s brightness distribution (dark curls), not a flat brown', async () => {
    const pre = await loadPreprocessed('fl-002-outdoor.png');
    const back = backs.get('fl-002-outdoor.png')!;
    const [top, bottom] = opaqueRows(back);
    const hair = maskedPixels(pre.image512, hairSourceMask(pre, fitHairModel(pre), null));
    const head = opaquePixels(back, top, top + Math.round(0.3 * (bottom - top)));
    const hi = histogramIntersection(lumaHistogram(hair), lumaHistogram(head));
    // Contrast: the luminance spread of the back must be a real share of the visible hair's.
    const spread = (px: Float32Array) => {
      const l = Array.from({ length: px.length / 3 }, (_, k) => luma(px[k * 3], px[k * 3 + 1], px[k * 3 + 2])).sort((a, b) => a - b);
      return l[Math.floor(0.9 * l.length)] - l[Math.floor(0.1 * l.length)];
    };
    console.log(`fl-002 back of head vs visible hair: luminance histogram intersection ${hi.toFixed(2)}, 10-90% spread ${spread(head).toFixed(0)} vs ${spread(hair).toFixed(0)}`);
    // Before the patches (flat strand noise over a pull-push brown): 0.30.
    expect(hi).toBeGreaterThan(0.5);
    expect(spread(head)).toBeGreaterThan(0.4 * spread(hair));
  });

  /** Mean luminance and saturation ((max - min) / max) of RGB values [n*3]. */
  const lumaSat = (px: Float32Array): [number, number] => {
    let l = 0, sat = 0;
    const n = px.length / 3;
    for (let k = 0; k < n; k++) {
      const r = px[k * 3], g = px[k * 3 + 1], b = px[k * 3 + 2];
      l += luma(r, g, b) / n;
      sat += (Math.max(r, g, b) - Math.min(r, g, b)) / Math.max(1, Math.max(r, g, b)) / n;
    }
    return [l, sat];
  };

  it('the back of hq-0001\'s head is its silver lengths, not the dark roots at the crown', async () => {
    const pre = await loadPreprocessed('hq-0001-matted-rgba.png');
    const back = backs.get('hq-0001-matted-rgba.png')!;
    const [top, bottom] = opaqueRows(back);
    // The head above the nape: the top 40% of the back view.
    const [headL, headS] = lumaSat(opaquePixels(back, top, top + Math.round(0.4 * (bottom - top))));
    const [sideL, sideS] = lumaSat(maskedPixels(pre.image512, hairSourceMask(pre, fitHairModel(pre), null, 'lengths')));
    const [rootL] = lumaSat(maskedPixels(pre.image512, hairSourceMask(pre, fitHairModel(pre), null, 'top')));
    console.log(`hq-0001 back of head luminance ${headL.toFixed(0)}, saturation ${headS.toFixed(3)}; side hair ${sideL.toFixed(0)}, ${sideS.toFixed(3)}; crown ${rootL.toFixed(0)}`);
    expect(rootL).toBeLessThan(sideL - 15); // the crown really is darker than the lengths
    expect(Math.abs(headL - sideL)).toBeLessThan(15);
    expect(Math.abs(headS - sideS)).toBeLessThan(0.06);
  });

  it('Grace Hopper\'s hair below the cap at the back is a light neutral grey, not brown shadow', async () => {
    const pre = await loadPreprocessed('pd-grace-hopper.jpg');
    const lit = litHairUnderHeadwear(pre, detectHeadwear(pre, cheekSkin(pre)!)!)!;
    const back = backs.get('pd-grace-hopper.jpg')!;
    const [top, bottom] = opaqueRows(back);
    // Below the cap band, above the nape: 30..50% of the back view's height.
    const [l, sat] = lumaSat(opaquePixels(back, top + Math.round(0.3 * (bottom - top)), top + Math.round(0.5 * (bottom - top))));
    console.log(`Hopper hair at the back: luminance ${l.toFixed(0)}, saturation ${sat.toFixed(3)} (lit hair beside the face rgb(${lit.map(Math.round).join(', ')}))`);
    expect(l).toBeGreaterThan(90);
    expect(sat).toBeLessThan(0.2);
  });

  it('the back of Grace Hopper\'s jacket has no skin-coloured band at the base of the neck', async () => {
    const pre = await loadPreprocessed('pd-grace-hopper.jpg');
    const skin = cheekSkin(pre)!;
    const back = backs.get('pd-grace-hopper.jpg')!;
    const [top, bottom] = opaqueRows(back);
    // Rows from the nape down to the bottom: per row, the share of opaque pixels near the cheek skin by
    // hue (skin-colour.ts, the torso's tolerance; the peach ring was a whole row of them round the
    // neck's base).
    // Only the jacket's rows: at least 80% as wide as the widest (the neck above is skin, rightly).
    const widest = Math.max(...Array.from({ length: bottom - top + 1 }, (_, k) => opaquePixels(back, top + k, top + k + 1).length / 3));
    let worst = 0, worstRow = -1;
    for (let y = top; y <= bottom; y++) {
      const px = opaquePixels(back, y, y + 1);
      const n = px.length / 3;
      if (n < 0.8 * widest) continue;
      let skinLike = 0;
      for (let k = 0; k < n; k++) if (isSkinLike(px[k * 3], px[k * 3 + 1], px[k * 3 + 2], skin, TORSO_SKIN_TOLERANCE)) skinLike++;
      if (skinLike / n > worst) [worst, worstRow] = [skinLike / n, y];
    }
    console.log(`Hopper torso back: most skin-coloured row ${worstRow} (${(100 * worst).toFixed(0)}% of it)`);
    expect(worst).toBeLessThan(0.15);
  });
});
