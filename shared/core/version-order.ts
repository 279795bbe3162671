/**
 * Which of two uploads of a unit is newer. S3's `sequencer` orders events
 * only for the same key, and a unit may upload under different file names,
 * so the order is the time S3 stored the object first and the sequencer
 * (left-padded, as AWS documents comparing it) second.
 */
export function orderKey(eventTime: string, sequencer: string | undefined): string {
  return `${new Date(eventTime).toISOString()}#${(sequencer ?? '').padStart(24, '0')}`;
}

/**
 * Identifies one object version: the S3 version id where the bucket is
 * versioned, otherwise the content hash and sequencer of that write.
 */
export function versionToken(versionId: string | undefined, eTag: string | undefined, sequencer: string | undefined): string {
  if (versionId && versionId !== 'null') return versionId;
  return `unversioned-${eTag ?? 'no-etag'}-${sequencer ?? 'no-seq'}`;
}
