/**
 * A batch in an S3-compatible bucket (--out s3://BUCKET/PREFIX), through @aws-sdk/client-s3: AWS S3
 * itself, or MinIO, Ceph, Garage, R2... at --s3-endpoint URL (or $HEADFORGE_S3_ENDPOINT,
 * $AWS_ENDPOINT_URL_S3). Credentials and region come from the AWS SDK's usual places (AWS_ACCESS_KEY_ID
 * / AWS_SECRET_ACCESS_KEY / AWS_REGION, ~/.aws, an instance role).
 *
 * Objects are written whole (one PutObject each), so a reader sees a file complete or not at all. A
 * head is made in a local temporary folder and uploaded file by file, head.json last: a worker killed
 * mid-upload leaves objects without a head.json, which count as no head and are overwritten when the
 * head is made again (the same names; the trainer is deterministic, so the same bytes).
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
  type S3ClientConfig,
} from '@aws-sdk/client-s3';
import { StudioError } from '../../../shared/rpc/errors';
import { headFileKey, HEAD_RESULT_FILE, type BatchStorage, type LocalFile } from './batch-storage';
import { parseS3Url, type S3Location } from './s3-storage-url';

/** Files of one head uploaded side by side. */
const UPLOADS_AT_ONCE = 8;

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.json': 'application/json',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
};

export class S3Storage implements BatchStorage {
  readonly url: string;
  private readonly client: S3Client;
  private readonly where: S3Location;
  private readonly endpoint: string | undefined;

  constructor(url: string, endpoint?: string) {
    this.where = parseS3Url(url);
    this.url = `s3://${this.where.bucket}${this.where.prefix ? `/${this.where.prefix}` : ''}`;
    this.endpoint = endpoint;
    const config: S3ClientConfig = {
      region: process.env.AWS_REGION || process.env.AWS_DEFAULT_REGION || 'us-east-1',
      // A server that does not answer is an error in seconds, not a hang (the SDK retries 3 times).
      requestHandler: { connectionTimeout: 10_000, requestTimeout: 120_000 },
    };
    if (endpoint) {
      config.endpoint = endpoint;
      // S3-compatible servers name the bucket in the path (no wildcard DNS for bucket.host), and many
      // do not know the SDK's newer default checksums: send and check them only where S3 requires them.
      config.forcePathStyle = true;
      config.requestChecksumCalculation = 'WHEN_REQUIRED';
      config.responseChecksumValidation = 'WHEN_REQUIRED';
    }
    // The SDK warns on Node 20 that its releases from 2027 will need Node 22; the locked version runs
    // on Node 20 (package.json's engines), and the warning would open every batch's and worker's output.
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
    this.client = new S3Client(config);
  }

  private key(key: string): string {
    return this.where.prefix ? `${this.where.prefix}/${key}` : key;
  }

  locate(key: string): string {
    return path.isAbsolute(key) ? key : `${this.url}/${key}`;
  }

  /**
   * Reads a key that is not there: NoSuchKey is a usable bucket, NoSuchBucket or AccessDenied say why
   * not. (Real S3 answers AccessDenied for a missing key without the s3:ListBucket permission, which
   * the batch needs anyway to tell a head not made yet from a forbidden one.)
   */
  async check(): Promise<void> {
    try {
      await this.client.send(
        new GetObjectCommand({ Bucket: this.where.bucket, Key: this.key('.headforge-probe') }),
      );
    } catch (err) {
      if (!isMissing(err)) throw this.error(err, `reach the bucket ${this.where.bucket}`);
    }
  }

  async readText(key: string): Promise<string | null> {
    const bytes = await this.read(key);
    return bytes === null ? null : new TextDecoder().decode(bytes);
  }

  async exists(key: string): Promise<boolean> {
    try {
      await this.client.send(new HeadObjectCommand({ Bucket: this.where.bucket, Key: this.key(key) }));
      return true;
    } catch (err) {
      if (isMissing(err)) return false;
      throw this.error(err, `look for ${this.locate(key)}`);
    }
  }

  async write(key: string, bytes: Uint8Array | string): Promise<void> {
    const body = typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes;
    await this.call(`write ${this.locate(key)}`, () =>
      this.client.send(
        new PutObjectCommand({
          Bucket: this.where.bucket,
          Key: this.key(key),
          Body: body,
          ContentType: CONTENT_TYPES[path.extname(key).toLowerCase()] ?? 'application/octet-stream',
        }),
      ),
    );
  }

  async localCopy(key: string): Promise<LocalFile> {
    if (path.isAbsolute(key)) return { path: key, dispose: async () => undefined };
    const bytes = await this.read(key);
    if (bytes === null) throw new StudioError('NOT_FOUND', `${this.locate(key)} is not in the bucket`);
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'headforge-input-'));
    const file = path.join(dir, path.basename(key));
    await fs.writeFile(file, bytes);
    return { path: file, dispose: () => fs.rm(dir, { recursive: true, force: true }) };
  }

  async headWorkDir(id: string): Promise<string> {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), `headforge-head-${id.slice(0, 40)}-`));
    // The pipeline makes the folder itself; only the unique name is needed here.
    await fs.rmdir(dir);
    return dir;
  }

  async publishHead(workDir: string, id: string): Promise<boolean> {
    if (await this.exists(headFileKey(id, HEAD_RESULT_FILE))) return false;
    const files = (await fs.readdir(workDir, { recursive: true, withFileTypes: true }))
      .filter((e) => e.isFile())
      .map((e) => path.relative(workDir, path.join(e.parentPath, e.name)).split(path.sep).join('/'))
      .filter((f) => f !== HEAD_RESULT_FILE);
    let next = 0;
    const lane = async (): Promise<void> => {
      while (next < files.length) {
        const f = files[next++];
        await this.write(headFileKey(id, f), await fs.readFile(path.join(workDir, f)));
      }
    };
    await Promise.all(Array.from({ length: UPLOADS_AT_ONCE }, lane));
    // Last: with it, the head is finished for every reader.
    await this.write(
      headFileKey(id, HEAD_RESULT_FILE),
      await fs.readFile(path.join(workDir, HEAD_RESULT_FILE)),
    );
    return true;
  }

  private async read(key: string): Promise<Uint8Array | null> {
    try {
      const got = await this.client.send(
        new GetObjectCommand({ Bucket: this.where.bucket, Key: this.key(key) }),
      );
      return (await got.Body?.transformToByteArray()) ?? new Uint8Array();
    } catch (err) {
      if (isMissing(err)) return null;
      throw this.error(err, `read ${this.locate(key)}`);
    }
  }

  private async call<T>(action: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      throw this.error(err, action);
    }
  }

  /** An SDK or network error as a StudioError that names the bucket, the endpoint and what to check. */
  private error(err: unknown, action: string): StudioError {
    const e = err as {
      name?: string;
      code?: string;
      message?: string;
      $metadata?: { httpStatusCode?: number };
    };
    const at = this.endpoint ? ` at ${this.endpoint}` : '';
    const status = e.$metadata?.httpStatusCode;
    if (
      e.code === 'ECONNREFUSED' ||
      e.code === 'ENOTFOUND' ||
      e.code === 'ETIMEDOUT' ||
      e.name === 'TimeoutError'
    )
      return new StudioError(
        'BACKEND_UNAVAILABLE',
        `could not ${action}: the S3 endpoint${at} does not answer (${e.code ?? e.name}); is the server running, is --s3-endpoint right?`,
      );
    if (e.name === 'NoSuchBucket')
      return new StudioError(
        'NOT_FOUND',
        `could not ${action}: there is no bucket ${this.where.bucket}${at}`,
      );
    if (
      status === 403 ||
      e.name === 'AccessDenied' ||
      e.name === 'InvalidAccessKeyId' ||
      e.name === 'SignatureDoesNotMatch'
    )
      return new StudioError(
        'IO',
        `could not ${action}: access denied${at} (${e.name}); check AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY and the bucket's policy`,
      );
    if (e.name === 'CredentialsProviderError')
      return new StudioError(
        'IO',
        `could not ${action}: no S3 credentials found (set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or a profile in ~/.aws)`,
      );
    return new StudioError(
      'IO',
      `could not ${action}${at}: ${e.name ?? 'error'}: ${e.message ?? String(err)}`,
    );
  }
}

/** No such object (GetObject's NoSuchKey, HeadObject's bodiless 404); not a missing bucket. */
function isMissing(err: unknown): boolean {
  const e = err as { name?: string };
  return e.name === 'NoSuchKey' || e.name === 'NotFound';
}
