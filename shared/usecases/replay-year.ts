import { PREFIX } from '../storage/layout';
import { IngestDeps, IngestOutcome, ingestObject } from './ingest-object';
import { AuditEntry } from './ports';

/**
 * Rebuild a year's DynamoDB data from the raw uploads alone:
 *  1. keep what only people decided (the lock, its exceptions, their audit entries);
 *  2. wipe every item of the year;
 *  3. put the lock decisions back;
 *  4. ingest every stored object version under submissions/{year}/, oldest
 *     first, through the same use case as live ingest.
 * Ending state: the same current submissions, outcomes and error reports as
 * the live run. What the raw objects do not hold is not restored: the
 * uploader principal of each version, and duplicate-delivery audit entries.
 */
export interface ReplayResult {
  wipedItems: number;
  versions: number;
  outcomes: Record<IngestOutcome['kind'], number>;
}

export async function replayYear(year: number, bucket: string, deps: IngestDeps, onProgress?: (done: number, total: number) => void): Promise<ReplayResult> {
  const lock = await deps.repo.getLock(year);
  const exceptions = await deps.repo.listLockExceptions(year);
  const decisions = (await deps.repo.listAudit(year)).filter((a: AuditEntry) => ['lock', 'unlock', 'exception'].includes(a.outcome));

  const wipedItems = await deps.repo.wipeYear(year);

  if (lock) await deps.repo.putLock(lock);
  for (const unitId of exceptions) await deps.repo.putLockException(year, unitId, 'replay');
  for (const entry of decisions) await deps.repo.appendAudit(entry);

  const versions = await deps.objects.listVersions(bucket, `${PREFIX.submissions}${year}/`);
  const outcomes: ReplayResult['outcomes'] = { accepted: 0, rejected: 0, superseded: 0, duplicate: 0, ignored: 0 };
  for (const [i, ref] of versions.entries()) {
    // Listings carry no sequencer; the listing's order stands in for it.
    const outcome = await ingestObject({ ...ref, sequencer: ref.sequencer ?? i.toString(16).toUpperCase() }, deps);
    outcomes[outcome.kind]++;
    onProgress?.(i + 1, versions.length);
  }
  return { wipedItems, versions: versions.length, outcomes };
}
