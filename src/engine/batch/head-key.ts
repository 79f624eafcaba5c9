/**
 * What makes two heads the same: the portrait's bytes, the seed, the batch settings and the pipeline
 * version. The key decides resuming (a finished head with the same key is not run again) and names
 * the head's folder, so changing a setting makes new folders instead of overwriting old heads.
 */
import crypto from 'node:crypto';
import path from 'node:path';
import { PIPELINE_VERSION } from '../pipeline/generate';
import type { BatchSettings, HeadSpec } from './types';

export function headKey(inputSha256: string, seed: number, settings: BatchSettings): string {
  const canonical = JSON.stringify({
    v: PIPELINE_VERSION,
    input: inputSha256,
    seed,
    quality: settings.quality,
    elevationDeg: settings.elevationDeg,
    backend: settings.backend,
    steps: settings.steps ?? null,
    presets: [...settings.presets].sort(),
  });
  return crypto.createHash('sha256').update(canonical).digest('hex');
}

/** A folder-safe stem of the portrait's file name (letters, digits, '-', '_', '.'; at most 48). */
export function portraitStem(fileName: string): string {
  const stem = path
    .parse(fileName)
    .name.replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/^[-.]+|-+$/g, '')
    .slice(0, 48);
  return stem || 'portrait';
}

export function headSpec(
  inputName: string,
  input: string,
  inputSha256: string,
  seed: number,
  settings: BatchSettings,
): HeadSpec {
  const key = headKey(inputSha256, seed, settings);
  return {
    id: `${portraitStem(inputName)}-s${seed}-${key.slice(0, 8)}`,
    key,
    inputName,
    input,
    inputSha256,
    seed,
    settings,
  };
}
