/**
 * S3 locations as the CLI takes them (s3://BUCKET/PREFIX) and where the S3-compatible server is, kept
 * apart from s3-storage.ts so that flags can be checked without loading the AWS SDK.
 */

export interface S3Location {
  bucket: string;
  /** Key prefix without leading or trailing '/', '' for the bucket's root. */
  prefix: string;
}

export function isS3Url(out: string): boolean {
  return /^s3:\/\//i.test(out);
}

/** s3://BUCKET[/PREFIX] -> its bucket and prefix, or a RangeError with a sentence. */
export function parseS3Url(url: string): S3Location {
  const m = /^s3:\/\/([^/]+)\/?(.*)$/i.exec(url);
  if (!m || !/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(m[1]))
    throw new RangeError(
      `${JSON.stringify(url)} is not an S3 location; expected s3://BUCKET/PREFIX (bucket names: 3-63 lower-case letters, digits, '.' and '-')`,
    );
  const prefix = m[2].replace(/\/+$/, '');
  if (prefix && prefix.split('/').some((part) => part === '' || part === '.' || part === '..'))
    throw new RangeError(`${JSON.stringify(url)}: the prefix has an empty, '.' or '..' part`);
  return { bucket: m[1], prefix };
}

/** The endpoint of an S3-compatible server: the flag's, else the environment's, else AWS's own. */
export function s3Endpoint(flag?: string): string | undefined {
  return flag || process.env.HEADFORGE_S3_ENDPOINT || process.env.AWS_ENDPOINT_URL_S3 || undefined;
}
