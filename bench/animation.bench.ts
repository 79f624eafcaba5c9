/**
 * Animation export, stylize and rig timings. The headline figure is the bar: a 4 s, 512x512,
 * 30 fps turntable (120 frames) of a 65,536-Gaussian head to MP4, end to end, < 60 s. The split says
 * where the time goes: native rendering alone, Chromium encoding alone (pre-rendered frames),
 * browser start-up (a 1-frame encode), and the end-to-end run where rendering and encoding overlap.
 */
import { exportAnimation, encodeVideoInChromium } from '../src/engine/animation';
import { renderCloudAsync, toRgba8 } from '../src/engine/raster';
import { deformCloud, pathCameras, prepareRig } from '../src/shared/animation';
import type { RgbaImage } from '../src/shared/image';
import { restyleCloud, stylizeImage } from '../src/shared/stylize';
import { makeHeadCloud } from '../tests/animation/head-cloud';
import { loadPortrait } from '../tests/stylize/fixture';
import { timeMs, type Bench } from './harness';
import os from 'node:os';
import path from 'node:path';

const SIZE = 512;
const timing = { durationS: 4, fps: 30 };

export const benches: Bench[] = [
  {
    name: 'animation: 4 s 512x512 30 fps turntable, 65k Gaussians',
    async run() {
      const { cloud } = makeHeadCloud(65_536);
      const cameras = pathCameras({ kind: 'turntable', elevationDeg: 5 }, timing, {
        width: SIZE,
        height: SIZE,
      });
      const frames: RgbaImage[] = [];
      let t0 = performance.now();
      for (const cam of cameras)
        frames.push(toRgba8(await renderCloudAsync(cloud, cam, { background: [1, 1, 1] }), { opaque: true }));
      const renderS = (performance.now() - t0) / 1000;
      const enc = async (container: 'mp4' | 'webm', n: number) => {
        const t = performance.now();
        await encodeVideoInChromium((i) => frames[i], {
          container,
          width: SIZE,
          height: SIZE,
          fps: 30,
          frameCount: n,
        });
        return (performance.now() - t) / 1000;
      };
      const startupS = await enc('mp4', 1);
      const encodeMp4S = await enc('mp4', frames.length);
      const encodeWebmS = await enc('webm', frames.length);
      t0 = performance.now();
      const res = await exportAnimation(cloud, {
        format: 'mp4',
        out: path.join(os.tmpdir(), 'headforge-bench-turntable.mp4'),
        path: { kind: 'turntable', elevationDeg: 5 },
        ...timing,
        width: SIZE,
        height: SIZE,
      });
      const totalS = (performance.now() - t0) / 1000;
      return [
        { name: 'turntable mp4 end-to-end (render + encode, overlapped)', value: totalS, unit: 's' },
        { name: 'turntable render only (120 frames, native CPU)', value: renderS, unit: 's' },
        { name: 'turntable render per frame', value: (renderS * 1000) / frames.length, unit: 'ms' },
        { name: 'turntable encode only, H.264/MP4 in Chromium', value: encodeMp4S, unit: 's' },
        { name: 'turntable encode only, VP9/WebM in Chromium', value: encodeWebmS, unit: 's' },
        { name: 'Chromium start-up + 1-frame encode', value: startupS, unit: 's' },
        { name: 'turntable mp4 size', value: res.bytes / 1024, unit: 'KiB' },
      ];
    },
  },
  {
    name: 'stylize: 2D styles at 512x512, 3D restyle and expression rig on 65k Gaussians',
    async run() {
      const img = await loadPortrait('hq-0002-matted-rgba.png', 512);
      const { cloud, anchors } = makeHeadCloud(65_536);
      const rig = prepareRig(anchors);
      return [
        {
          name: 'cel 512x512',
          value: await timeMs(() => stylizeImage(img, { style: 'cel', strength: 0.7 }), 3),
          unit: 'ms',
        },
        {
          name: 'pencil 512x512',
          value: await timeMs(() => stylizeImage(img, { style: 'pencil', strength: 0.7 }), 3),
          unit: 'ms',
        },
        {
          name: 'painterly 512x512 (strength 1, radius 6)',
          value: await timeMs(() => stylizeImage(img, { style: 'painterly', strength: 1 }), 3),
          unit: 'ms',
        },
        {
          name: 'restyle 65k: hue/sat + posterize',
          value: await timeMs(() =>
            restyleCloud(cloud, [
              { kind: 'hueSaturation', hueDeg: 20, saturation: 1.3 },
              { kind: 'posterize', levels: 4 },
            ]),
          ),
          unit: 'ms',
        },
        {
          name: 'expression rig deform 65k (all four)',
          value: await timeMs(() =>
            deformCloud(cloud, rig, { blink: 1, smile: 1, jawOpen: 0.5, browRaise: 0.5 }),
          ),
          unit: 'ms',
        },
      ];
    },
  },
];
