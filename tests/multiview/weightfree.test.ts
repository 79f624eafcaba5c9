/**
 * Weight-free multi-view backend on the real fixture portraits: every fixture works, the front view
 * reproduces the portrait, neighbouring views agree through the proxy's depth, the seed only changes
 * unobserved detail, identity survives within +-45 degrees (reported per view, asserted >= 0.6 on the
 * frontal fixtures), bad inputs fail clearly.
 * Grids for every fixture are written to test-output/multiview/ (look at them).
 */
import { describe, expect, it } from 'vitest';
import { viewCameras, VIEW_AZIMUTHS_DEG, type RasterCamera } from '../../src/shared/camera';
import { REGION, type PreprocessResult } from '../../src/shared/contracts/preprocess';
import { compositeOnWhite, createRgba, type RgbaImage } from '../../src/shared/image';
import { analyzeFace, cosineSimilarity } from '../../src/engine/face/index';
import { psnr } from '../../src/shared/metrics/image-metrics';
import { rasterizeTriangles } from '../../src/shared/mesh/rasterize';
import { SH_C0 } from '../../src/shared/gaussians/cloud';
import { generateWeightFreeViews, renderProxyView, type HeadProxy } from '../../src/engine/multiview/weightfree/index';
import { writeViewGrid } from '../../scripts/multiview-grid';
import { fitPose2D } from '../../src/engine/multiview/weightfree/pose-fit';
import { FIXTURE_PORTRAITS, loadPreprocessed, loadTurnedPortrait } from './portrait-inputs';

const TIMEOUT = 240_000;

/** Frontal portraits: identity must hold (cosine >= 0.6) in every view within +-45 degrees. */
const FRONTAL_FIXTURES = ['hq-0001-matted-rgba.png', 'hq-0002-matted-rgba.png', 'hq-0003-matted-rgba.png', 'fl-000-expression.png'];

/** Face pixels of the portrait: skin/eyes/mouth labels inside the matte. */
function faceMask(pre: PreprocessResult): Uint8Array {
  const m = new Uint8Array(512 * 512);
  for (let i = 0; i < m.length; i++) {
    const r = pre.regions[i];
    if (pre.matte512.data[i] > 0.9 && (r === REGION.skin || r === REGION.eyes || r === REGION.mouth)) m[i] = 1;
  }
  return m;
}

function alphaFraction(img: RgbaImage): number {
  let n = 0;
  for (let i = 3; i < img.data.length; i += 4) if (img.data[i] > 127) n++;
  return n / (img.width * img.height);
}

/**
 * Re-project view A into view B through the proxy's depth in A: mean absolute RGB difference (0..255)
 * over the pixels whose surface point is also the visible one in B.
 */
function reprojectionError(proxy: HeadProxy, camA: RasterCamera, viewA: RgbaImage, camB: RasterCamera, viewB: RgbaImage): { err: number; pixels: number } {
  const visA = rasterizeTriangles(proxy.mesh.positions, proxy.mesh.indices, camA);
  const visB = rasterizeTriangles(proxy.mesh.positions, proxy.mesh.indices, camB);
  const mA = camA.worldToCamera;
  const mB = camB.worldToCamera;
  let sum = 0;
  let n = 0;
  for (let y = 0; y < camA.height; y++) {
    for (let x = 0; x < camA.width; x++) {
      const p = y * camA.width + x;
      const z = visA.depth[p];
      if (!Number.isFinite(z) || viewA.data[p * 4 + 3] < 255) continue;
      // Pixel centre -> camera A -> world (R^T (c - t)) -> camera B -> pixel.
      const c = [((x + 0.5 - camA.cx) / camA.fx) * z - mA[3], ((y + 0.5 - camA.cy) / camA.fy) * z - mA[7], z - mA[11]];
      const w = [0, 1, 2].map((k) => mA[k] * c[0] + mA[4 + k] * c[1] + mA[8 + k] * c[2]);
      const cb = [0, 1, 2].map((r) => mB[r * 4] * w[0] + mB[r * 4 + 1] * w[1] + mB[r * 4 + 2] * w[2] + mB[r * 4 + 3]);
      const u = camB.fx * (cb[0] / cb[2]) + camB.cx;
      const v = camB.fy * (cb[1] / cb[2]) + camB.cy;
      const q = Math.floor(v) * camB.width + Math.floor(u);
      if (u < 0 || v < 0 || u >= camB.width || v >= camB.height) continue;
      if (Math.abs(visB.depth[q] - cb[2]) > 0.002 || viewB.data[q * 4 + 3] < 255) continue;
      for (let k = 0; k < 3; k++) sum += Math.abs(viewA.data[p * 4 + k] - viewB.data[q * 4 + k]);
      n += 3;
    }
  }
  return { err: sum / Math.max(1, n), pixels: n / 3 };
}

describe('weight-free multi-view backend on the fixture portraits', () => {
  for (const file of FIXTURE_PORTRAITS) {
    it(
      `${file}: 16 plausible views, input view matches the portrait, identity within +-45 deg, grid written`,
      async () => {
        const pre = await loadPreprocessed(file);
        const res = await generateWeightFreeViews(pre, { elevationDeg: pre.elevationDeg, seed: 7, size: 256 });
        expect(res.views).toHaveLength(16);
        expect(res.azimuthsDeg).toEqual([...VIEW_AZIMUTHS_DEG]);
        for (const [i, v] of res.views.entries()) {
          expect(v.width).toBe(256);
          const cover = alphaFraction(v);
          // A head fills a sensible part of every view: never empty, never the whole frame.
          expect(cover, `view ${i} coverage`).toBeGreaterThan(0.05);
          expect(cover, `view ${i} coverage`).toBeLessThan(0.95);
        }
        // The input view: the proxy's input camera (azimuth 0 unless the face is turned).
        const front = renderProxyView(res.proxy, res.proxy.imageFrame.camera);
        const mask = faceMask(pre);
        const db = psnr(front, pre.image512, mask);
        console.log(`${file}: input-view PSNR inside the face mask ${db.toFixed(2)} dB`);
        expect(db).toBeGreaterThanOrEqual(25);
        await writeViewGrid(file.replace(/\.[a-z]+$/, ''), pre.image256, res.views);

        // Identity: every view within +-45 degrees of the input's azimuth, on white.
        if (!pre.face) return;
        const inputAz = res.proxy.imageFrame.azimuthDeg;
        const report: string[] = [];
        const sims: number[] = [];
        for (const [i, az] of VIEW_AZIMUTHS_DEG.entries()) {
          if (Math.abs(az - inputAz) > 45) continue;
          const seen = await analyzeFace(compositeOnWhite(res.views[i]));
          const sim = seen ? cosineSimilarity(seen.embedding, pre.face.embedding) : 0;
          sims.push(sim);
          report.push(`${az.toFixed(1)}:${seen ? sim.toFixed(3) : 'no face'}`);
        }
        console.log(`${file}: identity per view (azimuth:cosine) ${report.join(' ')}`);
        if (FRONTAL_FIXTURES.includes(file)) {
          expect(sims.length).toBe(7);
          for (const [k, sim] of sims.entries()) expect(sim, `identity ${report[k]}`).toBeGreaterThanOrEqual(0.6);
        }
      },
      TIMEOUT,
    );
  }
});

describe('weight-free views: consistency, seeds, Gaussians, bad input', () => {
  it(
    'neighbouring views agree when re-projected through the proxy depth',
    async () => {
      const pre = await loadPreprocessed('hq-0003-matted-rgba.png');
      const size = 192;
      const res = await generateWeightFreeViews(pre, { elevationDeg: 10, seed: 1, size });
      const cams = viewCameras(10, size);
      for (const [a, b] of [[0, 1], [2, 3], [4, 5], [7, 8], [11, 12]]) {
        const { err, pixels } = reprojectionError(res.proxy, cams[a], res.views[a], cams[b], res.views[b]);
        console.log(`re-projection ${VIEW_AZIMUTHS_DEG[a]} -> ${VIEW_AZIMUTHS_DEG[b]} deg: ${err.toFixed(2)} / 255 over ${pixels} px`);
        expect(pixels).toBeGreaterThan(size * size * 0.05);
        expect(err).toBeLessThan(14);
      }
    },
    TIMEOUT,
  );

  it(
    'the same seed gives the same views; another seed changes the back, not the observed face',
    async () => {
      const pre = await loadPreprocessed('hq-0002-matted-rgba.png');
      const req = { elevationDeg: pre.elevationDeg, seed: 3, size: 128 };
      const a = await generateWeightFreeViews(pre, req);
      const b = await generateWeightFreeViews(pre, req);
      const c = await generateWeightFreeViews(pre, { ...req, seed: 4 });
      for (let i = 0; i < 16; i++) expect(Buffer.compare(Buffer.from(a.views[i].data), Buffer.from(b.views[i].data))).toBe(0);
      const back = VIEW_AZIMUTHS_DEG.indexOf(180);
      expect(psnr(a.views[back], c.views[back])).toBeLessThan(40);
      expect(psnr(a.views[0], c.views[0])).toBeGreaterThan(psnr(a.views[back], c.views[back]) + 3);
    },
    TIMEOUT,
  );

  it(
    'seeds 20k-60k Gaussians on the proxy surface, finite, coloured like the front view',
    async () => {
      const pre = await loadPreprocessed('hq-0001-matted-rgba.png');
      const res = await generateWeightFreeViews(pre, { elevationDeg: pre.elevationDeg, seed: 1, size: 128 });
      const cloud = res.initialCloud!;
      expect(cloud.count).toBeGreaterThanOrEqual(20_000);
      expect(cloud.count).toBeLessThanOrEqual(60_000);
      for (const arr of [cloud.positions, cloud.scales, cloud.rotations, cloud.opacities, cloud.shDC]) {
        for (let i = 0; i < arr.length; i++) expect(Number.isFinite(arr[i])).toBe(true);
      }
      // Every Gaussian in the front view's frame lands on a rendered pixel of its silhouette or is
      // hidden behind it, and the visible ones carry the colour of the pixel they project to. The body
      // goes on past the frame, but the head keeps most of the seeds.
      const cam = res.proxy.imageFrame.camera;
      const front = renderProxyView(res.proxy, cam, 1);
      const vis = rasterizeTriangles(res.proxy.mesh.positions, res.proxy.mesh.indices, cam);
      let inside = 0;
      let inFrame = 0;
      let diff = 0;
      let visible = 0;
      const m = cam.worldToCamera;
      for (let g = 0; g < cloud.count; g++) {
        const p = [cloud.positions[g * 3], cloud.positions[g * 3 + 1], cloud.positions[g * 3 + 2]];
        const c = [0, 1, 2].map((r) => m[r * 4] * p[0] + m[r * 4 + 1] * p[1] + m[r * 4 + 2] * p[2] + m[r * 4 + 3]);
        const u = Math.floor(cam.fx * (c[0] / c[2]) + cam.cx);
        const v = Math.floor(cam.fy * (c[1] / c[2]) + cam.cy);
        if (u < 0 || v < 0 || u >= 512 || v >= 512) continue;
        inFrame++;
        const q = v * 512 + u;
        if (front.data[q * 4 + 3] > 0) inside++;
        if (Math.abs(vis.depth[q] - c[2]) < 0.001) {
          visible++;
          for (let k = 0; k < 3; k++) diff += Math.abs((0.5 + SH_C0 * cloud.shDC[g * 3 + k]) * 255 - front.data[q * 4 + k]);
        }
      }
      expect(inFrame / cloud.count).toBeGreaterThan(0.7);
      expect(inside / inFrame).toBeGreaterThan(0.97);
      expect(visible).toBeGreaterThan(cloud.count * 0.2);
      expect(diff / (visible * 3)).toBeLessThan(25);
    },
    TIMEOUT,
  );

  it(
    'a 3/4 portrait (the hq-0001 head rendered at azimuth 40) gives a frontal, same-identity azimuth-0 view',
    async () => {
      const { pre } = await loadTurnedPortrait('hq-0001-matted-rgba.png', 40);
      expect(pre.face, 'a face is found in the 3/4 render').not.toBeNull();
      const res = await generateWeightFreeViews(pre, { elevationDeg: pre.elevationDeg, seed: 1, size: 256 });
      await writeViewGrid('turned40-hq-0001', pre.image256, res.views);
      const seen = await analyzeFace(compositeOnWhite(res.views[0]));
      expect(seen, 'a face in the azimuth-0 view').not.toBeNull();
      const sim = cosineSimilarity(seen!.embedding, pre.face!.embedding);
      const view0Yaw2D = fitPose2D(seen!.landmarks).yawDeg;
      console.log(
        `3/4 input: landmark-model yaw ${pre.face!.yawDeg.toFixed(1)}, 2-D yaw ${fitPose2D(pre.face!.landmarks).yawDeg.toFixed(1)}, ` +
          `input camera at azimuth ${res.proxy.imageFrame.azimuthDeg.toFixed(1)}, view 0 yaw ${seen!.yawDeg.toFixed(1)} (2-D ${view0Yaw2D.toFixed(1)}), identity ${sim.toFixed(3)}`,
      );
      // The pose is undone: the input camera sits near the true 40 deg (the 2-D fit reads ~32 on this
      // proxy head, whose face relief is flatter than a real one), and view 0 looks at the face's front
      // by the landmark model's yaw and by the stricter 2-D yaw.
      expect(Math.abs(res.proxy.imageFrame.azimuthDeg)).toBeGreaterThanOrEqual(25);
      expect(Math.abs(seen!.yawDeg)).toBeLessThanOrEqual(10);
      expect(Math.abs(view0Yaw2D)).toBeLessThanOrEqual(15);
      expect(sim).toBeGreaterThanOrEqual(0.6);
    },
    TIMEOUT,
  );

  it(
    'a profile portrait (no face found) gets a canonical face on the side it faces: input camera near +-90 deg, a frontal face in view 0',
    async () => {
      // A weak detection on a profile outline (the landmark model has reported score ~0.7 at 85 deg,
      // landmarks that read as a 30 deg turn): the profile outline wins. fl-002 at 85 is taken with its
      // detection's score set to 0.7; its own render's score depends on how its lit side is painted
      // (0.92 since session 14), and the routing, not the detector, is under test here.
      const cases = [['hq-0001-matted-rgba.png', 80, false], ['hq-0001-matted-rgba.png', -80, false], ['fl-002-outdoor.png', 90, false], ['fl-002-outdoor.png', 85, true]] as const;
      for (const [file, az, weak] of cases) {
        const turned = (await loadTurnedPortrait(file, az)).pre;
        const pre = weak && turned.face ? { ...turned, face: { ...turned.face, score: 0.7 } } : turned;
        expect(pre.face === null || pre.face.score < 0.8, `the landmark model finds no face (or a weak one) at azimuth ${az}`).toBe(true);
        const logs: string[] = [];
        const res = await generateWeightFreeViews(pre, { elevationDeg: pre.elevationDeg, seed: 1, size: 256 }, { log: (m) => logs.push(m) });
        await writeViewGrid(`turned${az}-${file.replace(/(-matted-rgba)?\.[a-z]+$/, '')}`, pre.image256, res.views);
        expect(logs.join(' ')).toMatch(/profile facing image (left|right)/);
        // The user is told the face is a generic one, not theirs.
        expect(res.warnings.join(' ')).toMatch(/read as a profile.*generic face/);
        // The camera that saw the profile sits on the side the head was seen from.
        const inputAz = res.proxy.imageFrame.azimuthDeg;
        expect(Math.sign(inputAz)).toBe(Math.sign(az));
        expect(Math.abs(Math.abs(inputAz) - 90)).toBeLessThanOrEqual(15);
        const seen = await analyzeFace(compositeOnWhite(res.views[0]));
        console.log(`profile input ${file} at azimuth ${az}: input camera ${inputAz.toFixed(1)}, view 0 ${seen ? `yaw ${seen.yawDeg.toFixed(1)} (2-D ${fitPose2D(seen.landmarks).yawDeg.toFixed(1)})` : 'no face'}`);
        expect(seen, 'a face in the azimuth-0 view').not.toBeNull();
        expect(Math.abs(seen!.yawDeg)).toBeLessThan(10);
        expect(Math.abs(fitPose2D(seen!.landmarks).yawDeg)).toBeLessThan(20);
        // Side views still look like a head: every view covered, the back is not empty.
        for (const v of res.views) expect(alphaFraction(v)).toBeGreaterThan(0.05);
      }
    },
    TIMEOUT,
  );

  it('an empty foreground is a clear error; no face falls back to a silhouette head with a warning', async () => {
    const pre = await loadPreprocessed('hq-0003-matted-rgba.png');
    const empty: PreprocessResult = { ...pre, matte512: { width: 512, height: 512, data: new Float32Array(512 * 512) } };
    await expect(generateWeightFreeViews(empty, { elevationDeg: 0, seed: 1, size: 64 })).rejects.toThrow(/no foreground/);
    const noFace: PreprocessResult = { ...pre, face: null };
    const logs: string[] = [];
    const res = await generateWeightFreeViews(noFace, { elevationDeg: 0, seed: 1, size: 96 }, { log: (m) => logs.push(m) });
    expect(res.warnings.join(' ')).toMatch(/no face/);
    expect(logs.join(' ')).toMatch(/no face/);
    expect(res.proxy.faceSource).not.toBe('landmarks');
    for (const v of res.views) expect(alphaFraction(v)).toBeGreaterThan(0.05);
    await writeViewGrid('no-face-hq-0003', pre.image256, res.views);
    await expect(generateWeightFreeViews(pre, { elevationDeg: 0, seed: 1, size: 7 })).rejects.toThrow(RangeError);
    const blank = createRgba(64, 64);
    await expect(generateWeightFreeViews({ ...pre, image512: blank }, { elevationDeg: 0, seed: 1, size: 64 })).rejects.toThrow(/512x512/);
  }, TIMEOUT);
});
