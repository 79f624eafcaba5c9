import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { exportAnimation } from '../../src/engine/animation';
import { cameraForPose, poseAt } from '../../src/shared/animation';
import { renderCloud, toRgba8 } from '../../src/engine/raster';
import { makeHeadCloud } from './head-cloud';
import { decodeFrames, meanAbsDiff, probeVideo, requireFfmpeg } from './media-probe';

const outDir = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../test-output/animation');
const { cloud, anchors } = makeHeadCloud(6000);
const SIZE = 128;
const timing = { durationS: 1, fps: 12 }; // 12 frames: 30 degrees apart on the turntable

describe('animation export (native render -> Chromium WebCodecs / GIF / PNG)', () => {
  beforeAll(() => {
    requireFfmpeg();
    fs.mkdirSync(outDir, { recursive: true });
  });

  for (const [format, codec] of [
    ['mp4', 'h264'],
    ['webm', 'vp9'],
  ] as const) {
    it(`${format}: ${codec} stream with the right frame count and size, frames change as the camera turns`, async () => {
      const out = path.join(outDir, `turntable.${format}`);
      const progress: number[] = [];
      const res = await exportAnimation(cloud, {
        format,
        out,
        path: { kind: 'turntable', elevationDeg: 5 },
        ...timing,
        width: SIZE,
        height: SIZE,
        background: [0.1, 0.1, 0.12],
        onProgress: (d) => progress.push(d),
      });
      expect(res.frameCount).toBe(12);
      expect(progress.at(-1)).toBe(12);
      const probe = probeVideo(out);
      expect(probe).toMatchObject({ codec, width: SIZE, height: SIZE, frames: 12 });
      expect(probe.fps).toBeCloseTo(12, 3);
      const frames = decodeFrames(out, SIZE, SIZE);
      expect(frames).toHaveLength(12);
      // Consecutive frames differ (the head turns), the back view differs most from the front.
      for (let i = 1; i < frames.length; i++)
        expect(meanAbsDiff(frames[i - 1], frames[i])).toBeGreaterThan(1);
      expect(meanAbsDiff(frames[0], frames[6])).toBeGreaterThan(meanAbsDiff(frames[0], frames[1]));
      // The decoded first frame is the native render of the first camera, up to lossy coding.
      const cam = cameraForPose(poseAt({ kind: 'turntable', elevationDeg: 5 }, 0, 1), {
        width: SIZE,
        height: SIZE,
      });
      const ref = toRgba8(renderCloud(cloud, cam, { background: [0.1, 0.1, 0.12] }), { opaque: true });
      expect(meanAbsDiff(frames[0], ref.data, 3, 4)).toBeLessThan(4);
    });
  }

  it('png sequence keeps a transparent background; gif has every frame', async () => {
    const dir = path.join(outDir, 'png-seq');
    fs.rmSync(dir, { recursive: true, force: true });
    const res = await exportAnimation(cloud, {
      format: 'png',
      out: dir,
      path: { kind: 'orbit' },
      durationS: 0.5,
      fps: 8,
      width: SIZE,
      height: SIZE,
    });
    expect(res.files).toHaveLength(4);
    const { data, info } = await sharp(res.files[0]).raw().toBuffer({ resolveWithObject: true });
    expect(info.channels).toBe(4);
    expect(data[3]).toBe(0); // corner: background
    expect(data[((SIZE / 2) * SIZE + SIZE / 2) * 4 + 3]).toBe(255); // centre: the face

    const gif = path.join(outDir, 'nod.gif');
    await exportAnimation(cloud, {
      format: 'gif',
      out: gif,
      path: { kind: 'nod' },
      durationS: 0.5,
      fps: 10,
      width: SIZE,
      height: SIZE,
    });
    const meta = await sharp(gif, { animated: true }).metadata();
    expect(meta.pages).toBe(5);
    expect(meta.width).toBe(SIZE);
    expect(meta.pageHeight).toBe(SIZE);
  });

  it('expression track: eyes close mid-clip with a still camera', async () => {
    const dir = path.join(outDir, 'blink');
    fs.rmSync(dir, { recursive: true, force: true });
    const res = await exportAnimation(cloud, {
      format: 'png',
      out: dir,
      path: { kind: 'keyframes', keyframes: [{ timeS: 0, azimuthDeg: 0, elevationDeg: 0, fovyDeg: 6 }] },
      durationS: 1,
      fps: 4,
      width: SIZE,
      height: SIZE,
      expression: { anchors, track: { kind: 'pulse', expressions: ['blink'] } },
    });
    const [open, , closed] = await Promise.all(res.files.slice(0, 3).map((f) => sharp(f).raw().toBuffer()));
    // Eye band (rows around the eyes) changes a lot, the chin rows do not.
    const band = (buf: Buffer, y0: number, y1: number) => buf.subarray(y0 * SIZE * 4, y1 * SIZE * 4);
    const eyeRows = [38, 58] as const;
    const chinRows = [100, 120] as const;
    expect(meanAbsDiff(band(open, ...eyeRows), band(closed, ...eyeRows), 4, 4)).toBeGreaterThan(3);
    expect(meanAbsDiff(band(open, ...chinRows), band(closed, ...chinRows), 4, 4)).toBeLessThan(0.5);
  });

  it('cancel stops the export with an AbortError; bad requests are refused', async () => {
    const ctl = new AbortController();
    const run = exportAnimation(cloud, {
      format: 'mp4',
      out: path.join(outDir, 'cancelled.mp4'),
      path: { kind: 'turntable' },
      durationS: 10,
      fps: 30,
      width: SIZE,
      height: SIZE,
      signal: ctl.signal,
      onProgress: (d) => d === 3 && ctl.abort(),
    });
    await expect(run).rejects.toThrow(/cancel/);
    await expect(
      exportAnimation(cloud, {
        format: 'mp4',
        out: 'x.mp4',
        path: { kind: 'turntable' },
        durationS: 1,
        fps: 10,
        width: 64,
        height: 64,
        transparent: true,
      }),
    ).rejects.toThrow(/transparen/);
    await expect(
      exportAnimation(cloud, {
        format: 'webm',
        out: 'x.webm',
        path: { kind: 'turntable' },
        durationS: 1,
        fps: 10,
        width: 63,
        height: 64,
      }),
    ).rejects.toThrow(/even/);
    await expect(
      exportAnimation(cloud, {
        format: 'avi' as never,
        out: 'x.avi',
        path: { kind: 'turntable' },
        durationS: 1,
        fps: 10,
        width: 64,
        height: 64,
      }),
    ).rejects.toThrow(/unknown animation format/);
  });
});
