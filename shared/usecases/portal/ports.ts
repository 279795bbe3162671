import type { UploadGrantRecord } from '../../core/upload-access/grant';
import type { UploadTokenRecord } from '../../core/upload-access/token';
import type { ObjectStore, SubmissionRepository } from '../ports';

/**
 * What the portal needs from storage beyond the ingest ports: the office's
 * review decisions, revoking a lock exception, and the units' link tokens.
 * Implemented by shared/adapters/dynamo-portal-store.ts and
 * shared/adapters/dynamo-upload-token-store.ts.
 */

/**
 * 审核: the office passes a unit's current submission or returns it for correction.
 * aggregateYear reads these: while a unit's newest review returns the version
 * that is still current, its figures are marked in every artifact.
 */
export interface ReviewRecord {
  year: number;
  unitId: string;
  decision: 'pass' | 'return';
  comment?: string;
  /** The submission reviewed (its current pointer's version token). */
  versionToken?: string;
  s3Key?: string;
  /** The signed-in person, as the audit names them. */
  by: string;
  /** Server time, ISO 8601. */
  at: string;
}

export interface PortalStore {
  putReview(review: ReviewRecord): Promise<void>;
  /** Every review of a year, oldest first. */
  listReviews(year: number): Promise<ReviewRecord[]>;
}

export interface UnitLinkStore {
  put(record: UploadTokenRecord): Promise<void>;
  get(tokenId: string): Promise<UploadTokenRecord | undefined>;
  listByUnit(unitId: string): Promise<UploadTokenRecord[]>;
  revoke(tokenId: string, by: string, at: Date): Promise<boolean>;
  /** Spends a link on a session; false if it was already spent or revoked. */
  exchange(tokenId: string, sessionTokenId: string, at: Date): Promise<boolean>;
  /** Records an upload grant before its presigned POST is handed out (ingest checks it). */
  putGrant(record: UploadGrantRecord): Promise<void>;
}

export interface PortalStorage {
  repo: SubmissionRepository;
  objects: ObjectStore;
  portal: PortalStore;
  links: UnitLinkStore;
  submissionsBucket: string;
  reportsBucket: string;
}
