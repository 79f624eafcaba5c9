/**
 * A throwaway S3-compatible server for the batch storage tests: s3rver (npm @20minutes/s3rver, a
 * devDependency, plain Node: nothing to install from Debian) on 127.0.0.1 at a free port, its objects
 * in a temp folder, with the buckets asked for. Its fixed credentials are S3RVER / S3RVER.
 *
 * What it does not cover (docs/farm.md): request signatures (it accepts any well-formed one: it
 * disagrees with the AWS SDK on bucket-level requests), real S3's latency, multipart uploads, bucket
 * policies and IAM, virtual-host bucket names, TLS, and the SDK's newer checksums (sent only where
 * required to S3-compatible servers).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { repoRoot } from '../cli/quick-run';

export const S3RVER_CREDENTIALS = { AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER' };

export interface TestS3 {
  endpoint: string;
  stop(): Promise<void>;
}

export async function startS3(buckets: string[]): Promise<TestS3> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'hf-s3rver-'));
  // The package's own CLI script is not in its npm files: start it through its module.
  const script = `const S3rver = require('@20minutes/s3rver');
    new S3rver(JSON.parse(process.argv[1])).run().then(({ address, port }) => console.log('listening on %s:%d', address, port));`;
  const options = {
    directory: dir,
    address: '127.0.0.1',
    port: 0,
    silent: true,
    configureBuckets: buckets.map((name) => ({ name })),
    // s3rver computes a different SigV4 signature than the AWS SDK for bucket-level requests (HEAD
    // bucket, ListObjectsV2; object requests agree): it still checks the key, not the signature.
    allowMismatchedSignatures: true,
  };
  const proc = spawn(process.execPath, ['-e', script, JSON.stringify(options)], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  const started = new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`s3rver did not start:\n${log}`)), 30_000);
    const read = (d: Buffer): void => {
      log += d.toString();
      const m = /listening on [\d.]+:(\d+)/.exec(log);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    };
    proc.stdout!.on('data', read);
    proc.stderr!.on('data', read);
    proc.once('exit', (code) => reject(new Error(`s3rver exited (${code}):\n${log}`)));
  });
  const port = await started.catch(async (err: unknown) => {
    proc.kill('SIGKILL');
    await fs.rm(dir, { recursive: true, force: true });
    throw err;
  });
  return {
    endpoint: `http://127.0.0.1:${port}`,
    stop: async () => {
      if (proc.exitCode === null) {
        const exited = new Promise((resolve) => proc.once('exit', resolve));
        proc.kill('SIGTERM');
        await exited;
      }
      await fs.rm(dir, { recursive: true, force: true });
    },
  };
}
