import { versionToken } from '../core/version-order';
import type { SubmissionRepository, VersionRecord } from './ports';

/**
 * The outcome ingest recorded for one uploaded object version, as the uploader
 * knows it (the key, and the version id or ETag S3 answered the upload with).
 * Shared by the upload API and the portal's clerk page.
 */
export async function findUploadOutcome(
  repo: Pick<SubmissionRepository, 'getVersion' | 'listLatest'>,
  key: string,
  year: number,
  version: { versionId?: string; eTag?: string },
): Promise<VersionRecord | undefined> {
  if (version.versionId && version.versionId !== 'null') return repo.getVersion(key, versionToken(version.versionId, version.eTag, undefined));
  // An unversioned bucket (the local emulator): the unit's latest upload of this key with this content.
  const prefix = versionToken(undefined, version.eTag, 'x').replace(/x$/, '');
  return (await repo.listLatest(year)).find((r) => r.s3Key === key && r.versionToken.startsWith(prefix));
}
