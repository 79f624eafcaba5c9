/**
 * The Advanced section's optional number boxes (steps, the lens): empty means the default, a number
 * is held to the setting's range, steps are whole.
 */
import { describe, expect, it } from 'vitest';
import { parseOptionalNumber } from '../../src/renderer/common/OptionalNumberField';

describe('parseOptionalNumber', () => {
  it('empty or not a number is the default; a number is clamped, and truncated for whole settings', () => {
    expect(parseOptionalNumber('', 1, 150)).toBeUndefined();
    expect(parseOptionalNumber('  ', 1, 150)).toBeUndefined();
    expect(parseOptionalNumber('wide', 1, 150)).toBeUndefined();
    expect(parseOptionalNumber('65.5', 1, 150)).toBe(65.5);
    expect(parseOptionalNumber('500', 1, 150)).toBe(150);
    expect(parseOptionalNumber('0.2', 1, 150)).toBe(1);
    expect(parseOptionalNumber('250.9', 1, 100_000, true)).toBe(250);
    expect(parseOptionalNumber('0', 1, 100_000, true)).toBe(1);
  });
});
