/**
 * Engine export presets: which format, axes, units, SH degree and splat budget each engine's splat
 * importer wants. `applyPreset` turns a HeadForge cloud (RUB axes, metres, face towards +z) into the
 * engine's frame and units, and says how to encode it: the result is written verbatim (file axes
 * 'rub' = no further flip), so the file's coordinates are exactly the engine-frame coordinates.
 *
 * The axis choices follow each engine's world convention; whether a given third-party plugin
 * re-maps axes on import cannot be checked on this machine (no engines here): docs/formats.md says
 * which assumptions are unverified.
 */
import type { GaussianCloud, ShDegree } from '../gaussians/cloud';
import { filterByBox, filterByOpacity, keepMostImportant, selectGaussians } from '../gaussians/filter';
import { quatFromAxisAngle } from '../gaussians/quaternion';
import { mirrorX, transformCloud, withShDegree } from '../gaussians/transforms';
import type { FileAxes } from './axes';
import type { EncodeOptions, ExportFileFormat } from './index';

export type EnginePresetName = 'unity' | 'unreal' | 'blender' | 'godot' | 'web';
/** 'none' = no engine: the cloud as stored, in each format's usual axes (what `convert` without --preset writes). */
export type PresetChoice = EnginePresetName | 'none';

export interface EnginePreset {
  name: EnginePresetName;
  /** Who reads the file. */
  target: string;
  format: ExportFileFormat;
  /** Rotation (w x y z) from HeadForge axes to the engine's axes. */
  rotation: readonly [number, number, number, number];
  /** Units per metre. */
  scale: number;
  shDegree: ShDegree;
  /**
   * The reader assumes exactly this SH degree's layout (Godot plugins: all 45 f_rest): a head with
   * fewer bands is zero-padded up to it instead of written with fewer properties.
   */
  padSh?: boolean;
  /** Mirror x after the rotation (a left-handed reader that copies coordinates raw: Unity). */
  mirrorX?: boolean;
  /** Most Gaussians kept (by importance = alpha x volume). */
  maxSplats: number;
  /** Human description of the file's axes and units. */
  axes: string;
  /** What the user sees and must set in the engine (shown in the export dialog and docs). */
  notes: string;
  /** Where the rule comes from (source read). */
  source: string;
}

const IDENTITY = [1, 0, 0, 0] as const;
/** +90 degrees about x: y-up/front +z  ->  z-up/front -y (Blender's front view looks along +y). */
const Y_UP_TO_Z_UP = quatFromAxisAngle([1, 0, 0], Math.PI / 2);

export const ENGINE_PRESETS: Record<EnginePresetName, EnginePreset> = {
  unity: {
    name: 'unity',
    target: 'Unity, aras-p/UnityGaussianSplatting PLY importer',
    format: 'ply',
    rotation: IDENTITY,
    scale: 1,
    shDegree: 3,
    mirrorX: true,
    maxSplats: 1_000_000,
    axes: "+Y up, face towards +Z (Unity forward), metres, x mirrored into Unity's left-handed frame",
    notes:
      'Mirroring is applied in the file: leave the splat object at scale (1, 1, 1), rotation 0. Other tools will show this file mirrored; use the none preset for them.',
    source:
      "aras-p/UnityGaussianSplatting package/Editor/Utils/GaussianFileReader.cs copies x y z, rot and f_rest by name with no axis change into Unity's left-handed world, so a right-handed file shows mirrored unless the object's scale has one negative axis",
  },
  unreal: {
    name: 'unreal',
    target: 'Unreal Engine 5, XScene / Luma splat plugins (PLY)',
    format: 'ply',
    rotation: Y_UP_TO_Z_UP,
    scale: 100,
    shDegree: 3,
    maxSplats: 1_000_000,
    axes: '+Z up, face towards -Y, centimetres',
    notes:
      'Not checked in Unreal (no engine here): if the head shows mirrored or turned, scale Y by -1 or yaw it 90 degrees in the editor.',
    source: "Unreal's world convention (Z up, centimetres); the plugins' import mapping is unverified",
  },
  blender: {
    name: 'blender',
    target: 'Blender 3DGS add-ons (KIRI 3DGS Render and others, PLY)',
    format: 'ply',
    rotation: Y_UP_TO_Z_UP,
    scale: 1,
    shDegree: 3,
    maxSplats: 500_000,
    axes: '+Z up, face towards -Y (towards the Front view), metres',
    notes: 'Import the PLY with the 3DGS add-on; numpad 1 (Front view) looks at the face.',
    source: "Blender's world convention (Z up, Front view looks along +Y); the add-ons keep PLY coordinates",
  },
  godot: {
    name: 'godot',
    target: 'Godot 4 splat plugins (2Retr0 GodotGaussianSplatting, haztro, gdgs; PLY)',
    format: 'ply',
    rotation: IDENTITY,
    scale: 1,
    shDegree: 3,
    padSh: true,
    maxSplats: 500_000,
    axes: '+Y up, face towards +Z, metres',
    notes:
      'Always all 45 f_rest properties (zero-padded when the head has fewer SH bands): the plugins read a fixed 62-float vertex.',
    source:
      'the Godot plugins read the INRIA PLY as a fixed stride of 62 floats (degree 3); a degree-1 file misreads every property after f_rest',
  },
  web: {
    name: 'web',
    target: 'three.js GaussianSplats3D / Spark (SPZ)',
    format: 'spz',
    rotation: IDENTITY,
    scale: 1,
    shDegree: 2,
    maxSplats: 300_000,
    axes: 'SPZ RUB: +Y up, face towards +Z, metres',
    notes:
      "SPZ v2 (gzip), the version GaussianSplats3D (v1-v2), Spark and Unity's SPZ importer (v2 only) all read. SuperSplat / PlayCanvas treat SPZ like a 3DGS PLY (y down) and show it upside down: for them export SOG or compressed PLY instead.",
    source: 'Niantic spz: SPZ is RUB; GaussianSplats3D reads SPZ v1-v2 and SH up to degree 2',
  },
};

/** The 'none' choice: the cloud unchanged, all its SH, every Gaussian; each format's usual axes. */
export function neutralPreset(cloud: GaussianCloud, format: ExportFileFormat): EnginePreset {
  return {
    name: 'web',
    target: 'any reader',
    format,
    rotation: IDENTITY,
    scale: 1,
    shDegree: cloud.shDegree,
    maxSplats: Math.max(1, cloud.count),
    axes: 'as stored: PLY/.splat/compressed PLY/SOG in the 3DGS (y down) axes, SPZ and GLB y up',
    notes: '',
    source: '',
  };
}

export function isEnginePresetName(name: string): name is EnginePresetName {
  return Object.prototype.hasOwnProperty.call(ENGINE_PRESETS, name);
}

/**
 * Clean-up before export, in HeadForge axes and metres (before the preset's rotation and units), applied
 * before the splat budget: drop faint Gaussians, keep only those whose centre lies in a box or sphere.
 */
export interface ExportCleanup {
  /** Drop Gaussians whose alpha (sigmoid of the opacity logit) is below this (0..1). */
  minOpacity?: number;
  cropBox?: { min: readonly [number, number, number]; max: readonly [number, number, number] };
  cropSphere?: { center: readonly [number, number, number]; radius: number };
}

export function applyCleanup(cloud: GaussianCloud, cleanup: ExportCleanup = {}): GaussianCloud {
  let out = cloud;
  if (cleanup.minOpacity !== undefined && cleanup.minOpacity > 0)
    out = filterByOpacity(out, cleanup.minOpacity);
  if (cleanup.cropBox) out = filterByBox(out, cleanup.cropBox.min, cleanup.cropBox.max);
  if (cleanup.cropSphere) {
    const { center: c, radius } = cleanup.cropSphere;
    const P = out.positions;
    const keep: number[] = [];
    for (let i = 0; i < out.count; i++)
      if ((P[i * 3] - c[0]) ** 2 + (P[i * 3 + 1] - c[1]) ** 2 + (P[i * 3 + 2] - c[2]) ** 2 <= radius * radius)
        keep.push(i);
    out = selectGaussians(out, keep);
  }
  return out;
}

export interface PresetOverrides {
  /** Clean-up before the budget (see ExportCleanup). */
  cleanup?: ExportCleanup;
  shDegree?: ShDegree;
  maxSplats?: number;
  /** Write this format instead of the preset's (the preset's axes, units, SH and budget still apply). */
  format?: ExportFileFormat;
  /** SPZ only: container version (default 2). */
  spzVersion?: 2 | 3 | 4;
  /** 'none' only: axes of a written PLY-family file (default: the format's usual, 'rdf'). Presets set their own. */
  axes?: FileAxes;
}

export interface PresetResult {
  cloud: GaussianCloud;
  format: ExportFileFormat;
  encodeOptions: EncodeOptions;
}

/**
 * THE function that applies a preset, used by the studio export and `headforge convert` alike:
 * budget, SH degree (padded where the reader needs the full layout), rotation + units, mirroring,
 * then the format and its encode options. An engine preset writes verbatim (file axes 'rub': the
 * file's coordinates are the engine-frame coordinates); 'none' keeps each format's usual axes.
 */
export function applyPreset(
  cloud: GaussianCloud,
  choice: EnginePreset | PresetChoice,
  overrides: PresetOverrides = {},
): PresetResult {
  const neutral = choice === 'none';
  const format =
    overrides.format ??
    (neutral ? undefined : typeof choice === 'string' ? ENGINE_PRESETS[choice].format : choice.format);
  if (!format) throw new RangeError("applyPreset: the 'none' preset needs a format");
  const preset = neutral
    ? neutralPreset(cloud, format)
    : typeof choice === 'string'
      ? ENGINE_PRESETS[choice]
      : choice;
  const budget = overrides.maxSplats ?? preset.maxSplats;
  let out = keepMostImportant(applyCleanup(cloud, overrides.cleanup), budget);
  const degree = Math.min(cloud.shDegree, overrides.shDegree ?? preset.shDegree) as ShDegree;
  out = withShDegree(out, degree);
  // Bands the head (or the override) lacks are zeros, so the file keeps the layout the reader expects.
  if (preset.padSh && degree < preset.shDegree) out = withShDegree(out, preset.shDegree);
  out = transformCloud(out, { rotation: preset.rotation, scale: preset.scale });
  if (preset.mirrorX) out = mirrorX(out);
  const encodeOptions: EncodeOptions = neutral
    ? overrides.axes
      ? { axes: overrides.axes }
      : {}
    : { axes: 'rub' };
  if (format === 'spz') encodeOptions.spzVersion = overrides.spzVersion ?? 2;
  return { cloud: out, format, encodeOptions };
}
