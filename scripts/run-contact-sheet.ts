import { readRgba, gridImage, writePng } from '../src/engine/image-io';
import { onWhite } from '../src/engine/pipeline/evaluate';
const dir = process.argv[2]; const out = process.argv[3];
const imgs = [];
for (const f of ['views','renders']) for (let i=0;i<16;i++) imgs.push(onWhite(await readRgba(`${dir}/${f}/${f==='views'?'view':'render'}-${String(i).padStart(2,'0')}.png`)));
await writePng(out, gridImage(imgs, 8));
