/**
 * Build stamps for the native outputs (the rasterizer addon, the CUDA library): a SHA-256 over the
 * source files that go into an output plus what else decides the binary (platform, flags), stored
 * next to the output. `npm install` -- and the install npm reruns on the first `npx headforge` in a
 * checkout -- compare it and skip a build whose inputs have not changed.
 *
 * Stamp file (JSON): { "hash": "<64 hex>", "ok": true|false, "at": "<ISO time>" }. ok:false records a
 * failed build of those inputs, so an unchanged failing build is not retried on every install.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** Every file under `dir` (recursively) whose name passes `keep`, as paths relative to `root`, sorted. */
function filesUnder(root, dir, keep) {
  const abs = path.join(root, dir);
  if (!fs.existsSync(abs)) return [];
  if (fs.statSync(abs).isFile()) return keep(dir) ? [dir] : [];
  const out = [];
  for (const entry of fs.readdirSync(abs, { withFileTypes: true })) {
    const rel = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...filesUnder(root, rel, keep));
    else if (entry.isFile() && keep(rel)) out.push(rel);
  }
  return out.sort();
}

/**
 * Hash of the inputs: each source's relative path and bytes (so a rename counts), then `extra`
 * (strings such as flags or the platform). `sources` are { dir, keep? } relative to `root`.
 */
export function inputsHash(root, sources, extra = []) {
  const hash = crypto.createHash('sha256');
  for (const { dir, keep = () => true } of sources) {
    for (const rel of filesUnder(root, dir, keep)) {
      hash.update(`${rel.split(path.sep).join('/')}\0`);
      hash.update(fs.readFileSync(path.join(root, rel)));
      hash.update('\0');
    }
  }
  for (const e of extra) hash.update(`${e}\0`);
  return hash.digest('hex');
}

/** The stamp at `file`, or undefined when missing or unreadable. */
export function readStamp(file) {
  try {
    const s = JSON.parse(fs.readFileSync(file, 'utf8'));
    return typeof s?.hash === 'string' && typeof s?.ok === 'boolean' ? s : undefined;
  } catch {
    return undefined;
  }
}

/** Writes the stamp through a temporary file and a rename, so a reader sees the old or the new one. */
export function writeStamp(file, hash, ok) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}`;
  fs.writeFileSync(tmp, `${JSON.stringify({ hash, ok, at: new Date().toISOString() })}\n`);
  fs.renameSync(tmp, file);
}

/**
 * Runs `fn` holding a lock folder (two installs at once, e.g. `npx headforge` in two terminals, must
 * not build into the same folder). A lock whose owner process is gone is taken over.
 */
export function withLock(lockDir, fn, log) {
  const owner = path.join(lockDir, 'pid');
  const sleep = new Int32Array(new SharedArrayBuffer(4));
  let told = false;
  for (;;) {
    try {
      fs.mkdirSync(lockDir);
      fs.writeFileSync(owner, String(process.pid));
      break;
    } catch (err) {
      if (err.code !== 'EEXIST') throw err;
      const pid = Number(fs.existsSync(owner) ? fs.readFileSync(owner, 'utf8') : NaN);
      if (!alive(pid) && fs.existsSync(owner)) {
        fs.rmSync(lockDir, { recursive: true, force: true });
        continue;
      }
      if (!told) log(`another build is running (pid ${Number.isFinite(pid) ? pid : '?'}); waiting for it`);
      told = true;
      Atomics.wait(sleep, 0, 0, 500);
    }
  }
  try {
    return fn();
  } finally {
    fs.rmSync(lockDir, { recursive: true, force: true });
  }
}

function alive(pid) {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return err.code === 'EPERM';
  }
}
