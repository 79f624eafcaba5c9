/**
 * Derives the canonical face template (src/engine/multiview/weightfree/face-template.ts) from the
 * frontal fixture portraits' face meshes. Run once; the table is checked in:
 *   npx tsx scripts/derive-face-template.ts
 *
 * Per fixture: landmarks 0..467 into the landmark head frame (landmarks.ts estimateHeadAxes: x = the
 * subject's left, y = up, z = out of the face), origin at the eye centre, divided by the face width
 * (234 -> 454). Mean over the fixtures, then made left-right symmetric (each point averaged with the
 * mirror of its partner, partners found as the nearest mirrored point), then the depth is scaled so
 * that the nose tip (1) sits ANTHROPOMETRIC_NOSE_DEPTH face widths ahead of the outer eye corners
 * (the landmark model's own depth is flat: 0.14..0.24 on these fixtures).
 *
 * Known defect, kept for now: the nearest mirrored point of the averaged face pairs 26 points with
 * themselves (a mouth corner, 61, and the inner corners 78 and 308 among them) and puts them on the
 * midline. That pairing is used here only; the mesh's mirror is src/engine/face/face-mesh-mirror.ts
 * (from its canonical UV layout). The template rederived with those pairs measured
 * neutral to slightly worse on the profile path and the 2-D pose fit (docs/eval.md, session 21), so it
 * keeps its values for now.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadPreprocessed } from '../tests/multiview/portrait-inputs';
import { estimateHeadAxes, landmarkG, toHead } from '../src/engine/multiview/weightfree/landmarks';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const OUT = path.join(ROOT, 'src/engine/multiview/weightfree/face-template.ts');

/** Frontal fixtures with a clean face mesh (the astronaut's helmet doubles the mesh's depth: left out). */
const SOURCES = [
  'hq-0001-matted-rgba.png',
  'hq-0002-matted-rgba.png',
  'hq-0003-matted-rgba.png',
  'fl-000-expression.png',
  'fl-002-outdoor.png',
  'fl-005-drawing.png',
  'pd-grace-hopper.jpg',
];
const N = 468;
const ANTHROPOMETRIC_NOSE_DEPTH = 0.25;

async function main(): Promise<void> {
  const mean = new Float64Array(N * 3);
  for (const file of SOURCES) {
    const pre = await loadPreprocessed(file);
    if (!pre.face) throw new Error(`${file}: no face`);
    const lm = pre.face.landmarks;
    const axes = estimateHeadAxes(lm);
    const h = Array.from({ length: N }, (_, i) => toHead(axes, landmarkG(lm, i)));
    const width = Math.abs(h[454][0] - h[234][0]);
    for (let i = 0; i < N; i++) for (let c = 0; c < 3; c++) mean[i * 3 + c] += h[i][c] / width / SOURCES.length;
  }
  // Mirror partners: nearest point to (-x, y, z).
  const mirror = new Int32Array(N);
  for (let i = 0; i < N; i++) {
    let best = -1;
    let bestD = Infinity;
    for (let j = 0; j < N; j++) {
      const d = (mean[j * 3] + mean[i * 3]) ** 2 + (mean[j * 3 + 1] - mean[i * 3 + 1]) ** 2 + (mean[j * 3 + 2] - mean[i * 3 + 2]) ** 2;
      if (d < bestD) {
        bestD = d;
        best = j;
      }
    }
    mirror[i] = best;
  }
  // Make the partner map an involution (i <-> j): keep pairs that agree, self-pair the rest.
  for (let i = 0; i < N; i++) if (mirror[mirror[i]] !== i) mirror[i] = i;
  const sym = new Float64Array(N * 3);
  for (let i = 0; i < N; i++) {
    const j = mirror[i];
    sym[i * 3] = j === i ? 0 : (mean[i * 3] - mean[j * 3]) / 2;
    sym[i * 3 + 1] = (mean[i * 3 + 1] + mean[j * 3 + 1]) / 2;
    sym[i * 3 + 2] = (mean[i * 3 + 2] + mean[j * 3 + 2]) / 2;
  }
  // Origin at the eye centre (outer and inner corners), depth scaled to the anthropometric nose.
  const eyes = [33, 263, 133, 362];
  const origin = [0, 1, 2].map((c) => eyes.reduce((s, i) => s + sym[i * 3 + c], 0) / eyes.length);
  for (let i = 0; i < N; i++) for (let c = 0; c < 3; c++) sym[i * 3 + c] -= origin[c];
  const noseDepth = sym[1 * 3 + 2] - (sym[33 * 3 + 2] + sym[263 * 3 + 2]) / 2;
  const zScale = ANTHROPOMETRIC_NOSE_DEPTH / noseDepth;
  for (let i = 0; i < N; i++) sym[i * 3 + 2] *= zScale;
  const selfPaired = Array.from(mirror).filter((j, i) => j === i).length;
  const rows: string[] = [];
  for (let i = 0; i < N; i++) rows.push(`${sym[i * 3].toFixed(4)},${sym[i * 3 + 1].toFixed(4)},${sym[i * 3 + 2].toFixed(4)}`);
  const lines: string[] = [];
  for (let i = 0; i < N; i += 6) lines.push(`  ${rows.slice(i, i + 6).join(', ')},`);
  const text = `/**
 * Canonical face: the mean face mesh (landmarks 0..467) of ${SOURCES.length} frontal fixture portraits
 * (${SOURCES.join(', ')}), written by scripts/derive-face-template.ts - do not edit by hand.
 * Head-frame axes (landmarks.ts): x = the subject's left, y = up, z = out of the face; origin at the eye
 * centre; unit = the face width (landmarks 234 -> 454). Left-right symmetric. The landmark model's depth
 * was scaled by ${zScale.toFixed(3)} so that the nose tip sits ${ANTHROPOMETRIC_NOSE_DEPTH} face widths ahead of the outer eye
 * corners (anthropometric; the model's own depth is flat).
 */

/** [468 * 3] x, y, z per landmark. */
export const FACE_TEMPLATE = new Float32Array([
${lines.join('\n')}
]);
`;
  fs.writeFileSync(OUT, text);
  console.log(`wrote ${OUT}: depth scale ${zScale.toFixed(3)}, ${selfPaired} self-paired points`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
