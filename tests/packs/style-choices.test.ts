/** The engine's single style entry point: built-in and pack styles listed together and applied by id. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeTinyStylePack } from '../../scripts/make-tiny-style-pack';
import { rgbOnWhite } from '../../src/engine/diffusion/image-tensor';
import { listStyleChoices, stylizePortrait } from '../../src/engine/stylize';
import { createRgba, type RgbaImage } from '../../src/shared/image';
import { stylizeImage } from '../../src/shared/stylize';
import { referenceTinyStyle, TINY_STYLES } from '../../scripts/make-tiny-style-pack';

let root: string;
let search: { extraDirs: string[]; userDir: string };

/** A 48 x 40 colour ramp (deterministic, opaque). */
function ramp(): RgbaImage {
  const img = createRgba(48, 40);
  for (let y = 0; y < 40; y++)
    for (let x = 0; x < 48; x++) img.data.set([x * 5, y * 6, 255 - x * 3, 255], (y * 48 + x) * 4);
  return img;
}

beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'hf-style-choices-'));
  writeTinyStylePack(path.join(root, 'packs', 'tiny-styles'));
  // An invalid style pack next to it: left out of the choices.
  const broken = path.join(root, 'packs', 'broken');
  writeTinyStylePack(broken);
  const m = JSON.parse(fs.readFileSync(path.join(broken, 'pack.json'), 'utf8'));
  fs.writeFileSync(path.join(broken, 'pack.json'), JSON.stringify({ ...m, name: 'broken-styles', styles: {} }));
  search = { extraDirs: [path.join(root, 'packs')], userDir: path.join(root, 'none') };
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe('style choices', () => {
  it('lists the built-in styles, then each style of each valid style pack (invalid packs left out)', async () => {
    const choices = await listStyleChoices(search);
    expect(choices.map((c) => c.id)).toEqual(['cel', 'pencil', 'painterly', 'pack:tiny-styles/sepia', 'pack:tiny-styles/cool-64']);
    expect(choices.find((c) => c.id === 'pack:tiny-styles/sepia')).toMatchObject({ kind: 'pack', isPackDefault: true, label: 'Sepia (tiny test network) (tiny-styles)' });
  });

  it('applies a built-in style exactly as the shared function does, and a pack style as its network computes', async () => {
    const img = ramp();
    const cel = await stylizePortrait(img, 'cel', { strength: 0.8, search });
    expect(Buffer.from(cel.data).equals(Buffer.from(stylizeImage(img, { style: 'cel', strength: 0.8 }).data))).toBe(true);
    const sepia = await stylizePortrait(img, 'pack:tiny-styles', { strength: 1, search, provider: 'cpu' });
    const ref = referenceTinyStyle(TINY_STYLES[0], rgbOnWhite(img), 48, 40);
    let maxErr = 0;
    for (let i = 0; i < 48 * 40; i++) for (let c = 0; c < 3; c++) maxErr = Math.max(maxErr, Math.abs(sepia.data[i * 4 + c] / 255 - ref[i * 3 + c]));
    expect(maxErr).toBeLessThanOrEqual(0.5 / 255 + 1e-4);
    await expect(stylizePortrait(img, 'oil', { strength: 1, search })).rejects.toThrow("unknown style 'oil': one of cel, pencil, painterly, or pack:NAME[/STYLE]");
  });
});
