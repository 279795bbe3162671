import {
  GetObjectCommand,
  ListObjectVersionsCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { FileTooLargeError, TransientError } from '../core/errors';
import { ObjectStore, ObjectVersionRef, StoredObject } from '../usecases/ports';

export class S3ObjectStore implements ObjectStore {
  constructor(private readonly client: S3Client) {}

  async get(bucket: string, key: string, versionId: string | undefined, maxBytes: number): Promise<StoredObject> {
    let out;
    try {
      out = await this.client.send(new GetObjectCommand({ Bucket: bucket, Key: key, VersionId: usableVersionId(versionId) }));
    } catch (err) {
      // A missing object may still be on its way (eventual listing) or deleted; either way a retry decides.
      throw new TransientError(`GetObject ${bucket}/${key}: ${(err as Error).name}: ${(err as Error).message}`);
    }
    if (out.ContentLength !== undefined && out.ContentLength > maxBytes) {
      out.Body?.transformToWebStream().cancel().catch(() => undefined);
      throw new FileTooLargeError(key, out.ContentLength, maxBytes);
    }
    const bytes = await out.Body!.transformToByteArray();
    if (bytes.byteLength > maxBytes) throw new FileTooLargeError(key, bytes.byteLength, maxBytes);
    return { bytes, versionId: out.VersionId, lastModified: out.LastModified, metadata: out.Metadata };
  }

  async put(bucket: string, key: string, body: string | Uint8Array, contentType: string): Promise<void> {
    await this.client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: contentType }));
  }

  /**
   * A versioned bucket lists every version; an unversioned one (or an S3
   * emulator without versioning) answers ListObjectVersions with an error or
   * nothing, and then its current objects are all there is.
   */
  async listVersions(bucket: string, prefix: string): Promise<ObjectVersionRef[]> {
    const refs: ObjectVersionRef[] = [];
    try {
      let KeyMarker: string | undefined;
      let VersionIdMarker: string | undefined;
      do {
        const out = await this.client.send(new ListObjectVersionsCommand({ Bucket: bucket, Prefix: prefix, KeyMarker, VersionIdMarker }));
        for (const v of out.Versions ?? []) {
          refs.push({ bucket, key: v.Key!, versionId: v.VersionId, eTag: v.ETag?.replaceAll('"', ''), size: v.Size, eventTime: v.LastModified!.toISOString() });
        }
        KeyMarker = out.IsTruncated ? out.NextKeyMarker : undefined;
        VersionIdMarker = out.IsTruncated ? out.NextVersionIdMarker : undefined;
      } while (KeyMarker);
      if (refs.length > 0) return sortOldestFirst(refs);
    } catch {
      // Not versioned here: fall through to the current objects.
    }
    let ContinuationToken: string | undefined;
    do {
      const out = await this.client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken }));
      for (const o of out.Contents ?? []) {
        refs.push({ bucket, key: o.Key!, eTag: o.ETag?.replaceAll('"', ''), size: o.Size, eventTime: o.LastModified!.toISOString() });
      }
      ContinuationToken = out.IsTruncated ? out.NextContinuationToken : undefined;
    } while (ContinuationToken);
    return sortOldestFirst(refs);
  }
}

/** S3 reports "null" as the version of an object stored while versioning was off. */
export function usableVersionId(versionId: string | undefined): string | undefined {
  return versionId && versionId !== 'null' ? versionId : undefined;
}

function sortOldestFirst(refs: ObjectVersionRef[]): ObjectVersionRef[] {
  return refs.sort((a, b) => a.eventTime.localeCompare(b.eventTime) || a.key.localeCompare(b.key));
}
