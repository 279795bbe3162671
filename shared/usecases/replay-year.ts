import { PREFIX } from '../storage/layout';
import { IngestDeps, IngestOutcome, ingestObject } from './ingest-object';
import { versionToken } from '../core/version-order';

/**
 * Rebuild a year's DynamoDB projection from the raw uploads alone:
 *  1. wipe what ingest derives from uploads (rows, pointers, latest-upload and
 *     version records), keeping the audit trail and the lock history;
 *  2. ingest every stored object version under submissions/{year}/, oldest
 *     first, through the same use case as live ingest — each judged by the
 *     lock history as it stood when S3 received it.
 * Outcome audit entries are keyed by version, so the ones already there stay
 * (with their time and uploader) and only a changed outcome adds one. The
 * uploader of each version is taken back from them (the raw objects do not
 * hold it).
 */
export interface ReplayResult {
  wipedItems: number;
  versions: number;
  outcomes: Record<IngestOutcome['kind'], number>;
}

export async function replayYear(year: number, bucket: string, deps: IngestDeps, onProgress?: (done: number, total: number) => void): Promise<ReplayResult> {
  const uploader = new Map<string, string>();
  const uploadersOfKey = new Map<string, Set<string>>();
  for (const a of await deps.repo.listAudit(year)) {
    if (!a.versionToken || !a.principal || !a.s3Key) continue;
    uploader.set(`${a.s3Key}\n${a.versionToken}`, a.principal);
    uploadersOfKey.set(a.s3Key, (uploadersOfKey.get(a.s3Key) ?? new Set()).add(a.principal));
  }
  // A versioned bucket (as deployed) gives each version the token it had live; an unversioned one
  // (some local runs) cannot, and then a key with a single known uploader is matched by key.
  const uploaderOf = (key: string, token: string) => uploader.get(`${key}\n${token}`) ?? (uploadersOfKey.get(key)?.size === 1 ? [...uploadersOfKey.get(key)!][0] : undefined);

  const wipedItems = await deps.repo.wipeProjection(year);

  const versions = await deps.objects.listVersions(bucket, `${PREFIX.submissions}${year}/`);
  const outcomes: ReplayResult['outcomes'] = { accepted: 0, rejected: 0, superseded: 0, duplicate: 0, ignored: 0 };
  for (const [i, listed] of versions.entries()) {
    // Listings carry no sequencer; the listing's order stands in for it.
    const ref = { ...listed, sequencer: listed.sequencer ?? i.toString(16).toUpperCase() };
    const principal = uploaderOf(ref.key, versionToken(ref.versionId, ref.eTag, ref.sequencer));
    const outcome = await ingestObject(principal ? { ...ref, principal } : ref, deps);
    outcomes[outcome.kind]++;
    onProgress?.(i + 1, versions.length);
  }
  return { wipedItems, versions: versions.length, outcomes };
}
