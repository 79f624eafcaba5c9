/** The line under the seed box (issue 21: the box showed 42 while an unlocked run had used 74305017). */
import { describe, expect, it } from 'vitest';
import { seedNote } from '../../src/renderer/workspace/run-settings-store';

describe('seed note', () => {
  it('names the seed the last run used when the box shows another', () => {
    expect(seedNote(42, 74305017, false)).toBe('Last run used 74305017; Run picks a new seed');
    expect(seedNote(42, 74305017, true)).toBe('Last run used 74305017');
  });
  it('says the box is the last run’s seed, and whether Run keeps it', () => {
    expect(seedNote(74305017, 74305017, false)).toBe('Used by the last run; Run picks a new seed');
    expect(seedNote(74305017, 74305017, true)).toBeNull();
  });
  it('before any run: only that an unlocked seed is not the one Run will use', () => {
    expect(seedNote(42, null, false)).toBe('Run picks a new seed');
    expect(seedNote(42, null, true)).toBeNull();
  });
});
