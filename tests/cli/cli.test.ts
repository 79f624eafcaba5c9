/**
 * The headforge CLI: help and unknown commands, projects, doctor, generate (bad input, missing pipeline,
 * success with --out/--json, Ctrl+C -> exit 4 through the real bin), serve (through the real bin).
 */
import { writeTinyPack } from '../../scripts/make-tiny-pack';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { main } from '../../src/cli/index';
import { ProjectLibrary } from '../../src/engine/projects/library';
import { createWsClient, type WebSocketConstructor } from '../../src/shared/rpc/ws-client';
import { PORTRAIT, portraitBytes, repoRoot, tempLibrary } from '../api/helpers';

const testPipeline = path.resolve(__dirname, '../host/fixtures/test-pipeline.ts');
const cleanup: string[] = [];
afterAll(() => cleanup.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

function lib(): string {
  const d = tempLibrary('hf-cli-');
  cleanup.push(d);
  return d;
}

/** Run main() in-process with captured output; env overrides applied for the duration. */
async function cli(
  argv: string[],
  env: Record<string, string | undefined> = {},
): Promise<{ code: number; out: string; err: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c: Buffer) => (out += c.toString()));
  stderr.on('data', (c: Buffer) => (err += c.toString()));
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  for (const [k, v] of Object.entries(env)) if (v === undefined) delete process.env[k];
  try {
    const code = await main(argv, { stdout, stderr });
    return { code, out, err };
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

/** Spawn the real bin; resolves once `ready` matches stdout/stderr. */
function spawnBin(
  args: string[],
  env: Record<string, string>,
  ready: RegExp,
): Promise<{ child: ChildProcess; output: () => string; exit: Promise<number | null> }> {
  const child = spawn(process.execPath, [path.join(repoRoot, 'bin/headforge.mjs'), ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`timed out waiting for ${ready}; output so far:\n${output}`)),
      60_000,
    );
    const onData = (c: Buffer): void => {
      output += c.toString();
      if (ready.test(output)) {
        clearTimeout(timer);
        resolve({ child, output: () => output, exit });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    void exit.then((code) => reject(new Error(`exited ${code} before ready:\n${output}`)));
  });
}

describe('headforge CLI', () => {
  it('lists its commands and exit codes; unknown commands exit 2', async () => {
    const help = await cli(['--help']);
    expect(help.code).toBe(0);
    for (const name of ['generate', 'projects', 'serve', 'doctor']) expect(help.out).toContain(name);
    expect(help.out).toMatch(/4 cancelled/);
    expect((await cli(['frobnicate'])).code).toBe(2);
    expect((await cli([])).code).toBe(2);
  });

  it('projects: lists ok and damaged projects, shows one, bad ids exit 2', async () => {
    const root = lib();
    const library = new ProjectLibrary({ root });
    const p = await library.create({ name: 'Anna', fileName: 'anna.png', bytes: portraitBytes() });
    const broken = await library.create({ name: 'Broken', fileName: 'b.png', bytes: portraitBytes() });
    fs.writeFileSync(path.join(root, 'projects', broken.id, 'project.json'), 'garbage');
    const list = await cli(['projects', '--library', root]);
    expect(list.code).toBe(0);
    expect(list.out).toContain(p.id);
    expect(list.out).toMatch(new RegExp(`${broken.id}.*DAMAGED: project.json is not valid JSON`));
    const show = await cli(['projects', 'show', p.id, '--library', root, '--json']);
    expect(JSON.parse(show.out)).toMatchObject({ id: p.id, name: 'Anna', runs: [] });
    expect((await cli(['projects', 'show', 'no-such', '--library', root])).code).toBe(2);
    expect((await cli(['projects', 'show', '../../etc', '--library', root])).code).toBe(2);
    expect((await cli(['projects', '--bogus'])).code).toBe(2);
  });

  it('doctor reports versions, providers, addon, pipeline and packs', async () => {
    const packs = fs.mkdtempSync(path.join(os.tmpdir(), 'hf-packs-'));
    cleanup.push(packs);
    // A real (tiny) pack with one network file missing: doctor must name the pack and the problem.
    const manifest = writeTinyPack(path.join(packs, 'broken-pack'));
    const removed = manifest.networks.unetStage1.file;
    fs.rmSync(path.join(packs, 'broken-pack', removed));
    const r = await cli(['doctor', '--json', '--models', packs]);
    expect(r.code).toBe(0);
    const d = JSON.parse(r.out);
    expect(d.node).toBe(process.versions.node);
    expect(d.executionProviders).toContain('cpu');
    expect(['built', 'missing']).toContain(d.nativeAddon);
    const pack = d.modelPacks.find((p: { name: string }) => p.name === manifest.name);
    expect(pack).toMatchObject({ version: manifest.version, valid: false });
    expect(pack.problem).toContain(removed);
    expect(typeof d.pipeline.available).toBe('boolean');
    const text = await cli(['doctor', '--models', packs]);
    expect(text.out).toContain(`INVALID ${manifest.name} ${manifest.version}`);
    expect(text.out).toContain(removed);
  });

  it('generate: bad input exits 2 with the reason, nothing half-made', async () => {
    const root = lib();
    const env = { HEADFORGE_PIPELINE_MODULE: testPipeline };
    const notImage = path.join(root, 'notes.png');
    fs.writeFileSync(notImage, 'not an image');
    const r1 = await cli(['generate', notImage, '--library', root], env);
    expect(r1.code).toBe(2);
    expect(r1.err).toMatch(/notes\.png is not an image/);
    const r2 = await cli(['generate', path.join(root, 'missing.png'), '--library', root], env);
    expect([r2.code, r2.err.includes('no such file')]).toEqual([2, true]);
    const r3 = await cli(['generate', PORTRAIT, '--elevation', '90', '--library', root], env);
    expect(r3.code).toBe(2);
    expect(r3.err).toMatch(/--elevation/);
    expect((await cli(['generate', '--library', root], env)).code).toBe(2);
    expect(await new ProjectLibrary({ root }).list()).toEqual([]);
  });

  it('generate: a missing pipeline exits 3 and says so', async () => {
    const root = lib();
    const r = await cli(['generate', PORTRAIT, '--library', root], {
      HEADFORGE_PIPELINE_MODULE: path.join(root, 'nope.ts'),
    });
    expect(r.code).toBe(3);
    expect(r.err).toMatch(/pipeline not available/);
  });

  it('generate: runs the pipeline, copies the run to --out, prints JSON', async () => {
    const root = lib();
    const out = path.join(root, 'out');
    const r = await cli(
      ['generate', PORTRAIT, '--library', root, '--seed', '7', '--steps', '3', '--out', out, '--json'],
      { HEADFORGE_PIPELINE_MODULE: testPipeline },
    );
    expect(r.code).toBe(0);
    const result = JSON.parse(r.out);
    expect(result).toMatchObject({ state: 'done', outDir: out, outputs: { headPly: 'head.ply' } });
    expect(fs.readFileSync(path.join(out, 'head.ply'), 'utf8')).toMatch(/test marker/);
    expect(JSON.parse(fs.readFileSync(path.join(out, 'run.json'), 'utf8')).state).toBe('done');
    expect(r.err).toMatch(/progress \d+% stage-a/); // not a TTY: plain progress lines
    // A run that wrote no head says so and exits 3.
    const partial = await cli(['generate', PORTRAIT, '--library', root, '--steps', '2'], {
      HEADFORGE_PIPELINE_MODULE: testPipeline,
    });
    expect(partial.code).toBe(3);
    expect(partial.out).toMatch(/no head was written/);
  });

  it('generate: Ctrl+C cancels the job and exits 4 (real bin)', async () => {
    const root = lib();
    const run = await spawnBin(
      ['generate', PORTRAIT, '--library', root, '--steps', '100000'],
      { HEADFORGE_PIPELINE_MODULE: testPipeline },
      /progress \d+%/,
    );
    run.child.kill('SIGINT');
    expect(await run.exit).toBe(4);
    expect(run.output()).toMatch(/cancelled/);
    const [project] = await new ProjectLibrary({ root }).list();
    expect((await new ProjectLibrary({ root }).get(project.id)).runs[0].state).toBe('cancelled');
  });

  it('serve: prints a tokenised 127.0.0.1 URL, serves the API over WS, stops on Ctrl+C (real bin)', async () => {
    const root = lib();
    const renderer = fs.mkdtempSync(path.join(os.tmpdir(), 'hf-r-'));
    cleanup.push(renderer);
    fs.writeFileSync(path.join(renderer, 'index.html'), '<title>studio</title>');
    const srv = await spawnBin(
      ['serve', '--library', root, '--renderer', renderer],
      {},
      /Open: (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/,
    );
    const url = new URL(/Open: (\S+)/.exec(srv.output())![1]);
    const token = url.searchParams.get('token')!;
    expect(await (await fetch(url)).text()).toContain('<title>studio</title>');
    const client = createWsClient(`ws://${url.host}`, token, WebSocket as unknown as WebSocketConstructor);
    const created = await client.createProject({ name: 'via ws', fileName: 'p.png', bytes: portraitBytes() });
    expect((await client.listProjects()).map((p) => p.id)).toEqual([created.id]);
    client.close();
    srv.child.kill('SIGINT');
    expect(await srv.exit).toBe(0);
  });
});
