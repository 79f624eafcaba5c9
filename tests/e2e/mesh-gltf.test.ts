/**
 * The exported head mesh in a real engine loader: three.js's GLTFLoader in Debian's Chromium loads the
 * GLB that `export-mesh` writes for a run (0-step draft run of a fixture portrait, 512^2 texture),
 * finds the ARKit morph targets by name, and renders it with jawOpen at 0 and at 1 (software WebGL).
 * The jawOpen = 1 render is saved as docs/screenshots/mesh-gltf-jaw-open.png (looked at: the mouth opens
 * on the tongue and the lower teeth; the hair shell gives the crown its volume and comes down to the
 * hairline; the cheeks beside the jaw carry the hair colour the views showed there, as hair hanging
 * below the jaw is not in the shell).
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportRunMesh } from '../../src/engine/mesh-export/export-run-mesh';
import { quickRun } from '../cli/quick-run';
import { launchChromium, repoRoot, screenshotPath, type Browser } from './harness';

const PAGE = `<!doctype html><html><head><meta charset="utf-8">
<script type="importmap">{ "imports": { "three": "/three/build/three.module.js" } }</script>
<style>body { margin: 0; background: #fff } canvas { display: block }</style></head><body>
<script type="module">
import * as THREE from 'three';
import { GLTFLoader } from '/three/examples/jsm/loaders/GLTFLoader.js';
const size = 512;
const renderer = new THREE.WebGLRenderer({ antialias: true, preserveDrawingBuffer: true });
renderer.setSize(size, size);
renderer.setClearColor(0xffffff, 1);
document.body.appendChild(renderer.domElement);
const scene = new THREE.Scene();
scene.add(new THREE.AmbientLight(0xffffff, 1.2));
const sun = new THREE.DirectionalLight(0xffffff, 1.6);
sun.position.set(0.3, 0.5, 1);
scene.add(sun);
// The run's input camera side: +z, orbit radius 1.5, fovy 10 degrees (the mesh is in the run's world).
const camera = new THREE.PerspectiveCamera(10, 1, 0.1, 10);
camera.position.set(0, 0, 1.5);
camera.lookAt(0, 0, 0);
const gltf = await new GLTFLoader().loadAsync('/head.glb');
scene.add(gltf.scene);
let mesh = null;
gltf.scene.traverse((o) => { if (o.isMesh && o.morphTargetDictionary) mesh = o; });
window.headInfo = {
  names: mesh ? Object.keys(mesh.morphTargetDictionary) : [],
  vertices: mesh ? mesh.geometry.attributes.position.count : 0,
};
window.renderJaw = (w) => {
  mesh.morphTargetInfluences[mesh.morphTargetDictionary.jawOpen] = w;
  renderer.render(scene, camera);
  const px = new Uint8Array(size * size * 4);
  const gl = renderer.getContext();
  gl.readPixels(0, 0, size, size, gl.RGBA, gl.UNSIGNED_BYTE, px);
  return Array.from(px);
};
window.ready = true;
</script></body></html>`;

let tmp: string;
let server: http.Server;
let url: string;
let browser: Browser;

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hf-mesh-gltf-'));
  const runDir = await quickRun(path.join(tmp, 'project', 'run'));
  const glb = path.join(tmp, 'head.glb');
  await exportRunMesh(runDir, { out: glb, format: 'glb', textureSize: 512 });
  const threeRoot = path.join(repoRoot, 'node_modules', 'three');
  server = http.createServer((req, res) => {
    const u = decodeURIComponent((req.url ?? '/').split('?')[0]);
    let file: string | null = null;
    let type = 'text/javascript';
    if (u === '/') {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(PAGE);
      return;
    }
    if (u === '/favicon.ico') {
      res.writeHead(204);
      res.end();
      return;
    }
    if (u === '/head.glb') {
      file = glb;
      type = 'model/gltf-binary';
    } else if (u.startsWith('/three/')) {
      const f = path.resolve(threeRoot, u.slice('/three/'.length));
      if (f.startsWith(threeRoot + path.sep)) file = f;
    }
    if (!file || !fs.existsSync(file)) {
      res.writeHead(404);
      res.end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': type });
    res.end(fs.readFileSync(file));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('the exported GLB in three.js (GLTFLoader, Chromium)', () => {
  it('loads with >= 52 ARKit morph targets; jawOpen = 1 opens the mouth in the render', async () => {
    const page = await browser.newPage();
    await page.setViewportSize({ width: 512, height: 512 });
    await page.goto(url);
    await page.waitForFunction(() => (window as unknown as { ready?: boolean }).ready === true, null, {
      timeout: 120_000,
    });
    const info = await page.evaluate(
      () => (window as unknown as { headInfo: { names: string[]; vertices: number } }).headInfo,
    );
    expect(info.vertices).toBeGreaterThan(20000);
    expect(info.names.length).toBeGreaterThanOrEqual(52);
    for (const n of ['jawOpen', 'eyeBlinkLeft', 'eyeBlinkRight', 'mouthSmileLeft', 'browInnerUp'])
      expect(info.names).toContain(n);

    type RenderWindow = { renderJaw(w: number): number[] };
    const closed = await page.evaluate(() => (window as unknown as RenderWindow).renderJaw(0));
    const open = await page.evaluate(() => (window as unknown as RenderWindow).renderJaw(1));
    await page.screenshot({ path: screenshotPath('mesh-gltf-jaw-open.png') });
    // The head fills a good part of the frame (not a blank canvas); the jaw drop changes a patch
    // centred on the lower middle of the face (the mouth and chin), nothing else.
    const size = 512;
    let head = 0;
    let changed = 0;
    let cx = 0;
    let cy = 0;
    for (let i = 0; i < closed.length; i += 4) {
      const lumC = closed[i] + closed[i + 1] + closed[i + 2];
      const lumO = open[i] + open[i + 1] + open[i + 2];
      if (lumC < 3 * 250) head++;
      if (Math.abs(lumC - lumO) > 60) {
        changed++;
        const p = i / 4;
        cx += p % size;
        cy += size - 1 - Math.floor(p / size); // readPixels rows run bottom-up
      }
    }
    expect(head / (size * size)).toBeGreaterThan(0.05);
    expect(changed).toBeGreaterThan(300);
    expect(cx / changed / size).toBeGreaterThan(0.4);
    expect(cx / changed / size).toBeLessThan(0.6);
    expect(cy / changed / size).toBeGreaterThan(0.5);
    expect(cy / changed / size).toBeLessThan(0.85);
    expect(browser.errors, browser.errors.join('\n')).toEqual([]);
  });
});
