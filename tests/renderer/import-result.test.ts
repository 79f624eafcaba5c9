/** The import's one toast and the words of an import error (issue 21): plain sentences, self-hiding. */
import { describe, expect, it } from 'vitest';
import { IMPORT_TOAST_MS, importResult } from '../../src/renderer/gallery/import-result';
import { errorMessage } from '../../src/renderer/common/errors';
import { StudioError } from '../../src/shared/rpc/errors';

const TOO_SMALL =
  'tiny.png is 20x20; portraits need at least 64 px on each side, so a face can be found. Use a larger picture.';

describe('import result toast', () => {
  it('one refused file: its sentence alone, an error that hides by itself', () => {
    expect(importResult(1, 0, [TOO_SMALL], [])).toEqual({
      severity: 'error',
      text: TOO_SMALL,
      group: 'import',
      durationMs: IMPORT_TOAST_MS,
    });
  });

  it('several files: the count, each refusal, what was created, the faceless ones', () => {
    const t = importResult(3, 2, [TOO_SMALL], ['sky.png']);
    expect(t.severity).toBe('error');
    expect(t.text.split('\n')).toEqual([
      '1 of 3 images could not be imported:',
      TOO_SMALL,
      '2 projects created.',
      'No face was found in sky.png: it was imported and can still run (profiles and drawings do), but a front or 3/4 portrait gives a better head.',
    ]);
  });

  it('no face: a warning; all good: a success that hides like any other', () => {
    expect(importResult(1, 1, [], ['sky.png'])).toMatchObject({
      severity: 'warning',
      durationMs: IMPORT_TOAST_MS,
      group: 'import',
    });
    expect(importResult(2, 2, [], [])).toEqual({
      severity: 'success',
      text: '2 projects created.',
      group: 'import',
    });
  });
});

describe('import error words', () => {
  it('an INVALID_IMAGE sentence is shown as the engine wrote it, without a hint or decoder text', () => {
    expect(
      errorMessage(new StudioError('INVALID_IMAGE', TOO_SMALL, { reason: 'VipsPngload: end of stream' })),
    ).toBe(TOO_SMALL);
  });
  it('other codes keep their hint', () => {
    expect(errorMessage(new StudioError('DISK_FULL', 'ENOSPC writing x'))).toBe(
      'The disk is full; nothing was written. (ENOSPC writing x)',
    );
  });
});
