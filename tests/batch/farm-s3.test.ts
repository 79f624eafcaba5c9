/**
 * A batch whose inputs and heads live in an S3-compatible bucket (--out s3://BUCKET/PREFIX): a local
 * S3 server (s3rver, see s3-server.ts for what it does not cover), a real redis-server and one
 * `headforge worker` process that reaches the bucket through its own environment. The portrait goes
 * up to the bucket, the worker makes the head from there and uploads it, the submitter writes the
 * summary there; a second call without the farm finds that head in the bucket and makes the one of a
 * new seed with the local engine, into the bucket too. A
 * missing bucket and a server that does not answer are sentences, not hangs.
 */
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../cli/run-cli';
import { repoRoot } from '../cli/quick-run';
import type { BatchSummary } from '../../src/engine/batch/summary';
import { PORTRAITS, TEST_STEPS } from './fixtures';
import { killAll, startWorker, until, type TestWorker } from './farm-processes';
import { startRedis, type TestRedis } from './redis';
import { S3RVER_CREDENTIALS, startS3, type TestS3 } from './s3-server';

const PORTRAIT = path.join(PORTRAITS, 'hq-0002-matted-rgba.png');
const OUT = 's3://cast/team-a';
const SETTINGS = ['--quality', 'draft', '--steps', TEST_STEPS, '--preset', 'web'];

let s3: TestS3;
let redis: TestRedis | undefined;
const workers: TestWorker[] = [];
let client: S3Client;
const savedEnv = { ...process.env };

beforeAll(async () => {
  s3 = await startS3(['cast']);
  // The submitter runs in this process: the SDK reads its credentials from the environment.
  Object.assign(process.env, S3RVER_CREDENTIALS, {
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  });
  client = new S3Client({
    region: 'us-east-1',
    endpoint: s3.endpoint,
    forcePathStyle: true,
    requestChecksumCalculation: 'WHEN_REQUIRED',
  });
});

afterAll(async () => {
  killAll(workers);
  client?.destroy();
  await redis?.stop();
  await s3?.stop();
  process.env = savedEnv;
});

async function objectKeys(prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = await client.send(
      new ListObjectsV2Command({ Bucket: 'cast', Prefix: prefix, ContinuationToken: token }),
    );
    keys.push(...(page.Contents ?? []).map((o) => o.Key!));
    token = page.NextContinuationToken;
  } while (token);
  return keys.sort();
}

async function object(key: string): Promise<{ bytes: Uint8Array; type: string | undefined }> {
  const got = await client.send(new GetObjectCommand({ Bucket: 'cast', Key: key }));
  return { bytes: await got.Body!.transformToByteArray(), type: got.ContentType };
}

describe('batch storage in an S3-compatible bucket', () => {
  it('a farm batch reads its portrait from the bucket and publishes the head, exports and summary there', async () => {
    redis = await startRedis();
    // The worker knows the bucket's server from its environment, as on a farm machine.
    const worker = startWorker(redis.url, { ...S3RVER_CREDENTIALS, HEADFORGE_S3_ENDPOINT: s3.endpoint });
    workers.push(worker);
    await until('the worker', () => /waiting for heads/.test(worker.log));

    const r = await runCli([
      'batch',
      PORTRAIT,
      '--out',
      OUT,
      ...SETTINGS,
      '--queue',
      redis.url,
      '--s3-endpoint',
      s3.endpoint,
    ]);
    expect(r.code, `${r.err}\nworker:\n${worker.log}`).toBe(0);
    expect(r.out).toContain(`summary: ${OUT}/batch.json`);
    expect(r.out).toContain(`contact sheet: ${OUT}/index.html`);
    expect(r.err).not.toMatch(/NodeVersionSupportWarning/);

    const summary = JSON.parse(
      new TextDecoder().decode((await object('team-a/batch.json')).bytes),
    ) as BatchSummary;
    expect(summary.totals).toMatchObject({ heads: 1, done: 1, failed: 0 });
    const head = summary.heads[0];
    const portraitSha = crypto
      .createHash('sha256')
      .update(await fs.readFile(PORTRAIT))
      .digest('hex');
    const keys = await objectKeys('team-a/');
    // The portrait went up for the workers; the head came back whole, under the batch's prefix only.
    expect(keys).toContain(`team-a/inputs/${portraitSha}.png`);
    for (const f of [
      head.files!.headPly,
      head.files!.portrait,
      head.files!.front,
      head.files!.exports[0].file,
    ])
      expect(keys).toContain(`team-a/${f}`);
    expect(keys).toContain(`team-a/heads/${head.id}/head.json`);
    expect(keys.filter((k) => k.startsWith(`team-a/heads/${head.id}/views/`))).toHaveLength(16);
    expect(
      keys.every(
        (k) =>
          k.startsWith('team-a/inputs/') ||
          k.startsWith('team-a/heads/') ||
          k === 'team-a/batch.json' ||
          k === 'team-a/index.html',
      ),
    ).toBe(true);
    // The uploaded head.ply is the one the run recorded (its sha256 in record.json).
    const ply = await object(`team-a/${head.files!.headPly}`);
    const record = JSON.parse(
      new TextDecoder().decode((await object(`team-a/heads/${head.id}/record.json`)).bytes),
    ) as { outputs: { headPlySha256: string } };
    expect(crypto.createHash('sha256').update(ply.bytes).digest('hex')).toBe(record.outputs.headPlySha256);
    // The contact sheet opens as a page when the bucket is served over HTTP.
    const sheet = await object('team-a/index.html');
    expect(sheet.type).toMatch(/^text\/html/);
    expect(new TextDecoder().decode(sheet.bytes)).toContain(`src="${head.files!.front}"`);
    // Nothing was written to a local folder named after the URL, nor left in the worker's temp folder.
    await expect(fs.stat(path.join(repoRoot, 's3:'))).rejects.toThrow(/ENOENT/);
    expect(
      (await fs.readdir(os.tmpdir())).filter((n) => n.startsWith(`headforge-head-${head.id.slice(0, 20)}`)),
    ).toEqual([]);

    // Again without the farm and with a second seed: seed 0 is found in the bucket, seed 1 is made by
    // the local engine and published to the bucket the same way.
    const again = await runCli([
      'batch',
      PORTRAIT,
      '--out',
      OUT,
      ...SETTINGS,
      '--seeds',
      '2',
      '--s3-endpoint',
      s3.endpoint,
    ]);
    expect(again.code, again.err).toBe(0);
    expect(again.err).toContain('1 of 2 heads already made by an earlier call');
    expect(again.err.match(/^\[start\]/gm)).toHaveLength(1);
    const both = JSON.parse(
      new TextDecoder().decode((await object('team-a/batch.json')).bytes),
    ) as BatchSummary;
    expect(both.totals).toMatchObject({ heads: 2, done: 2, resumed: 1 });
    const local = both.heads.find((h) => h.seed === 1)!;
    expect(local.resumed).toBeUndefined();
    const after = await objectKeys(`team-a/heads/${local.id}/`);
    expect(after).toContain(`team-a/${local.files!.headPly}`);
    expect(after).toContain(`team-a/heads/${local.id}/head.json`);
  });

  it('names a missing bucket and a server that does not answer, in seconds', async () => {
    const missing = await runCli([
      'batch',
      PORTRAIT,
      '--out',
      's3://no-such-bucket/x',
      '--s3-endpoint',
      s3.endpoint,
    ]);
    expect(missing.code).toBe(2);
    expect(missing.err).toContain(`there is no bucket no-such-bucket at ${s3.endpoint}`);

    const t0 = performance.now();
    const down = await runCli(['batch', PORTRAIT, '--out', OUT, '--s3-endpoint', 'http://127.0.0.1:9']);
    expect(down.code).toBe(3);
    expect(down.err).toMatch(/the S3 endpoint at http:\/\/127\.0\.0\.1:9 does not answer \(ECONNREFUSED\)/);
    expect((performance.now() - t0) / 1000).toBeLessThan(30);
  });
});
