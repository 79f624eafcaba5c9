/**
 * Derives the face mesh's left-right mirror table (src/engine/face/face-mesh-mirror.ts). Run once; the
 * table is checked in:
 *   npx tsx scripts/derive-face-mesh-mirror.ts
 *
 * Partners of the 468 mesh points come from the face mesh's canonical UV layout (UV468 in
 * @vladmandic/human's src/face/facemeshcoords.ts: MediaPipe's canonical face model, symmetric about
 * u = 0.5 to 0.0012): k's partner is the point nearest (1 - u_k, v_k); the map must come out an
 * involution. Not from a mean face's shape: round the eyes and the mouth the points lie closer together
 * than faces (and the detector) are asymmetric, and the nearest mirrored point of the fixtures' mean face
 * once paired 26 points, a mouth corner among them, with themselves. The ten iris points (468..477:
 * two irises, centre then four rim points each, rim point k of one the mirror of rim point k of the
 * other, checked on the detector's output) pair 468 + k with 473 + k.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const UV_SOURCE = path.join(ROOT, 'node_modules/@vladmandic/human/src/face/facemeshcoords.ts');
const OUT = path.join(ROOT, 'src/engine/face/face-mesh-mirror.ts');
const MESH = 468;
const IRIS_POINTS = 5;

function main(): void {
  const text = fs.readFileSync(UV_SOURCE, 'utf8');
  const start = text.indexOf('export const UV468');
  const end = text.indexOf('export const', start + 1);
  if (start < 0 || end < 0) throw new Error(`${UV_SOURCE}: no UV468 table`);
  const nums = (text.slice(text.indexOf('= [', start) + 3, end).match(/\d*\.?\d+(e-?\d+)?/g) ?? []).map(
    Number,
  );
  if (nums.length !== MESH * 2)
    throw new Error(`${UV_SOURCE}: UV468 has ${nums.length / 2} points, expected ${MESH}`);
  const mirror: number[] = [];
  let worst = 0;
  for (let k = 0; k < MESH; k++) {
    let best = -1;
    let bestD = Infinity;
    for (let j = 0; j < MESH; j++) {
      const d = Math.hypot(1 - nums[k * 2] - nums[j * 2], nums[k * 2 + 1] - nums[j * 2 + 1]);
      if (d < bestD) {
        bestD = d;
        best = j;
      }
    }
    mirror.push(best);
    worst = Math.max(worst, bestD);
  }
  for (let k = 0; k < MESH; k++)
    if (mirror[mirror[k]] !== k)
      throw new Error(`canonical UVs: ${k}'s partner ${mirror[k]} is not paired back`);
  for (let k = 0; k < IRIS_POINTS; k++) mirror.push(MESH + IRIS_POINTS + k);
  for (let k = 0; k < IRIS_POINTS; k++) mirror.push(MESH + k);
  const selfPaired = mirror.filter((j, i) => j === i).length;
  const lines: string[] = [];
  for (let i = 0; i < mirror.length; i += 24) lines.push(`  ${mirror.slice(i, i + 24).join(', ')},`);
  fs.writeFileSync(
    OUT,
    `/**
 * Left-right partner of each of the 478 face-mesh landmarks (itself on the midline: ${selfPaired} points),
 * from the mesh's canonical UV layout and the iris points' order; written by
 * scripts/derive-face-mesh-mirror.ts - do not edit by hand.
 */
export const FACE_MESH_MIRROR: Readonly<Int32Array> = new Int32Array([
${lines.join('\n')}
]);
`,
  );
  console.log(
    `wrote ${OUT}: worst pair ${worst.toFixed(4)} apart in UV, ${selfPaired} points on the midline`,
  );
}

main();
