/** Keyboard helpers shared by the gallery and the workspace. */

/** True while the user types into a text-like field (its own keys, undo included, belong to it). */
export function isTextEntry(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable || target.tagName === 'TEXTAREA') return true;
  if (target.tagName !== 'INPUT') return false;
  // Range, checkbox, radio, colour... are not text: Ctrl+Z on a focused slider undoes the settings edit.
  return ['text', 'number', 'search', 'email', 'url', 'tel', 'password'].includes((target as HTMLInputElement).type);
}

/** True when a modal dialog is open (its keys are its own). */
export function dialogOpen(): boolean {
  return document.querySelector('[role="dialog"]') !== null;
}
