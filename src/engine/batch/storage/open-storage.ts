/**
 * The batch's storage for an --out value: s3://BUCKET/PREFIX is a bucket (the AWS SDK is loaded only
 * then), anything else a folder.
 */
import type { BatchStorage } from './batch-storage';
import { FolderStorage } from './folder-storage';
import { isS3Url, s3Endpoint } from './s3-storage-url';

export interface StorageOptions {
  /** An S3-compatible server's URL (--s3-endpoint); default $HEADFORGE_S3_ENDPOINT, then AWS. */
  s3Endpoint?: string;
}

export async function openStorage(out: string, opts: StorageOptions = {}): Promise<BatchStorage> {
  if (!isS3Url(out)) return new FolderStorage(out);
  const { S3Storage } = await import('./s3-storage');
  return new S3Storage(out, s3Endpoint(opts.s3Endpoint));
}
