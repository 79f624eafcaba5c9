/**
 * 4-connected flood fill over a W x H pixel grid (index i = y * W + x). Starts from `seeds` (always
 * in the region); a neighbour joins when `enter(j, x, y)` says so, and is entered once at most.
 * Returns the region as a Uint8Array [W*H] (1 = in it).
 */
export function floodFill4(
  W: number,
  H: number,
  seeds: readonly number[],
  enter: (j: number, x: number, y: number) => boolean,
): Uint8Array {
  const region = new Uint8Array(W * H);
  const stack: number[] = [];
  for (const s of seeds) {
    if (region[s]) continue;
    region[s] = 1;
    stack.push(s);
  }
  const visit = (j: number, x: number, y: number) => {
    if (region[j] || !enter(j, x, y)) return;
    region[j] = 1;
    stack.push(j);
  };
  while (stack.length) {
    const i = stack.pop()!;
    const x = i % W;
    const y = (i - x) / W;
    if (x > 0) visit(i - 1, x - 1, y);
    if (x < W - 1) visit(i + 1, x + 1, y);
    if (y > 0) visit(i - W, x, y - 1);
    if (y < H - 1) visit(i + W, x, y + 1);
  }
  return region;
}
