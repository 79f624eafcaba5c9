/**
 * An independent reader agrees: PLY, SPZ and .splat files written by HeadForge's codecs load in
 * @mkkellogg/gaussian-splats-3d (the viewer the studio and many web tools use) in Debian's Chromium
 * and render a non-blank picture with the cloud's colours. Screenshots: test-output/e2e/formats-*.png.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allocateCloud, SH_C0 } from '../../src/shared/gaussians/cloud';
import { encodeSplat, type SplatFormat } from '../../src/shared/splat';
import { hasChromium, launchChromium, repoRoot, type Browser } from './harness';

/** A ball of 4,000 Gaussians, red in the upper half (+y), blue in the lower half. */
function twoToneBall() {
  const n = 4000;
  const cloud = allocateCloud(n, 0);
  const golden = Math.PI * (3 - Math.sqrt(5));
  for (let i = 0; i < n; i++) {
    const y = 1 - (2 * (i + 0.5)) / n;
    const r = Math.sqrt(1 - y * y);
    const x = Math.cos(golden * i) * r;
    const z = Math.sin(golden * i) * r;
    cloud.positions.set([x * 0.1, y * 0.1, z * 0.1], i * 3);
    cloud.scales.fill(Math.log(0.006), i * 3, i * 3 + 3);
    cloud.opacities[i] = 4;
    const rgb = y > 0 ? [0.9, 0.1, 0.1] : [0.1, 0.2, 0.9];
    for (let c = 0; c < 3; c++) cloud.shDC[i * 3 + c] = (rgb[c] - 0.5) / SH_C0;
  }
  return cloud;
}

const PAGE = `<!doctype html><html><head><meta charset="utf-8">
<script type="importmap">{"imports":{"three":"/three/three.module.js","gs3d":"/gs3d/gaussian-splats-3d.module.js"}}</script>
<style>html,body{margin:0;background:#fff}</style></head><body>
<script type="module">
import * as THREE from 'three';
import * as GS from 'gs3d';
window.renderFile = async (url, format) => {
  const renderer = new THREE.WebGLRenderer({ antialias: false, preserveDrawingBuffer: true });
  renderer.setSize(256, 256);
  renderer.setClearColor(0xffffff, 1);
  document.body.appendChild(renderer.domElement);
  const camera = new THREE.PerspectiveCamera(15, 1, 0.01, 100);
  camera.position.set(0, 0, 1.5);
  camera.lookAt(0, 0, 0);
  const viewer = new GS.Viewer({ selfDrivenMode: false, renderer, camera, useBuiltInControls: false,
    sharedMemoryForWorkers: false, gpuAcceleratedSort: false, integerBasedSort: false });
  await viewer.addSplatScene(url, { format: GS.SceneFormat[format], showLoadingUI: false, progressiveLoad: false });
  for (let i = 0; i < 3; i++) {
    viewer.update();
    await viewer.runSplatSort(true, true);
    if (viewer.sortPromise) await viewer.sortPromise;
    viewer.render();
  }
  return renderer.domElement.toDataURL('image/png');
};
window.ready = true;
</script></body></html>`;

let server: http.Server;
let base = '';
let browser: Browser;
const files: Record<string, Uint8Array> = {};
/**
 * [format, file, viewer format, red on top in a y-up viewer]. PLY and .splat are written in the
 * 3DGS/COLMAP RDF convention (y down), so a y-up camera sees them upside down, as it sees any 3DGS
 * training output; SPZ is RUB (y up). docs/formats.md.
 */
const FORMATS: [SplatFormat, string, string, boolean][] = [
  ['ply', 'head.ply', 'Ply', false],
  ['spz', 'head.spz', 'Spz', true],
  ['splat', 'head.splat', 'Splat', false],
];

beforeAll(async () => {
  if (!hasChromium) return;
  const cloud = twoToneBall();
  for (const [format, name] of FORMATS) files[name] = encodeSplat(cloud, format);
  const roots: Record<string, string> = {
    three: path.join(repoRoot, 'node_modules/three/build'),
    gs3d: path.join(repoRoot, 'node_modules/@mkkellogg/gaussian-splats-3d/build'),
  };
  server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const [, root, ...rest] = url.pathname.split('/');
    const send = (body: string | Uint8Array, type: string) => {
      res.writeHead(200, { 'content-type': type });
      res.end(body);
    };
    if (url.pathname === '/') return send(PAGE, 'text/html');
    if (root === 'files' && files[rest[0]]) return send(files[rest[0]], 'application/octet-stream');
    const dir = roots[root];
    const name = rest.join('/');
    if (dir && /^[\w.-]+\.js$/.test(name) && fs.existsSync(path.join(dir, name))) {
      return send(fs.readFileSync(path.join(dir, name)), 'text/javascript');
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  server?.close();
});

describe.skipIf(!hasChromium)('splat files in gaussian-splats-3d (Chromium)', () => {
  for (const [, name, sceneFormat, redOnTop] of FORMATS) {
    it(`${name} loads and renders red and blue halves, ${redOnTop ? 'red' : 'blue'} on top`, async () => {
      const page = await browser.newPage();
      await page.goto(`${base}/`);
      await page.waitForFunction(() => (window as unknown as { ready?: boolean }).ready === true, null, { timeout: 30_000 });
      const dataUrl = await page.evaluate(
        ([u, f]) => (window as unknown as { renderFile: (u: string, f: string) => Promise<string> }).renderFile(u, f),
        [`${base}/files/${name}`, sceneFormat] as const,
      );
      await page.close();
      const png = Buffer.from(dataUrl.split(',')[1], 'base64');
      const outDir = path.join(repoRoot, 'test-output/e2e');
      fs.mkdirSync(outDir, { recursive: true });
      fs.writeFileSync(path.join(outDir, `formats-${name.replace('.', '-')}.png`), png);
      const { data, info } = await sharp(png).removeAlpha().raw().toBuffer({ resolveWithObject: true });
      let red = 0;
      let blue = 0;
      let redRows = 0; // sum of the row index of red pixels, to find which half they are in
      for (let p = 0; p < info.width * info.height; p++) {
        const [r, g, b] = [data[p * 3], data[p * 3 + 1], data[p * 3 + 2]];
        if (r > 150 && g < 100 && b < 100) {
          red++;
          redRows += Math.floor(p / info.width);
        }
        if (b > 150 && r < 100) blue++;
      }
      const redMeanRow = redRows / Math.max(1, red);
      expect(redOnTop ? redMeanRow < info.height / 2 : redMeanRow > info.height / 2).toBe(true);
      const total = info.width * info.height;
      expect(red / total).toBeGreaterThan(0.02);
      expect(blue / total).toBeGreaterThan(0.02);
    });
  }
});
