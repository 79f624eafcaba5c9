/**
 * How the studio names runs and their variants, as pure functions (tested in tests/renderer):
 *   - runs are numbered by creation, oldest = 1, so "Run 3" stays "Run 3" as newer runs arrive;
 *   - a restyled variant (RunSummary.variantOf) reads "Restyled from run N", or "from a deleted run"
 *     when its source is no longer in the project.
 */
import type { PortraitStyle, RunSummary } from '../../shared/contracts/studio-api';

/** Run id -> its number in the project (1 = the oldest run). Ties in createdAt keep id order. */
export function runNumbers(runs: readonly RunSummary[]): Map<string, number> {
  const chronological = [...runs].sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
  return new Map(chronological.map((r, i) => [r.id, i + 1]));
}

/** "Restyled from run N" for a variant, null for an ordinary run. */
export function variantNote(run: RunSummary, numbers: ReadonlyMap<string, number>): string | null {
  if (!run.variantOf) return null;
  const source = numbers.get(run.variantOf.runId);
  return source === undefined ? 'Restyled from a deleted run' : `Restyled from run ${source}`;
}

/** "cel 70%", "pack:tiny-styles/sepia 100%", or "none" (for settings lists and the compare table). */
export function styleSummary(style: PortraitStyle | undefined): string {
  return style ? `${style.name} ${Math.round(style.strength * 100)}%` : 'none';
}
