/**
 * The pure parts of the applications UI: the Animate dialog's keyframe text, the restyle controls'
 * op list (what "neutral" means, the order ops apply in), and the page-side conversion that shows a
 * restyled head in the preview (same activation as the engine's live previews), and the expression
 * sliders' pose queue (one pose in flight, the newest next).
 */
import { describe, expect, it } from 'vitest';
import { parseKeyframes } from '../../src/renderer/workspace/keyframes-text';
import { NEUTRAL_RESTYLE, PALETTES, restyleOps } from '../../src/renderer/workspace/RestyleControls';
import { createPoseQueue } from '../../src/renderer/workspace/pose-queue';
import { cloudToPreviewArrays } from '../../src/renderer/workspace/restyle-preview';
import { previewEvent } from '../../src/engine/host/preview';
import { makeHeadCloud } from '../animation/head-cloud';

describe('keyframe text', () => {
  it('reads "time azimuth elevation" lines (spaces or commas, blank lines skipped)', () => {
    expect(parseKeyframes('0 0 0\n\n1.5, -40, 10\n3 40 -5')).toEqual({
      ok: true,
      keyframes: [
        { timeS: 0, azimuthDeg: 0, elevationDeg: 0 },
        { timeS: 1.5, azimuthDeg: -40, elevationDeg: 10 },
        { timeS: 3, azimuthDeg: 40, elevationDeg: -5 },
      ],
    });
  });

  it.each([
    ['0 0\n', /line 1: expected three numbers/],
    ['0 0 0\n1 x 0', /line 2/],
    ['1 0 0\n1 10 0', /times must increase/],
    ['0 0 95', /elevation/],
    ['-1 0 0', /time must be >= 0/],
    ['  \n', /at least one keyframe/],
  ])('says which line is wrong: %j', (text, message) => {
    const r = parseKeyframes(text);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(message);
  });
});

describe('restyle ops from the controls', () => {
  it('neutral controls change nothing', () => {
    expect(restyleOps(NEUTRAL_RESTYLE)).toEqual([]);
  });

  it('every control that is moved adds its op, in the order they apply', () => {
    const ops = restyleOps({
      ...NEUTRAL_RESTYLE,
      hueDeg: 30,
      tintStrength: 0.5,
      tint: '#ff0000',
      posterizeLevels: 4,
      palette: 'noir',
      paletteStrength: 0.8,
    });
    expect(ops.map((o) => o.kind)).toEqual(['hueSaturation', 'tint', 'posterize', 'palette']);
    expect(ops[1]).toEqual({ kind: 'tint', color: [1, 0, 0], strength: 0.5 });
    expect(ops[3]).toMatchObject({ kind: 'palette', strength: 0.8 });
    expect((ops[3] as { palette: number[][] }).palette).toHaveLength(PALETTES.noir.colours.length);
  });
});

describe('restyled head in the preview', () => {
  const { cloud } = makeHeadCloud(3000);

  it('activates like the engine live preview does', () => {
    const mine = cloudToPreviewArrays(cloud);
    const engine = previewEvent({ jobId: 'j', projectId: 'p', runId: 'r' }, cloud, 0);
    for (const k of ['positions', 'scales', 'rotations', 'opacities', 'colors'] as const)
      expect(Array.from(mine[k])).toEqual(Array.from(engine[k]));
  });
});

describe('expression sliders: poses sent to the engine', () => {
  it('sends one pose at a time and, after it, only the newest asked for meanwhile; a stopped queue reports nothing', async () => {
    const sent: number[] = [];
    const shown: number[] = [];
    const pending: (() => void)[] = [];
    const q = createPoseQueue(
      (w: number) => {
        sent.push(w);
        return new Promise<number>((resolve) => pending.push(() => resolve(w * 10)));
      },
      (_w, r) => shown.push(r),
      () => {},
    );
    for (const w of [1, 2, 3, 4]) q.ask(w); // a slider dragged over four steps while the engine poses
    expect(sent).toEqual([1]);
    pending.shift()!();
    await new Promise((r) => setTimeout(r, 0));
    expect(sent).toEqual([1, 4]); // 2 and 3 were never sent
    expect(shown).toEqual([10]);
    q.stop();
    pending.shift()!();
    await new Promise((r) => setTimeout(r, 0));
    expect(shown).toEqual([10]); // the run changed: its late pose is not shown
  });
});
