/**
 * Look at a run: its 16 views (top two rows) above the head's renders at the same cameras.
 * usage: npx tsx scripts/run-contact-sheet.ts RUN_DIR out.png
 */
import { readRgba, gridImage, writePng } from '../src/engine/image-io';
import { compositeOnWhite } from '../src/shared/metrics/alignment';
const [dir, out] = process.argv.slice(2);
if (!dir || !out) {
  console.error('usage: npx tsx scripts/run-contact-sheet.ts RUN_DIR out.png');
  process.exit(2);
}
const imgs = [];
for (const [folder, prefix] of [
  ['views', 'view'],
  ['renders', 'render'],
]) {
  for (let i = 0; i < 16; i++) {
    imgs.push(
      compositeOnWhite(await readRgba(`${dir}/${folder}/${prefix}-${String(i).padStart(2, '0')}.png`)),
    );
  }
}
await writePng(out, gridImage(imgs, 8));
