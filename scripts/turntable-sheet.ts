/**
 * Look at a head: render a PLY from 8 azimuths at two elevations (native rasterizer) into one PNG.
 * usage: npx tsx scripts/turntable-sheet.ts head.ply out.png [size]
 */
import fs from 'node:fs';
import { orbitCamera } from '../src/shared/camera';
import { decodeSplat } from '../src/shared/splat';
import { renderCloud, toRgba8 } from '../src/engine/raster';
import { gridImage, writePng } from '../src/engine/image-io';

const [file, out, sizeArg] = process.argv.slice(2);
if (!file || !out) {
  console.error('usage: npx tsx scripts/turntable-sheet.ts head.ply out.png [size]');
  process.exit(2);
}
const size = Number(sizeArg ?? 256);
const cloud = decodeSplat(new Uint8Array(fs.readFileSync(file)), file);
const tiles = [];
for (const elevation of [0, 25]) {
  for (const azimuth of [0, 30, 60, 100, 150, 200, 260, 320]) {
    tiles.push(toRgba8(renderCloud(cloud, orbitCamera(azimuth, elevation, size), { background: [1, 1, 1] }), { opaque: true }));
  }
}
await writePng(out, gridImage(tiles, 8));
console.log(`wrote ${out}`);
