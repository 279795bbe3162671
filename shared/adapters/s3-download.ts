import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';

/** Copies every object under a prefix into a local folder; returns the files written, sorted. */
export async function downloadPrefix(s3: S3Client, bucket: string, prefix: string, outDir: string): Promise<string[]> {
  mkdirSync(outDir, { recursive: true });
  const files: string[] = [];
  let ContinuationToken: string | undefined;
  do {
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken }));
    for (const object of listed.Contents ?? []) {
      const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: object.Key! }));
      const file = path.join(outDir, object.Key!.slice(prefix.length));
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, await out.Body!.transformToByteArray());
      files.push(file);
    }
    ContinuationToken = listed.IsTruncated ? listed.NextContinuationToken : undefined;
  } while (ContinuationToken);
  return files.sort();
}
