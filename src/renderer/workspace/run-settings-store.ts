/**
 * The generation settings the user is editing, per project, kept in localStorage so they survive a
 * window reload. Validated on read: anything malformed falls back to the defaults. useSettingsDraft()
 * adds undo/redo (Ctrl+Z / Ctrl+Shift+Z); its history lives in sessionStorage, so it survives a reload too.
 */
import { useEffect } from 'react';
import type { BackendId, Quality, RunSettings } from '../../shared/contracts/studio-api';
import { runSettingsSchema } from '../../shared/contracts/studio-requests';
import { useUndoableState, type UndoableState } from '../common/useUndoableState';

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

/**
 * The line under the seed box, so it never passes for the seed a run used when it is not: the newest
 * run's seed when the box shows another (a run started elsewhere, an edit since), and, unlocked, that
 * the next Run picks a new one. Null when the box says it all (locked, or no run yet).
 */
export function seedNote(boxSeed: number, lastRunSeed: number | null, seedLocked: boolean): string | null {
  if (lastRunSeed === null) return seedLocked ? null : 'Run picks a new seed';
  if (lastRunSeed !== boxSeed) return `Last run used ${lastRunSeed}${seedLocked ? '' : '; Run picks a new seed'}`;
  return seedLocked ? null : 'Used by the last run; Run picks a new seed';
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

/** A stored value back as EditableSettings, or null when it does not validate. */
export function parseEditable(raw: unknown): EditableSettings | null {
  const value = raw as { settings?: unknown; seedLocked?: unknown } | null;
  const parsed = runSettingsSchema.safeParse(value?.settings);
  return parsed.success ? { settings: parsed.data, seedLocked: value?.seedLocked === true } : null;
}

/**
 * Which control an edit touched ('settings.elevationDeg', 'seedLocked', ...): one slider drag or one
 * typed seed is then one undo step. Several fields at once (revert to a run) is its own group.
 */
export function editGroup(previous: EditableSettings, next: EditableSettings): string | null {
  const changed = Object.keys({ ...previous.settings, ...next.settings }).filter(
    (k) => JSON.stringify(previous.settings[k as keyof RunSettings]) !== JSON.stringify(next.settings[k as keyof RunSettings]),
  );
  if (previous.seedLocked !== next.seedLocked) changed.push('seedLocked');
  return changed.length === 1 ? changed[0] : null;
}

/** The project's settings draft with undo/redo, saved to localStorage on every change. */
export function useSettingsDraft(projectId: string, fallback: () => EditableSettings = defaultSettings): UndoableState<EditableSettings> {
  const draft = useUndoableState(() => loadSettings(projectId, fallback()), {
    storageKey: `workspace.${projectId}.settings-history`,
    validate: parseEditable,
    groupOf: editGroup,
  });
  useEffect(() => saveSettings(projectId, draft.value), [projectId, draft.value]);
  return draft;
}
