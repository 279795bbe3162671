import type { S3Client } from '@aws-sdk/client-s3';
import type { PresignedPost } from '@aws-sdk/s3-presigned-post';
import { GRANT_METADATA } from '../../shared/core/upload-access/grant';
import type { UploadGrant } from '../../shared/core/upload-access/request-upload';

/**
 * Turns a grant into a presigned POST whose policy S3 enforces: this exact
 * key (inside the unit's folder), this Content-Type, this grant's id in the
 * object's metadata (ingest checks the grant, grant.ts), at most maxBytes,
 * until it expires. The presigner (145 KiB with its signing code) loads on the first
 * grant, not in the cold start of a function that may only answer outcome
 * queries.
 */
export async function presignUpload(s3: S3Client, bucket: string, grant: UploadGrant): Promise<PresignedPost> {
  const { createPresignedPost } = await import('@aws-sdk/s3-presigned-post');
  return createPresignedPost(s3, {
    Bucket: bucket,
    Key: grant.key,
    // Each field becomes an exact-match condition of the policy (key and Content-Type included).
    Fields: { 'Content-Type': grant.contentType, [`x-amz-meta-${GRANT_METADATA}`]: grant.grantId },
    Conditions: [
      ['starts-with', '$key', grant.prefix],
      ['content-length-range', 1, grant.maxBytes],
    ],
    Expires: grant.expiresInSeconds,
  });
}
