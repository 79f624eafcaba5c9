/**
 * What makes two heads the same: the portrait's bytes, the seed, the batch settings and the HeadForge
 * version (package.json's; read here rather than the pipeline's own PIPELINE_VERSION so that a
 * resumed batch need not load the pipeline, ~2-4 s of imports). The key decides resuming (a finished head with the same key is not run again) and names
 * the head's folder, so changing a setting makes new folders instead of overwriting old heads.
 */
import crypto from 'node:crypto';
import path from 'node:path';
import fs from 'node:fs';
import { appRoot } from '../host/app-root';
import type { BatchSettings, HeadSpec } from './types';

let version: string | null = null;
function headforgeVersion(): string {
  try {
    version ??= (
      JSON.parse(fs.readFileSync(path.join(appRoot(), 'package.json'), 'utf8')) as { version: string }
    ).version;
  } catch {
    version = 'unknown';
  }
  return version;
}

export function headKey(inputSha256: string, seed: number, settings: BatchSettings): string {
  const canonical = JSON.stringify({
    v: headforgeVersion(),
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
