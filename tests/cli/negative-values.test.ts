/**
 * A negative number after a flag that takes a value is that value: `--elevation -10` (a portrait
 * taken from below) and `eval --gt-elevation -10` were refused as "ambiguous" by node's parseArgs.
 */
import { describe, expect, it } from 'vitest';
import { joinNegativeValues, parseCommandArgs, UsageError } from '../../src/cli/command';

const options = {
  elevation: { type: 'string' },
  out: { type: 'string', short: 'o' },
  force: { type: 'boolean' },
} as const;

describe('negative flag values', () => {
  it('reads --elevation -10 as the value -10, also with decimals', () => {
    expect(parseCommandArgs(['in.png', '--elevation', '-10'], options).values.elevation).toBe('-10');
    expect(parseCommandArgs(['--elevation', '-2.5', 'in.png'], options)).toEqual({
      values: { elevation: '-2.5' },
      positionals: ['in.png'],
    });
  });

  it('still refuses a missing value before another flag, and leaves what follows -- alone', () => {
    expect(() => parseCommandArgs(['--out', '--force'], options)).toThrow(UsageError);
    expect(() => parseCommandArgs(['--elevation', '-x'], options)).toThrow(UsageError);
    expect(joinNegativeValues(['--', '--elevation', '-10'], options)).toEqual(['--', '--elevation', '-10']);
    // A boolean flag takes no value: a following negative number stays a positional.
    expect(joinNegativeValues(['--force', '-3'], options)).toEqual(['--force', '-3']);
  });
});
