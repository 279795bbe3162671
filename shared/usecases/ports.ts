import type { LockEvent } from '../core/lock-history';
import { NormalizedSubmission } from '../core/submission/normalized';
import type { LedgerFieldSelection } from '../core/report/ledger-fields';
import type { LedgerRowSink } from '../core/submission/row-sink';
import type { SubmissionChanges } from '../core/submission/changes';

/**
 * What the use cases need from storage, as interfaces: the DynamoDB and S3
 * adapters in shared/adapters implement them, and the use cases stay free of
 * the AWS SDK.
 */

/** One S3 object version, as an ObjectCreated notification names it. */
export interface ObjectVersionRef {
  bucket: string;
  key: string;
  /** Absent or "null" when the bucket is not versioned. */
  versionId?: string;
  eTag?: string;
  sequencer?: string;
  size?: number;
  /** When S3 stored the object (the event's eventTime), ISO 8601. */
  eventTime: string;
  /** The uploader, as the event's userIdentity.principalId names it. */
  principal?: string;
}

export interface StoredObject {
  bytes: Uint8Array;
  /** S3 user metadata (x-amz-meta-*), names in lower case. */
  metadata?: Record<string, string>;
  versionId?: string;
  lastModified?: Date;
}

export interface ObjectStore {
  /** Reads one version; throws FileTooLargeError past maxBytes without reading it all. */
  get(bucket: string, key: string, versionId: string | undefined, maxBytes: number): Promise<StoredObject>;
  put(bucket: string, key: string, body: string | Uint8Array, contentType: string): Promise<void>;
  /** Every version of every object under a prefix, oldest first per key (for replay). */
  listVersions(bucket: string, prefix: string): Promise<ObjectVersionRef[]>;
}

export type VersionStatus = 'accepted' | 'rejected' | 'superseded';

/** Which upload a record is about: one object version of one unit's year. */
export interface UploadIdentity {
  year: number;
  unitId: string;
  s3Key: string;
  versionToken: string;
  versionId?: string;
  /** Newer uploads sort after older ones (core/version-order.ts). */
  orderKey: string;
  receivedAt: string;
}

/** The outcome recorded for one object version (its audit entry). */
export interface VersionRecord extends UploadIdentity {
  status: VersionStatus;
  processedAt: string;
  principal?: string;
  rowCount?: number;
  problemCount?: number;
  errorReportKey?: string;
  reason?: string;
  /** An accepted upload that replaced the unit's earlier submission: what it added, changed and dropped. */
  changes?: SubmissionChanges;
}

/** The current submission of a unit for a year: readers follow this pointer. */
export interface CurrentPointer extends UploadIdentity {
  rowCount: number;
  format: NormalizedSubmission['format'];
  /** When ingest accepted it and how many warnings it had: a redelivery after a crash finishes the outcome with these. */
  processedAt?: string;
  warningCount?: number;
  /** What this version added, changed and dropped against the one it replaced (and what earlier versions dropped that it still lacks). */
  changes?: SubmissionChanges;
}

/** Office actions taken in the portal (issue 13), audited with the signed-in person. */
export type PortalAuditOutcome = 'review-pass' | 'review-return' | 'aggregate' | 'link-created' | 'link-revoked';

export interface AuditEntry {
  at: string;
  /**
   * For an upload's outcome (accepted, rejected, superseded): when S3 received
   * it. The entry is then keyed by the version, not the clock, so recording
   * the outcome again after a crash or in a replay overwrites it.
   */
  receivedAt?: string;
  year: number;
  unitId: string;
  s3Key?: string;
  versionToken?: string;
  outcome: 'accepted' | 'rejected' | 'superseded' | 'duplicate' | 'ignored' | 'locked' | 'lock' | 'unlock' | 'exception' | 'revoke' | PortalAuditOutcome;
  principal?: string;
  /** A portal sign-in's immutable identity, `<issuer>#<sub>`, beside the name in `principal`. */
  subject?: string;
  detail?: string;
}

/** The lock in force now, as the history says (core/lock-history.ts). */
export interface YearLock {
  year: number;
  lockedAt: string;
  lockedBy: string;
  reason?: string;
}

/** A LedgerRowSink that writes: rows go through a bounded queue into batch writes. */
export interface SubmissionRowStream extends LedgerRowSink {
  /** Rows taken so far (written, queued or in flight). */
  readonly taken: number;
  /**
   * No more rows: resolves with how many were stored once every one is written;
   * rejects with the first write failure (TransientError to retry,
   * StorageRejectedError to reject the file), after every write in flight settled.
   */
  close(): Promise<number>;
  /** Drops the queued rows and waits for the writes in flight; never rejects. What was written stays for deleteSubmission. */
  abort(): Promise<void>;
}

export interface SubmissionRepository {
  getVersion(s3Key: string, versionToken: string): Promise<VersionRecord | undefined>;
  putVersion(record: VersionRecord): Promise<void>;
  /** Writes every row of a submission version; idempotent (same keys on redelivery). */
  writeSubmission(year: number, unitId: string, versionToken: string, submission: NormalizedSubmission): Promise<number>;
  /**
   * Ledger rows of one version written as the parser accepts them, into the
   * same items writeSubmission makes (writeSubmission then writes the rest).
   */
  openRowStream(year: number, unitId: string, versionToken: string): SubmissionRowStream;
  deleteSubmission(year: number, unitId: string, versionToken: string): Promise<void>;
  /**
   * One stored submission version. With `ledgerFields`, each ledger row keeps only those fields (all rows are kept;
   * a ledger not named keeps rows without fields): what aggregation reads, so a large county fits in memory.
   */
  readSubmission(year: number, unitId: string, versionToken: string, options?: { ledgerFields?: LedgerFieldSelection }): Promise<NormalizedSubmission>;
  getCurrent(year: number, unitId: string): Promise<CurrentPointer | undefined>;
  listCurrent(year: number): Promise<CurrentPointer[]>;
  /** Moves the pointer only if `pointer.orderKey` is newer than the stored one; false if it is not. */
  moveCurrent(pointer: CurrentPointer): Promise<boolean>;
  /** The newest version received per unit, whatever its outcome (completeness shows rejected units). */
  putLatest(record: VersionRecord): Promise<void>;
  listLatest(year: number): Promise<VersionRecord[]>;
  appendAudit(entry: AuditEntry): Promise<void>;
  listAudit(year: number): Promise<AuditEntry[]>;
  /** Appends one lock decision; never overwrites (the history is append-only). */
  appendLockEvent(event: LockEvent): Promise<void>;
  listLockEvents(year: number): Promise<LockEvent[]>;
  /** The lock and exceptions in force now, derived from the history. */
  getLock(year: number): Promise<YearLock | undefined>;
  listLockExceptions(year: number): Promise<string[]>;
  /** Removes every item of a year (tests, and a full reset). */
  wipeYear(year: number): Promise<number>;
  /** Removes what ingest derives from the uploads (rows, pointers, outcomes), keeping the audit trail and the lock history: before a replay. */
  wipeProjection(year: number): Promise<number>;
}
