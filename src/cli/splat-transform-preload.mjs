/**
 * bin/headforge.mjs runs the CLI's TypeScript through tsx, and tsx also transforms every ES module the
 * process loads afterwards: @playcanvas/splat-transform's 5.6 MB bundle then costs ~640 MB of memory
 * and ~20 s to load (plain Node: 123 MB, ~4 s). A command that will read or write a PlayCanvas format
 * (a SOG, a compressed PLY, the HTML viewer) loads it here first, before tsx is registered; the
 * engine's own dynamic import (src/engine/splat-io/playcanvas.ts) then gets the cached module. Other
 * commands do not pay for it. Plain JavaScript, like command-list.mjs. Types: splat-transform-preload.d.mts.
 */
import fs from 'node:fs';

/** Output names and --format values that splat-transform writes. */
const PLAYCANVAS_NAME = /\.(sog|html|compressed\.ply)$/i;
const PLAYCANVAS_FORMAT = /^(sog|html|compressed-ply)$/;

/** Whether the command line names a file that is, or will be, a PlayCanvas format. */
export function usesSplatTransform(args) {
  return args.some(
    (arg, i) =>
      PLAYCANVAS_NAME.test(arg) ||
      (arg === '--format' && PLAYCANVAS_FORMAT.test(args[i + 1] ?? '')) ||
      (/\.ply$/i.test(arg) && isCompressedPly(arg)),
  );
}

/** A PLY whose header declares a 'chunk' element (PlayCanvas compressed PLY); reads 4 KB at most. */
function isCompressedPly(file) {
  let fd;
  try {
    fd = fs.openSync(file, 'r');
    const head = Buffer.alloc(4096);
    const text = head.subarray(0, fs.readSync(fd, head, 0, head.length, 0)).toString('latin1');
    const end = text.indexOf('end_header');
    return text.startsWith('ply') && end > 0 && /\nelement chunk /.test(text.slice(0, end));
  } catch {
    return false; // not there (yet) or unreadable: the command itself says so
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/** Load splat-transform now when the command will need it (call before tsx is registered). */
export async function preloadSplatTransform(args) {
  if (usesSplatTransform(args)) await import('@playcanvas/splat-transform');
}
