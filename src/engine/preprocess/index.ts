/**
 * Portrait preprocessing: any image file -> the framed 512/256 inputs of the multi-view stage, the
 * matte, region labels, the ArcFace identity crop, face facts and the default elevation.
 * Pipeline: decode (downscaled working image) -> face mesh on the image composited on white ->
 * matte (existing alpha, else segmentation + guided filter) -> head box (face grown to the hair) ->
 * square crop framed like the paper's inputs -> composite on white -> regions, identity, elevation.
 */
import { AROUND_CROP_PX, type FaceAnalysis, type PreprocessResult } from '../../shared/contracts/preprocess';
import { compositeOnWhite, type GrayImageF32, type RgbaImage } from '../../shared/image';
import { arcfaceCrop } from '../face/align';
import { describeFace, getFaceModels } from '../face/index';
import { MirrorAveragedLandmarker } from '../face/mirror-averaged';
import { elevationFromPitch } from '../face/pose';
import type { ForegroundMatter } from '../face/types';
import { cropAndComposite, cropAround, workingToCrop } from './crop';
import { decodePortrait } from './decode';
import { PreprocessError } from './errors';
import { cropForForeground, cropForHead, headBox, matteBox, meshBox } from './framing';
import { labelRegions } from './regions';
import { SelfieMatter } from './selfie-matter';

export { PreprocessError } from './errors';
export type { PreprocessErrorCode } from './errors';
export { renderDebugOverlay } from './overlay';

export interface PreprocessOptions {
  signal?: AbortSignal;
  log?: (msg: string) => void;
}

/** Below this fraction of foreground pixels the matte is considered empty. */
const MIN_FOREGROUND_FRAC = 0.005;

let matter: Promise<ForegroundMatter> | null = null;
let matterOverride: ForegroundMatter | null = null;

function getMatter(): Promise<ForegroundMatter> {
  if (matterOverride) return Promise.resolve(matterOverride);
  matter ??= SelfieMatter.create().catch((err: unknown) => {
    matter = null;
    throw err;
  });
  return matter;
}

/** Replace the segmenter/matter (e.g. a model pack's BiRefNet); null restores the default. */
export function setForegroundMatter(replacement: ForegroundMatter | null): void {
  matterOverride = replacement;
}

export async function preprocessPortrait(
  input: Uint8Array,
  opts: PreprocessOptions = {},
): Promise<PreprocessResult> {
  const log = opts.log ?? (() => {});
  const checkAbort = () => {
    if (opts.signal?.aborted)
      throw opts.signal.reason instanceof Error
        ? opts.signal.reason
        : new DOMException('Preprocessing was cancelled', 'AbortError');
  };
  let t = performance.now();
  const lap = (what: string) => {
    const now = performance.now();
    log(`preprocess: ${what} ${(now - t).toFixed(0)} ms`);
    t = now;
  };

  checkAbort();
  const decoded = await decodePortrait(input);
  const warnings = [...decoded.warnings];
  const work = decoded.image;
  lap(
    `decode ${decoded.format} ${decoded.sourceWidth}x${decoded.sourceHeight} -> ${work.width}x${work.height}`,
  );

  checkAbort();
  const { landmarker, identity } = await getFaceModels();
  const onWhite = compositeOnWhite(work, { keepAlpha: true });
  const faces = await landmarker.detect(onWhite);
  if (faces.length > 1) warnings.push(`${faces.length} faces found; using the largest.`);
  if (faces.length === 0)
    warnings.push('No face found: framed from the foreground only; identity and elevation are defaults.');
  const detected = faces[0] ?? null;
  lap(`face mesh (${faces.length} faces)`);

  checkAbort();
  let matte: GrayImageF32;
  if (decoded.hasRealAlpha) {
    matte = alphaOf(work);
    log('preprocess: keeping the input alpha as matte');
  } else {
    matte = await (await getMatter()).matte(work);
    lap('matte');
  }
  const fgFrac = foregroundFraction(matte);
  if (fgFrac < MIN_FOREGROUND_FRAC) {
    if (!detected)
      throw new PreprocessError(
        'empty-foreground',
        `No person was found in the image: neither a face nor a foreground to cut out.${aspectHint(decoded.sourceWidth, decoded.sourceHeight)}`,
      );
    warnings.push(
      'The background removal found almost no foreground; using an ellipse around the head instead.',
    );
    matte = ellipseMatte(work.width, work.height, meshBox(detected.landmarks));
  }

  checkAbort();
  let crop;
  if (detected) {
    crop = cropForHead(headBox(meshBox(detected.landmarks), matte));
  } else {
    const fg = matteBox(matte);
    if (!fg)
      throw new PreprocessError(
        'empty-foreground',
        `No person was found in the image.${aspectHint(decoded.sourceWidth, decoded.sourceHeight)}`,
      );
    crop = cropForForeground(fg);
  }
  const [out512, out256] = await cropAndComposite(onWhite, matte, crop, [512, 256]);
  // The shoulders and chest round a head-framed crop: the torso is shaped and textured from them
  // rather than guessed.
  const around = await cropAround(onWhite, matte, crop, out512, 512, AROUND_CROP_PX);
  const map = workingToCrop(crop, 512);
  lap('crop');

  let face: FaceAnalysis | null = null;
  let idCrop112: RgbaImage | null = null;
  if (detected) {
    checkAbort();
    const analysis = await describeFace(onWhite, detected, identity);
    const toCrop = (src: Float32Array) => {
      const lm = new Float32Array(src.length);
      for (let i = 0; i < lm.length; i += 3) {
        lm[i] = (src[i] - map.offsetX) * map.scale;
        lm[i + 1] = (src[i + 1] - map.offsetY) * map.scale;
        lm[i + 2] = src[i + 2] * map.scale;
      }
      return lm;
    };
    const [symmetric] = await new MirrorAveragedLandmarker(landmarker).averageWithMirror(onWhite, [detected]);
    lap('face mesh, mirrored');
    const b = analysis.box;
    face = {
      ...analysis,
      landmarks: toCrop(analysis.landmarks),
      fitLandmarks: toCrop(symmetric.landmarks),
      box: {
        x: (b.x - map.offsetX) * map.scale,
        y: (b.y - map.offsetY) * map.scale,
        width: b.width * map.scale,
        height: b.height * map.scale,
      },
    };
    idCrop112 = arcfaceCrop(onWhite, detected.landmarks).crop;
    lap('identity');
  }

  const regions = labelRegions(out512.image, out512.matte, face?.landmarks ?? null);
  lap('regions');
  // framing: crop512 = (orig - offset) * scale, with working = orig * decoded.scale.
  const framing = {
    scale: map.scale * decoded.scale,
    offsetX: map.offsetX / decoded.scale,
    offsetY: map.offsetY / decoded.scale,
    sourceWidth: decoded.sourceWidth,
    sourceHeight: decoded.sourceHeight,
  };
  if (decoded.exifFovyDeg !== null)
    log(`preprocess: EXIF lens ${decoded.exifFovyDeg.toFixed(1)} deg vertical field of view`);
  return {
    image512: out512.image,
    image256: out256.image,
    matte512: out512.matte,
    regions,
    idCrop112,
    face,
    elevationDeg: face ? elevationFromPitch(face.pitchDeg) : 0,
    framing,
    ...(decoded.exifFovyDeg !== null ? { exifFovyDeg: decoded.exifFovyDeg } : {}),
    ...(around ? { around } : {}),
    warnings,
  };
}

/** Detectors see the whole image squashed to a square: a person in a panorama is too thin to find. */
function aspectHint(w: number, h: number): string {
  return Math.max(w, h) / Math.min(w, h) > 3
    ? ` The image is very ${w > h ? 'wide' : 'tall'} (${w}x${h}): crop it around the person first.`
    : '';
}

function alphaOf(img: RgbaImage): GrayImageF32 {
  const data = new Float32Array(img.width * img.height);
  for (let i = 0; i < data.length; i++) data[i] = img.data[i * 4 + 3] / 255;
  return { width: img.width, height: img.height, data };
}

function foregroundFraction(m: GrayImageF32): number {
  let n = 0;
  for (const v of m.data) if (v > 0.5) n++;
  return n / m.data.length;
}

/** Soft ellipse covering a face box grown to a head (fallback when segmentation finds nothing). */
function ellipseMatte(
  width: number,
  height: number,
  face: { x: number; y: number; width: number; height: number },
): GrayImageF32 {
  const data = new Float32Array(width * height);
  const cx = face.x + face.width / 2,
    cy = face.y + face.height * 0.4;
  const rx = face.width * 0.8,
    ry = face.height * 0.9;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const d = Math.hypot((x - cx) / rx, (y - cy) / ry);
      data[y * width + x] = Math.min(1, Math.max(0, (1.05 - d) * 10));
    }
  }
  return { width, height, data };
}
