/**
 * Writes the raster bench scene (bench/raster.bench.ts headLikeCloud, perturbed start, 16 orbit cameras)
 * as a flat binary for native/tools/raster_driver.cpp, so the kernels can be profiled without Node
 * (callgrind instruction counts are load-independent on this shared machine).
 * Usage: npx tsx native/tools/dump-scene.ts OUT.bin COUNT SIZE
 * Layout (little endian): int32 count, int32 shDegree, int32 views, int32 size; then for the truth and the
 * start cloud: positions[n*3] scales[n*3] rotations[n*4] opacities[n] shDC[n*3] shRest[n*45] (float32);
 * then per view: fx fy cx cy near far worldToCamera[12] (float64).
 */
import fs from 'node:fs';
import { viewCameras } from '../../src/shared/camera';
import { headLikeCloud } from '../../bench/raster.bench';

const [out, countArg, sizeArg] = process.argv.slice(2);
const count = Number(countArg ?? 65536);
const size = Number(sizeArg ?? 512);
const truth = headLikeCloud(count, 1);
const start = headLikeCloud(count, 1);
// Same perturbation idea as the bench: jitter positions and colours.
let s = 2;
const r = () => ((s = (s * 1103515245 + 12345) >>> 0), s / 4294967296);
for (let i = 0; i < start.positions.length; i++) start.positions[i] += (r() - 0.5) * 0.004;
for (let i = 0; i < start.shDC.length; i++) start.shDC[i] += (r() - 0.5) * 0.5;
const cams = viewCameras(10, size);
const parts: Buffer[] = [Buffer.from(new Int32Array([count, 3, cams.length, size]).buffer)];
for (const c of [truth, start])
  for (const a of [c.positions, c.scales, c.rotations, c.opacities, c.shDC, c.shRest]) parts.push(Buffer.from(a.buffer, a.byteOffset, a.byteLength));
for (const c of cams) parts.push(Buffer.from(new Float64Array([c.fx, c.fy, c.cx, c.cy, c.near, c.far, ...c.worldToCamera]).buffer));
fs.writeFileSync(out, Buffer.concat(parts));
