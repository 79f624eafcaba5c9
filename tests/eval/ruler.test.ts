/**
 * The ruler (issue 15 part 1): ground-truth cameras with their own intrinsics and distance map into
 * the pipeline's frame through the input view (preprocessing's crop, the GT focal length, the
 * pipeline's camera), so that the input view lines up pixel for pixel.
 *
 * "The input view scored against itself": the pipeline's head is built so that its input camera sees
 * the preprocessed crop. The test head here is exactly that and nothing else: one flat Gaussian per
 * crop pixel on the pipeline's mid-plane, placed where the pipeline camera sees that pixel (a perfect
 * pipeline, for the input view). It goes through the real preprocessing of the real GT input image
 * (facelift-mvd-000 cam_000: fx = fy = 549 px at 512, 2.7 units away, world +z up) and the real
 * protocol (scoreSubject); its render at the mapped GT input camera must match the GT image inside
 * the crop window (what the pipeline was given): mask IoU >= 0.95 and PSNR >= 24 dB on white, at the
 * pipeline elevation the GT says (0) and at one it does not (13, the old auto estimate), and at two
 * pipeline fields of view. The whole-frame scores are printed: the GT's shoulders reach past the crop,
 * which no head built from the crop can know about.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/index';
import {
  cameraLookAt,
  DEFAULT_FOVY_DEG,
  orbitCamera,
  projectPoint,
  type RasterCamera,
  type Vec3,
} from '../../src/shared/camera';
import { allocateCloud, SH_C0, type GaussianCloud } from '../../src/shared/gaussians/cloud';
import type { RgbaImage } from '../../src/shared/image';
import {
  folderSubject,
  mapCamerasToPipeline,
  pipelineFrameBox,
  portraitFovyDeg,
  profileViewOf,
  rigElevationDeg,
  scoreSubject,
  type CandidateHead,
  type CropTransform,
} from '../../src/engine/eval';
import { encodePng } from '../../src/engine/image-io';
import { preprocessPortrait } from '../../src/engine/preprocess';
import { requireNativeAddon } from '../native-required';
import { repoRoot } from './helpers/test-head';

const GT = path.resolve(repoRoot, '../shared/fixtures/gt/facelift-mvd-000');

/** A camera at `eye` looking at `target` with world +z up (the FaceLift convention), fx = fy = f. */
function zUpCamera(eye: Vec3, target: Vec3, size: number, f: number): RasterCamera {
  // cameraLookAt assumes +y up: build it in a y-up frame and rotate the world (x, y, z) -> (x, z, -y).
  const toYUp = (p: Vec3): Vec3 => [p[0], p[2], -p[1]];
  const c = cameraLookAt(toYUp(eye), toYUp(target), size, size);
  const m = c.worldToCamera;
  // p_yup = A p_zup with A rows (1,0,0), (0,0,1), (0,-1,0): R' = R A.
  const w = new Float64Array(12);
  for (let r = 0; r < 3; r++) {
    w[r * 4] = m[r * 4];
    w[r * 4 + 1] = -m[r * 4 + 2];
    w[r * 4 + 2] = m[r * 4 + 1];
    w[r * 4 + 3] = m[r * 4 + 3];
  }
  return { ...c, fx: f, fy: f, worldToCamera: w };
}

/**
 * The perfect head for the input view: one flat, opaque Gaussian per crop pixel with alpha > 1/2 on
 * the plane through the origin facing the pipeline camera, where that camera sees the pixel's centre.
 */
function cropBillboard(crop: RgbaImage, cam: RasterCamera): GaussianCloud {
  const m = cam.worldToCamera;
  const R = m[11]; // the camera's distance to the origin (it looks at it)
  const pitch = R / cam.fy;
  const idx: number[] = [];
  for (let i = 0; i < crop.width * crop.height; i++) if (crop.data[i * 4 + 3] > 127) idx.push(i);
  const cloud = allocateCloud(idx.length);
  const q = rotationQuaternion(m);
  idx.forEach((p, n) => {
    const u = (p % crop.width) + 0.5,
      v = Math.floor(p / crop.width) + 0.5;
    const X = (u - cam.cx) * pitch,
      Y = (v - cam.cy) * pitch;
    // Camera space (X, Y, R) -> world: R^T (x - t).
    const xc = [X - m[3], Y - m[7], R - m[11]];
    for (let k = 0; k < 3; k++)
      cloud.positions[n * 3 + k] = m[k] * xc[0] + m[4 + k] * xc[1] + m[8 + k] * xc[2];
    // In-plane sigma: 0.6 crop pixel; a hair thick along the view axis (local z = camera z).
    cloud.scales.set([Math.log(0.6 * pitch), Math.log(0.6 * pitch), Math.log(0.05 * pitch)], n * 3);
    cloud.rotations.set(q, n * 4);
    cloud.opacities[n] = 6; // sigmoid 0.9975
    for (let c = 0; c < 3; c++) cloud.shDC[n * 3 + c] = (crop.data[p * 4 + c] / 255 - 0.5) / SH_C0;
  });
  return cloud;
}

/** Quaternion (w x y z) of the rotation whose columns are the camera's axes in world (R^T). */
function rotationQuaternion(m: Float64Array): number[] {
  // Rotation matrix M = R^T: M[i][j] = R[j][i] = m[j * 4 + i].
  const M = (i: number, j: number) => m[j * 4 + i];
  const tr = M(0, 0) + M(1, 1) + M(2, 2);
  if (tr > 0) {
    const s = Math.sqrt(tr + 1) * 2;
    return [0.25 * s, (M(2, 1) - M(1, 2)) / s, (M(0, 2) - M(2, 0)) / s, (M(1, 0) - M(0, 1)) / s];
  }
  if (M(0, 0) > M(1, 1) && M(0, 0) > M(2, 2)) {
    const s = Math.sqrt(1 + M(0, 0) - M(1, 1) - M(2, 2)) * 2;
    return [(M(2, 1) - M(1, 2)) / s, 0.25 * s, (M(0, 1) + M(1, 0)) / s, (M(0, 2) + M(2, 0)) / s];
  }
  if (M(1, 1) > M(2, 2)) {
    const s = Math.sqrt(1 + M(1, 1) - M(0, 0) - M(2, 2)) * 2;
    return [(M(0, 2) - M(2, 0)) / s, (M(0, 1) + M(1, 0)) / s, 0.25 * s, (M(1, 2) + M(2, 1)) / s];
  }
  const s = Math.sqrt(1 + M(2, 2) - M(0, 0) - M(1, 1)) * 2;
  return [(M(1, 0) - M(0, 1)) / s, (M(0, 2) + M(2, 0)) / s, (M(1, 2) + M(2, 1)) / s, 0.25 * s];
}

describe('the ruler: GT cameras mapped through the input view', () => {
  it('points of the mid-plane land where the crop puts them, whatever the GT focal length, distance, offset and the pipeline elevation and fovy', () => {
    const centre: Vec3 = [0.3, -0.2, 1.1];
    for (const { f, dist, crop, elev, fovy, az, camDist } of [
      { f: 549, dist: 2.7, crop: { scale: 1.4066, offsetX: 77, offsetY: 85, size: 512 }, elev: 0, fovy: 10 },
      { f: 549, dist: 2.7, crop: { scale: 1.4066, offsetX: 77, offsetY: 85, size: 512 }, elev: 13, fovy: 10 },
      { f: 1200, dist: 9, crop: { scale: 0.8, offsetX: -40, offsetY: 130, size: 512 }, elev: -8, fovy: 20 },
      { f: 300, dist: 1.2, crop: { scale: 2.5, offsetX: 120, offsetY: 60, size: 512 }, elev: 30, fovy: 6 },
      // A turned face's input camera with a fitted lens (resolved.inputCamera).
      {
        f: 549,
        dist: 2.7,
        crop: { scale: 1.3545, offsetX: 105, offsetY: 86, size: 512 },
        elev: 5,
        fovy: 45,
        az: -60,
        camDist: 0.3,
      },
    ] as {
      f: number;
      dist: number;
      crop: CropTransform;
      elev: number;
      fovy: number;
      az?: number;
      camDist?: number;
    }[]) {
      const gtCams = [0, 90, 180].map((az) => {
        const a = (az * Math.PI) / 180;
        return zUpCamera(
          [centre[0] + dist * Math.sin(a), centre[1] - dist * Math.cos(a), centre[2]],
          centre,
          512,
          f,
        );
      });
      const inputCamera = { azimuthDeg: az ?? 0, fovyDeg: fovy, distance: camDist ?? 1.5 };
      const m = mapCamerasToPipeline(gtCams, 0, centre, elev, { crop, fovyDeg: fovy, inputCamera });
      const P = orbitCamera(inputCamera.azimuthDeg, elev, crop.size, fovy, inputCamera.distance);
      const M = m.cameras[0];
      let worst = 0;
      let worstCentral = 0;
      const R = inputCamera.distance;
      const half = R * Math.tan((fovy * Math.PI) / 360);
      for (const a of [-1, -0.5, 0, 0.5, 1])
        for (const b of [-1, -0.3, 0, 0.7, 1]) {
          // Mid-plane point seen by P at crop pixel c_p + f_p (X, Y) / R: in P's camera frame (X, Y, R).
          const X = a * half,
            Y = b * half;
          const w = P.worldToCamera;
          const xc = [X - w[3], Y - w[7], R - w[11]];
          const p: Vec3 = [0, 1, 2].map((k) => w[k] * xc[0] + w[4 + k] * xc[1] + w[8 + k] * xc[2]) as Vec3;
          const inCrop = projectPoint(P, p);
          const expected = [inCrop[0] / crop.scale + crop.offsetX, inCrop[1] / crop.scale + crop.offsetY];
          const got = projectPoint(M, p);
          const err = Math.hypot(got[0] - expected[0], got[1] - expected[1]);
          worst = Math.max(worst, err);
          if (Math.abs(a) <= 0.5 && Math.abs(b) <= 0.5) worstCentral = Math.max(worstCentral, err);
        }
      // Exact at the crop centre's ray; off it, second order in the angle between that ray and the GT
      // axis (the crop of an off-centre part of a perspective image is not quite a centred view).
      process.stderr.write(
        `ruler: f ${f}, distance ${dist}, elevation ${elev}, fovy ${fovy}, ${m.offAxisDeg.toFixed(2)} deg off axis: mid-plane error ${worstCentral.toFixed(3)} px (central half), ${worst.toFixed(3)} px (frame corners)\n`,
      );
      expect(worstCentral).toBeLessThan(1);
      expect(worst).toBeLessThan(4);
      // The crop window is the pipeline frame seen from the mapped input camera.
      // (The views' frame: the input camera's at the head centre, 2 R tan(fovy / 2) = 2 * 1.5 * tan(fovy_views / 2).)
      const viewsFovy = (2 * Math.atan((R * Math.tan((fovy * Math.PI) / 360)) / 1.5) * 180) / Math.PI;
      const box = pipelineFrameBox(M, viewsFovy)!;
      const win = {
        x0: crop.offsetX,
        y0: crop.offsetY,
        x1: crop.offsetX + crop.size / crop.scale,
        y1: crop.offsetY + crop.size / crop.scale,
      };
      for (const k of ['x0', 'y0', 'x1', 'y1'] as const) {
        const clipped = Math.min(512, Math.max(0, win[k]));
        expect(Math.abs(box[k] - clipped), `${k}: ${box[k]} vs ${clipped}`).toBeLessThanOrEqual(4);
      }
    }
  });

  it('reads the rig: elevation from cameras without roll, the profile view of the front', () => {
    const centre: Vec3 = [0, 0, 0];
    for (const e of [0, 20, -10]) {
      const cams = [0, 45, 90, 180, 270, 315].map((az) => {
        const a = (az * Math.PI) / 180,
          el = (e * Math.PI) / 180;
        return zUpCamera(
          [2.7 * Math.cos(el) * Math.sin(a), -2.7 * Math.cos(el) * Math.cos(a), 2.7 * Math.sin(el)],
          centre,
          512,
          549,
        );
      });
      expect(rigElevationDeg(cams, 0, centre)).toBeCloseTo(e, 6);
      expect(profileViewOf(cams, 0, centre)).toBe(2); // 90 deg (270 is as far; the lower index wins)
      expect(profileViewOf(cams, 3, centre)).toBe(2);
    }
  });

  it("reads the portrait's lens from the input camera, at the portrait's own size", () => {
    // facelift-mvd's cameras: fx = fy = 549 px at 512, about 50 degrees.
    const cam = zUpCamera([0, -2.7, 0], [0, 0, 0], 512, 549);
    expect(portraitFovyDeg(cam, 512)).toBeCloseTo((2 * Math.atan(256 / 549) * 180) / Math.PI, 9);
    // The same lens given at the views' 256 px for a 512 px portrait (mesh ground truth): unchanged.
    expect(portraitFovyDeg(orbitCamera(0, 20, 256), 512)).toBeCloseTo(DEFAULT_FOVY_DEG, 9);
  });

  it('facelift-mvd-000 profile-to-frontal: the profile (cam_002, 90 deg) is the input, the front (cam_000) the headline; bad flags refused', async () => {
    const s = await folderSubject(GT, { protocol: 'profile-to-frontal' });
    expect(s.protocol).toBe('profile-to-frontal');
    expect(s.views[s.scoreIndex!].label).toBe('cam_000.png');
    expect(s.views[s.inputIndex].label).toBe('cam_002.png');
    expect(s.portrait).toBe(s.views[2].image);
    expect(s.elevationDeg).toBeCloseTo(0, 4);
    // By hand, and out of range.
    const h = await folderSubject(GT, { inputView: 4, scoreView: 1, detectFace: async () => null });
    expect([h.inputIndex, h.scoreIndex]).toEqual([4, 1]);
    await expect(folderSubject(GT, { scoreView: 6 })).rejects.toThrow(/score view 6 does not exist/);
    const err = new PassThrough();
    let text = '';
    err.on('data', (d: Buffer) => (text += d.toString()));
    expect(
      await main(['eval', '--gt', GT, '--protocol', 'sideways'], { stdout: new PassThrough(), stderr: err }),
    ).toBe(2);
    expect(text).toMatch(/--protocol must be input-view or profile-to-frontal/);
  }, 60_000);

  it(
    'facelift-mvd-000: the input view scored against itself lines up (framed mask IoU >= 0.95, PSNR >= 24 dB)',
    async () => {
      requireNativeAddon(); // fails, never skips, without the addon
      const subject = await folderSubject(GT, { inputView: 0 });
      expect(subject.elevationDeg).toBeCloseTo(0, 4);
      const pre = await preprocessPortrait(await encodePng(subject.portrait));
      const crop: CropTransform = { ...pre.framing, size: 512 };
      const out = await fs.mkdtemp(path.join(os.tmpdir(), 'hf-ruler-'));
      // The pipeline's input camera: view 0 at two elevations and two fields of view, and a turned face's
      // camera with a fitted wide lens (azimuth 40, fovy 45, at the distance that keeps the pixel size).
      for (const [az, elev, fovy, dist] of [
        [0, 0, 10, 1.5],
        [0, 13, 10, 1.5],
        [0, 0, 25, 1.5],
        [40, 5, 45, (1.5 * Math.tan((5 * Math.PI) / 180)) / Math.tan((22.5 * Math.PI) / 180)],
      ]) {
        const inputCamera = { azimuthDeg: az, elevationDeg: elev, fovyDeg: fovy, distance: dist };
        const candidate: CandidateHead = {
          runDir: out,
          cloud: cropBillboard(pre.image512, orbitCamera(az, elev, 512, fovy, dist)),
          views: null,
          elevationDeg: elev,
          // The views' fovy: their frame at the orbit centre is the input camera's (same pixel size).
          fovyDeg: (2 * Math.atan((dist * Math.tan((fovy * Math.PI) / 360)) / 1.5) * 180) / Math.PI,
          viewSize: 256,
          stageTimings: {},
          pipelineS: 0,
          framing: crop,
          inputCamera,
          inputSha256: null,
          warnings: [],
        };
        const report = await scoreSubject(subject, candidate, {
          subjectDir: path.join(out, `a${az}-e${elev}-f${fovy}`),
          outDir: out,
          settings: { backend: 'default', seed: 0, quality: 'draft', elevation: 'gt' },
          detectFace: async () => null,
          madeFromPortrait: true,
        });
        expect(report.mapping.cropSource).toBe('recorded by the run');
        const v = report.views[0];
        process.stderr.write(
          `ruler: input camera azimuth ${az}, elevation ${elev}, fovy ${fovy}: input view framed PSNR ${v.framed!.psnr.toFixed(2)} dB, SSIM ${v.framed!.ssim.toFixed(4)}, IoU ${v.framed!.maskIoU.toFixed(4)} ` +
            `in [${v.framed!.box.x0}, ${v.framed!.box.x1}) x [${v.framed!.box.y0}, ${v.framed!.box.y1}); whole frame PSNR ${v.unaligned.psnr.toFixed(2)}, IoU ${v.unaligned.maskIoU.toFixed(4)}; ` +
            `align scale ${v.alignment.scale.toFixed(3)}\n`,
        );
        expect(v.framed!.maskIoU).toBeGreaterThanOrEqual(0.95);
        expect(v.framed!.psnr).toBeGreaterThanOrEqual(24);
        // The window is the crop: (offset, offset + 512 / scale), clipped to the image.
        expect(Math.abs(v.framed!.box.x0 - Math.max(0, crop.offsetX))).toBeLessThanOrEqual(3);
        expect(
          Math.abs(v.framed!.box.y1 - Math.min(512, crop.offsetY + 512 / crop.scale)),
        ).toBeLessThanOrEqual(3);
      }
      await fs.rm(out, { recursive: true, force: true });
    },
    600_000,
  );
});
