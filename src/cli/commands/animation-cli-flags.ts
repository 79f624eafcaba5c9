/** Small flag parsers shared by the stylize, frontal and animate commands. */
import { parseHexColor, type Rgb } from '../../shared/stylize';
import { UsageError } from '../command';

export function numberFlag(
  v: string | boolean | undefined,
  name: string,
  lo: number,
  hi: number,
): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (typeof v !== 'string' || !Number.isFinite(n) || n < lo || n > hi) {
    throw new UsageError(`--${name} must be a number in [${lo}, ${hi}], got ${JSON.stringify(v)}`);
  }
  return n;
}

export function colourFlag(v: string | boolean | undefined, name: string): Rgb | undefined {
  if (v === undefined) return undefined;
  try {
    return parseHexColor(String(v));
  } catch {
    throw new UsageError(`--${name} must be a hex colour like #1a2b3c, got ${JSON.stringify(v)}`);
  }
}

export const IMAGE_EXTENSIONS = ['.png', '.jpg', '.jpeg', '.webp'];

/** A line-per-10% progress reporter for stderr. */
export function tenthsReporter(
  write: (line: string) => void,
  what: string,
): (done: number, total: number) => void {
  let last = -1;
  return (done, total) => {
    const tenth = Math.floor((done / total) * 10);
    if (tenth !== last) {
      last = tenth;
      write(`${what} ${done}/${total} (${tenth * 10}%)`);
    }
  };
}
