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
import { keepMostImportant } from '../gaussians/filter';
import { quatFromAxisAngle } from '../gaussians/quaternion';
import { transformCloud, withShDegree } from '../gaussians/transforms';
import type { EncodeOptions, SplatFormat } from './index';

export type EnginePresetName = 'unity' | 'unreal' | 'blender' | 'godot' | 'web';

export interface EnginePreset {
  name: EnginePresetName;
  /** Who reads the file. */
  target: string;
  format: SplatFormat;
  /** Rotation (w x y z) from HeadForge axes to the engine's axes. */
  rotation: readonly [number, number, number, number];
  /** Units per metre. */
  scale: number;
  shDegree: ShDegree;
  /** Most Gaussians kept (by importance = alpha x volume). */
  maxSplats: number;
  /** Human description of the file's axes and units. */
  axes: string;
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
    maxSplats: 1_000_000,
    axes: '+Y up, face towards +Z, metres',
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
  },
  godot: {
    name: 'godot',
    target: 'Godot 4 splat plugins (PLY)',
    format: 'ply',
    rotation: IDENTITY,
    scale: 1,
    shDegree: 1,
    maxSplats: 500_000,
    axes: '+Y up, face towards +Z, metres',
  },
  web: {
    name: 'web',
    target: 'three.js / GaussianSplats3D / Spark / PlayCanvas (SPZ)',
    format: 'spz',
    rotation: IDENTITY,
    scale: 1,
    shDegree: 2,
    maxSplats: 300_000,
    axes: 'SPZ RUB: +Y up, face towards +Z, metres',
  },
};

export function isEnginePresetName(name: string): name is EnginePresetName {
  return Object.prototype.hasOwnProperty.call(ENGINE_PRESETS, name);
}

export interface PresetOverrides {
  shDegree?: ShDegree;
  maxSplats?: number;
}

export interface PresetResult {
  cloud: GaussianCloud;
  format: SplatFormat;
  encodeOptions: EncodeOptions;
}

/** Budget, SH degree, then rotation + units; the caller encodes with the returned format/options. */
export function applyPreset(cloud: GaussianCloud, preset: EnginePreset, overrides: PresetOverrides = {}): PresetResult {
  const budget = overrides.maxSplats ?? preset.maxSplats;
  let out = keepMostImportant(cloud, budget);
  const degree = Math.min(cloud.shDegree, overrides.shDegree ?? preset.shDegree) as ShDegree;
  out = withShDegree(out, degree);
  out = transformCloud(out, { rotation: preset.rotation, scale: preset.scale });
  return { cloud: out, format: preset.format, encodeOptions: { axes: 'rub' } };
}
