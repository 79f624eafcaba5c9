/**
 * The generation settings the user is editing, per project, kept in localStorage so they survive a
 * window reload. Validated on read: anything malformed falls back to the defaults.
 */
import type { BackendId, Quality, RunSettings } from '../../shared/contracts/studio-api';
import { runSettingsSchema } from '../../shared/schemas/studio-api';

export interface EditableSettings {
  settings: RunSettings;
  seedLocked: boolean;
}

export function randomSeed(): number {
  const buf = new Uint32Array(1);
  crypto.getRandomValues(buf);
  return buf[0] & 0x7fffffff;
}

export function defaultSettings(quality: Quality = 'draft', backend: BackendId = 'default'): EditableSettings {
  return { settings: { elevationDeg: 'auto', seed: 42, quality, backend }, seedLocked: false };
}

const key = (projectId: string): string => `workspace.${projectId}.settings`;

export function loadSettings(projectId: string, fallback: EditableSettings): EditableSettings {
  try {
    const raw = JSON.parse(localStorage.getItem(key(projectId)) ?? 'null') as { settings?: unknown; seedLocked?: unknown } | null;
    const parsed = runSettingsSchema.safeParse(raw?.settings);
    if (parsed.success) return { settings: parsed.data, seedLocked: raw?.seedLocked === true };
  } catch {
    // Malformed storage: use the defaults.
  }
  return fallback;
}

export function saveSettings(projectId: string, value: EditableSettings): void {
  localStorage.setItem(key(projectId), JSON.stringify(value));
}
