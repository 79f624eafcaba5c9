/**
 * The one toast an import ends with: what was created, what was refused (the engine's sentences, which
 * name each file) and which portraits had no face (imported, with a warning on their cards). Errors and
 * warnings hide by themselves after IMPORT_TOAST_MS (or on a click) and replace an earlier import's
 * toast instead of queueing behind it. Pure, so the wording is tested without a browser.
 */
import type { Toast } from '../common/Notifier';

export const IMPORT_TOAST_MS = 12_000;

export function importResult(total: number, created: number, failures: string[], noFace: string[]): Toast {
  const lines: string[] = [];
  if (failures.length) {
    lines.push(total === 1 ? failures[0] : `${failures.length} of ${total} images could not be imported:`);
    if (total > 1) lines.push(...failures);
  }
  if (created) lines.push(created === 1 ? 'Project created.' : `${created} projects created.`);
  if (noFace.length) {
    lines.push(
      `No face was found in ${noFace.join(', ')}: ${noFace.length === 1 ? 'it was' : 'they were'} imported and can still run (profiles and drawings do), but a front or 3/4 portrait gives a better head.`,
    );
  }
  const severity = failures.length ? 'error' : noFace.length ? 'warning' : 'success';
  return {
    severity,
    text: lines.join('\n'),
    group: 'import',
    ...(severity === 'success' ? {} : { durationMs: IMPORT_TOAST_MS }),
  };
}
