/**
 * The soft shapes the painted features of a profile's front are made of: antialiased edges half
 * covered on the outline, whole inside, empty outside, and never outside 0..1 (a coverage above 1
 * mixed a dark feature's centre past the skin to white).
 */
import { describe, expect, it } from 'vitest';
import {
  discCoverage,
  ellipseShade,
  polygonCoverage,
  polylineCoverage,
  segmentDistance,
  type Pt,
} from '../../src/engine/multiview/weightfree/feature-shapes';
import { pointInPolygon } from '../../src/shared/polygon';

const square: Pt[] = [[0, 0], [10, 0], [10, 10], [0, 10]];

describe('feature shapes', () => {
  it('measures distances to a segment, its ends included', () => {
    expect(segmentDistance(5, 3, [0, 0], [10, 0])).toBeCloseTo(3, 9);
    expect(segmentDistance(13, 4, [0, 0], [10, 0])).toBeCloseTo(5, 9);
    expect(segmentDistance(1, 1, [2, 2], [2, 2])).toBeCloseTo(Math.SQRT2, 9);
  });

  it('covers a polygon wholly inside, half on its outline, not at all outside', () => {
    expect(pointInPolygon(5, 5, square)).toBe(true);
    expect(pointInPolygon(11, 5, square)).toBe(false);
    expect(polygonCoverage(5, 5, square, 1)).toBe(1);
    expect(polygonCoverage(0, 5, square, 1)).toBeCloseTo(0.5, 9);
    expect(polygonCoverage(-0.5, 5, square, 1)).toBeCloseTo(0.25, 9);
    expect(polygonCoverage(0.5, 5, square, 1)).toBeCloseTo(0.75, 9);
    expect(polygonCoverage(-2, 5, square, 1)).toBe(0);
    expect(polygonCoverage(30, 30, square, 1)).toBe(0);
    // A hard edge without softness.
    expect(polygonCoverage(0.01, 5, square, 0)).toBe(1);
    expect(polygonCoverage(-0.01, 5, square, 0)).toBe(0);
  });

  it('draws a line of the given half width and a disc of the given radius, soft at the edge', () => {
    const line: Pt[] = [[0, 0], [10, 0], [20, 5]];
    expect(polylineCoverage(5, 0, line, 1, 0.5)).toBe(1);
    expect(polylineCoverage(5, 1, line, 1, 0.5)).toBeCloseTo(0.5, 9);
    expect(polylineCoverage(5, 3, line, 1, 0.5)).toBe(0);
    expect(polylineCoverage(15, 2.5, line, 1, 0.5)).toBe(1);
    expect(discCoverage(3, 4, 0, 0, 5, 1)).toBeCloseTo(0.5, 9);
    expect(discCoverage(0, 0, 0, 0, 5, 1)).toBe(1);
    expect(discCoverage(9, 0, 0, 0, 5, 1)).toBe(0);
  });

  it('keeps every coverage within 0..1 and a shadow smooth, 1 at its centre and 0 at its rim', () => {
    for (let y = -3; y <= 13; y += 0.37)
      for (let x = -3; x <= 13; x += 0.41) {
        for (const c of [polygonCoverage(x, y, square, 2), polylineCoverage(x, y, square, 1, 2), discCoverage(x, y, 5, 5, 4, 2), ellipseShade(x, y, 5, 5, 6, 3)]) {
          expect(c).toBeGreaterThanOrEqual(0);
          expect(c).toBeLessThanOrEqual(1);
        }
      }
    expect(ellipseShade(5, 5, 5, 5, 6, 3)).toBe(1);
    expect(ellipseShade(11, 5, 5, 5, 6, 3)).toBe(0);
    expect(ellipseShade(8, 5, 5, 5, 6, 3)).toBeGreaterThan(ellipseShade(9, 5, 5, 5, 6, 3));
  });
});
