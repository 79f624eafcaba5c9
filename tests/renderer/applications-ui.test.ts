/**
 * The pure parts of the applications UI: the Animate dialog's keyframe text, the restyle controls'
 * op list (what "neutral" means, the order ops apply in), and the page-side conversion that shows a
 * restyled / posed head in the preview (same activation as the engine's live previews).
 */
import { describe, expect, it } from 'vitest';
import { parseKeyframes } from '../../src/renderer/workspace/keyframes-text';
import { NEUTRAL_RESTYLE, PALETTES, restyleOps } from '../../src/renderer/workspace/RestyleControls';
import { cloudToPreviewArrays, posedCloud } from '../../src/renderer/workspace/restyle-preview';
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
    const ops = restyleOps({ ...NEUTRAL_RESTYLE, hueDeg: 30, tintStrength: 0.5, tint: '#ff0000', posterizeLevels: 4, palette: 'noir', paletteStrength: 0.8 });
    expect(ops.map((o) => o.kind)).toEqual(['hueSaturation', 'tint', 'posterize', 'palette']);
    expect(ops[1]).toEqual({ kind: 'tint', color: [1, 0, 0], strength: 0.5 });
    expect(ops[3]).toMatchObject({ kind: 'palette', strength: 0.8 });
    expect((ops[3] as { palette: number[][] }).palette).toHaveLength(PALETTES.noir.colours.length);
  });
});

describe('restyled / posed head in the preview', () => {
  const { cloud, anchors } = makeHeadCloud(3000);

  it('activates like the engine live preview does', () => {
    const mine = cloudToPreviewArrays(cloud);
    const engine = previewEvent({ jobId: 'j', projectId: 'p', runId: 'r' }, cloud, 0);
    for (const k of ['positions', 'scales', 'rotations', 'opacities', 'colors'] as const)
      expect(Array.from(mine[k])).toEqual(Array.from(engine[k]));
  });

  it('a posed head keeps every Gaussian, adds the mouth interior, and moves the jaw only when asked', () => {
    const still = posedCloud(cloud, { anchors, weights: {} });
    const open = posedCloud(cloud, { anchors, weights: { jawOpen: 1 } });
    expect(still.count).toBeGreaterThan(cloud.count);
    expect(open.count).toBe(still.count);
    expect(Array.from(still.positions.subarray(0, cloud.count * 3))).toEqual(Array.from(cloud.positions));
    let moved = 0;
    for (let i = 0; i < cloud.count * 3; i++) if (open.positions[i] !== cloud.positions[i]) moved++;
    expect(moved).toBeGreaterThan(30);
    expect(moved).toBeLessThan(cloud.count * 3 * 0.3); // the face moves, the rest of the head does not
  });
});
