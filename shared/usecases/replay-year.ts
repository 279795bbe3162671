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
 * hold it), and so is the time S3 received it: a listing gives whole seconds,
 * and an upload made in the same second as a lock, an unlock or an exception
 * would otherwise be judged as made before it.
 */
export interface ReplayResult {
  wipedItems: number;
  versions: number;
  outcomes: Record<IngestOutcome['kind'], number>;
}

export async function replayYear(year: number, bucket: string, deps: IngestDeps, onProgress?: (done: number, total: number) => void): Promise<ReplayResult> {
  const uploader = new Map<string, string>();
  const uploadersOfKey = new Map<string, Set<string>>();
  const received = new Map<string, string>();
  const lastReceivedOfKey = new Map<string, string>();
  for (const a of await deps.repo.listAudit(year)) {
    if (!a.versionToken || !a.s3Key) continue;
    if (a.receivedAt) {
      received.set(`${a.s3Key}\n${a.versionToken}`, a.receivedAt);
      if (a.receivedAt > (lastReceivedOfKey.get(a.s3Key) ?? '')) lastReceivedOfKey.set(a.s3Key, a.receivedAt);
    }
    if (!a.principal) continue;
    uploader.set(`${a.s3Key}\n${a.versionToken}`, a.principal);
    uploadersOfKey.set(a.s3Key, (uploadersOfKey.get(a.s3Key) ?? new Set()).add(a.principal));
  }
  // A versioned bucket (as deployed) gives each version the token it had live; an unversioned one
  // (some local runs) cannot, and then a key with a single known uploader is matched by key, and the
  // object, its last write, by the last receipt recorded for the key.
  const uploaderOf = (key: string, token: string) => uploader.get(`${key}\n${token}`) ?? (uploadersOfKey.get(key)?.size === 1 ? [...uploadersOfKey.get(key)!][0] : undefined);
  const receivedOf = (key: string, token: string, versioned: boolean) => received.get(`${key}\n${token}`) ?? (versioned ? undefined : lastReceivedOfKey.get(key));

  const wipedItems = await deps.repo.wipeProjection(year);

  const versions = await deps.objects.listVersions(bucket, `${PREFIX.submissions}${year}/`);
  const outcomes: ReplayResult['outcomes'] = { accepted: 0, rejected: 0, superseded: 0, duplicate: 0, ignored: 0 };
  for (const [i, listed] of versions.entries()) {
    // Listings carry no sequencer; the listing's order stands in for it.
    const ref = { ...listed, sequencer: listed.sequencer ?? i.toString(16).toUpperCase() };
    const token = versionToken(ref.versionId, ref.eTag, ref.sequencer);
    const principal = uploaderOf(ref.key, token);
    const eventTime = receivedOf(ref.key, token, token === ref.versionId) ?? ref.eventTime;
    const outcome = await ingestObject({ ...ref, eventTime, ...(principal ? { principal } : {}) }, deps);
    outcomes[outcome.kind]++;
    onProgress?.(i + 1, versions.length);
  }
  return { wipedItems, versions: versions.length, outcomes };
}
