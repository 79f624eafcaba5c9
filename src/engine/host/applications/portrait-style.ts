/**
 * 2D style preview before generation: the style applied to the project's preprocessed portrait (the
 * picture the pipeline stylizes when RunSettings.style is set), at STYLE_PREVIEW_SIZE px so a preview
 * costs well under a second. The preprocessed crop comes from the newest run that has one, else from
 * preprocessing the input once (kept in memory for the last input). Files:
 *   <project>/style-previews/before-<size>.png         the portrait as the pipeline sees it
 *   <project>/style-previews/<style tag>.png           the same after the style (styleFileTag:
 *                                                      'cel-70', 'pack_tiny-styles_sepia-100')
 * Built-in styles and installed style packs' styles alike (src/engine/stylize stylizePortrait).
 */
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import type { PortraitStyle, PortraitStylePreview } from '../../../shared/contracts/studio-api';
import type { RgbaImage } from '../../../shared/image';
import { StudioError } from '../../../shared/rpc/errors';
import { stylizePortrait } from '../../stylize';
import { styleFileTag } from '../../stylize/run-style';
import { encodePng, readRgba } from '../../image-io';
import { preprocessPortrait, PreprocessError } from '../../preprocess';
import { writeFileAtomic } from '../../pipeline/run-files';
import { runPath } from '../../run-folder/layout';

export const STYLE_PREVIEW_SIZE = 256;

let cachedCrop: { key: string; crop: Promise<RgbaImage> } | null = null;

/** The preprocessed 512 crop of the project: from its newest run, or by preprocessing the input. */
async function preprocessedCrop(projectDir: string, inputPath: string, log: (m: string) => void): Promise<RgbaImage> {
  const runsDir = path.join(projectDir, 'runs');
  const runIds = (await fs.readdir(runsDir).catch(() => [] as string[])).filter((n) => n.startsWith('run-')).sort().reverse();
  for (const id of runIds) {
    const crop = runPath(path.join(runsDir, id), 'crop512');
    if (existsSync(crop)) return readRgba(crop);
  }
  const stat = await fs.stat(inputPath);
  const key = `${inputPath}:${stat.mtimeMs}:${stat.size}`;
  if (cachedCrop?.key !== key) {
    const crop = fs
      .readFile(inputPath)
      .then((bytes) => preprocessPortrait(new Uint8Array(bytes), { log }))
      .then((pre) => pre.image512);
    cachedCrop = { key, crop };
    crop.catch(() => {
      if (cachedCrop?.crop === crop) cachedCrop = null;
    });
  }
  try {
    return await cachedCrop.crop;
  } catch (err) {
    if (err instanceof PreprocessError) throw new StudioError('INVALID_IMAGE', err.message);
    throw err;
  }
}

async function downscale(img: RgbaImage, size: number): Promise<RgbaImage> {
  const { data, info } = await sharp(Buffer.from(img.data.buffer, img.data.byteOffset, img.data.byteLength), {
    raw: { width: img.width, height: img.height, channels: 4 },
  })
    .resize(size, size, { fit: 'fill', kernel: 'lanczos3' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, data: new Uint8ClampedArray(data.buffer, data.byteOffset, data.byteLength) };
}

export async function previewPortraitStyle(args: {
  projectDir: string;
  inputPath: string;
  style: PortraitStyle;
  assetUrl: (rel: string) => string;
  log: (m: string) => void;
}): Promise<PortraitStylePreview> {
  const size = STYLE_PREVIEW_SIZE;
  const small = await downscale(await preprocessedCrop(args.projectDir, args.inputPath, args.log), size);
  const dir = path.join(args.projectDir, 'style-previews');
  await fs.mkdir(dir, { recursive: true });
  const before = `style-previews/before-${size}.png`;
  const after = `style-previews/${styleFileTag(args.style)}.png`;
  let styled: RgbaImage;
  try {
    styled = await stylizePortrait(small, args.style.name, { strength: args.style.strength });
  } catch (err) {
    if (err instanceof RangeError) throw new StudioError('BAD_REQUEST', err.message);
    throw err;
  }
  // Rewritten every time: the newest run's crop may differ from the one an older preview used.
  await writeFileAtomic(path.join(args.projectDir, before), await encodePng(small));
  await writeFileAtomic(path.join(args.projectDir, after), await encodePng(styled));
  // The query string changes with every preview, so the <img> never shows a cached older picture.
  const v = `?v=${Date.now().toString(36)}`;
  return { style: args.style, beforeUrl: args.assetUrl(before) + v, afterUrl: args.assetUrl(after) + v, size };
}
