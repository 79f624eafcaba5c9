/** Point-in-polygon for 2-D outlines (landmark contours, face ovals), pure and allocation-free. */

/** Even-odd test of (x, y) against the closed polygon `poly` (vertices in order, last joined to first). */
export function pointInPolygon(x: number, y: number, poly: readonly (readonly [number, number])[]): boolean {
  let inside = false;
  for (let i = 0, j = poly.length - 1; i < poly.length; j = i++) {
    const [xi, yi] = poly[i];
    const [xj, yj] = poly[j];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}
