import { placeNamesOf, type PlaceNames } from '../core/submission/error-report';
import { LoadedCatalogue } from '../core/catalogue/load';
import { LoadedCounty } from '../core/county/load';
import { FileTooLargeError, NotASubmissionError, PermanentError, StorageRejectedError } from '../core/errors';
import { parseSubmissionKey, SubmissionKey } from '../core/submission-key';
import { NormalizedSubmission, ParseOutcome } from '../core/submission/normalized';
import { compareSubmissions, contentOf, SubmissionChanges } from '../core/submission/changes';
import { SubmissionProblem } from '../core/submission/problems';
import { orderKey, versionToken } from '../core/version-order';
import { deadlineInstant, chineseDate, chineseDateTime } from '../core/county/time';
import { lockStateAt } from '../core/lock-history';
import { PREFIX } from '../storage/layout';
import type { LedgerRowSink } from '../core/submission/row-sink';
import { GRANT_METADATA, grantRefusal, type UploadGrantRecord } from '../core/upload-access/grant';
import type { UploadTokenRecord } from '../core/upload-access/token';
import { ObjectStore, ObjectVersionRef, SubmissionRepository, SubmissionRowStream, VersionRecord } from './ports';

/**
 * Ingest one uploaded object version:
 *  1. ignore what is not a submission key (acknowledged and logged; no unit to tell);
 *  2. skip a version already processed (S3 and SQS deliver at least once);
 *  3. reject when the year was locked (or its deadline passed, where the county
 *     locks then) before the upload, and the unit has no exception;
 *  4. skip a version older than the unit's current one (late or out-of-order delivery);
 *  5. read the file; one that came with an upload grant (a presigned POST of
 *     the portal or the upload API) is refused when its unit link was revoked
 *     before S3 received it, or when the grant already brought another
 *     version (core/upload-access/grant.ts); else the grant is marked used;
 *     parse the file, its ledger rows (xlsx, csv) streaming into the
 *     version's own partition as they are accepted, through a bounded queue
 *     (the parser waits for the writers); on problems delete the rows written,
 *     write an error report next to the file and reject;
 *  6. write the rest of the submission, then move the unit's current pointer with a
 *     conditional write, so readers never see a half-written or rejected version
 *     (storage refusing an item is permanent: the file is rejected, and alarmed);
 *  7. record the outcome: latest-upload record, audit entry, then the version
 *     record, which marks the version processed (so it is written last).
 * Transient failures (S3, DynamoDB) are thrown for the queue to retry; every
 * step is safe to repeat after a crash.
 */
export type IngestOutcome =
  | { kind: 'accepted'; unitId: string; year: number; rows: number; warnings: number; changes?: SubmissionChanges }
  | {
      kind: 'rejected';
      unitId: string;
      year: number;
      problems: SubmissionProblem[];
      errorReportKey: string;
      /** Set when storage refused what the parser accepted: a bug to alarm on, not the clerk's mistake. */
      permanentFailure?: string;
    }
  | { kind: 'superseded'; unitId: string; year: number }
  | { kind: 'duplicate'; unitId: string; year: number; previous: VersionRecord['status'] }
  | { kind: 'ignored'; reason: string };

export interface ParseInput {
  bytes: Uint8Array;
  fileName: string;
  county: LoadedCounty;
  catalogue: LoadedCatalogue;
  year: number;
  unitId: string;
  /** Where accepted ledger rows go while the file is read (ParseContext.rowSink); a parser that ignores it keeps them in the submission. */
  rowSink?: LedgerRowSink;
}

export interface ErrorReport {
  json: string;
  text: string;
}

export interface IngestDeps {
  county: LoadedCounty;
  catalogue: LoadedCatalogue;
  objects: ObjectStore;
  repo: SubmissionRepository;
  parse: (input: ParseInput) => Promise<ParseOutcome>;
  formatErrorReport: (
    problems: readonly SubmissionProblem[],
    meta: { county: string; countyName: string; year: number; unitId: string; unitName: string; timeZone: string; s3Key: string; versionId?: string; receivedAt: string; names?: PlaceNames },
  ) => ErrorReport;
  maxBytes: number;
  now: () => Date;
  /**
   * Upload grants and unit links (shared/adapters/dynamo-upload-token-store.ts).
   * Every deployed and local pipeline passes them; without them an object's
   * grant is not checked (tests of parsing alone).
   */
  uploadGrants?: UploadGrantLedger;
}

export interface UploadGrantLedger {
  getGrant(grantId: string): Promise<UploadGrantRecord | undefined>;
  claimGrant(grantId: string, versionToken: string): Promise<boolean>;
  get(tokenId: string): Promise<UploadTokenRecord | undefined>;
}

/**
 * A year is closed to an upload received while an explicit lock was in
 * force, or after the deadline day where the county locks at its deadline; a
 * unit with an exception in force may still upload. Everything is judged at
 * the moment S3 received the file (the lock history, core/lock-history.ts),
 * not when the event is processed: a delayed notification, a retry and a
 * replay all decide alike.
 */
async function periodLockFor(year: number, unitId: string, receivedAt: string, deps: IngestDeps): Promise<string | undefined> {
  const state = lockStateAt(await deps.repo.listLockEvents(year), receivedAt);
  const { collection, timeZone } = deps.county.config;
  const deadline = deadlineInstant(year, collection.deadline, timeZone);
  const pastDeadline = collection.lockAtDeadline && Date.parse(receivedAt) > deadline;
  if (!state.locked && !pastDeadline) return undefined;
  if (state.exceptions.has(unitId)) return undefined;
  if (state.locked) {
    return `${year}年度报送已于${chineseDateTime(new Date(state.locked.at), timeZone)}锁定${state.locked.reason ? `（${state.locked.reason}）` : ''}，本次上传未被接收。${LATE_FILING}`;
  }
  return `${year}年度报送已于截止日${chineseDate(new Date(deadline - 1), timeZone)}结束，本次上传未被接收。${LATE_FILING}`;
}

/** What a clerk can do about a closed year: ask the office, which opens an exception for the unit (no command a clerk could not run). */
const LATE_FILING = '如需补报，请联系县依法治县办（报告汇总部门）为本单位开通补报，开通后重新上传即可';

export async function ingestObject(ref: ObjectVersionRef, deps: IngestDeps): Promise<IngestOutcome> {
  let key: SubmissionKey;
  try {
    key = parseSubmissionKey(ref.key);
  } catch (err) {
    if (err instanceof NotASubmissionError) return { kind: 'ignored', reason: err.message };
    throw err;
  }
  const { year, unitId } = key;
  const token = versionToken(ref.versionId, ref.eTag, ref.sequencer);
  const order = orderKey(ref.eventTime, ref.sequencer);
  const processedAt = () => deps.now().toISOString();
  const base = {
    year,
    unitId,
    s3Key: ref.key,
    versionToken: token,
    versionId: ref.versionId,
    orderKey: order,
    receivedAt: new Date(ref.eventTime).toISOString(),
    principal: ref.principal,
  };

  const seen = await deps.repo.getVersion(ref.key, token);
  if (seen) {
    await deps.repo.appendAudit({ at: processedAt(), year, unitId, s3Key: ref.key, versionToken: token, outcome: 'duplicate', principal: ref.principal, detail: `already ${seen.status}` });
    return { kind: 'duplicate', unitId, year, previous: seen.status };
  }

  /**
   * The outcome's three records. The version record goes last: it is what
   * marks this version processed (step 2), so a crash before it means a
   * redelivery redoes the whole outcome, and each write is safe to repeat —
   * the latest-upload record is put-if-not-older, and an outcome's audit entry
   * is keyed by the version (not the clock) and kept as first written.
   */
  const recordOutcome = async (record: VersionRecord, detail: string | undefined, latest: boolean): Promise<void> => {
    if (latest) await deps.repo.putLatest(record);
    await deps.repo.appendAudit({ at: record.processedAt, receivedAt: record.receivedAt, year, unitId, s3Key: ref.key, versionToken: token, outcome: record.status, principal: ref.principal, detail });
    await deps.repo.putVersion(record);
  };

  const reject = async (problems: SubmissionProblem[], reason: string, permanentFailure?: string): Promise<IngestOutcome> => {
    const errorReportKey = `${PREFIX.errorReports}${year}/${unitId}/${key.fileName}.${token}.errors`;
    const { config } = deps.county;
    const unitName = config.units.find((u) => u.id === unitId)?.name ?? unitId;
    const report = deps.formatErrorReport(problems, { county: config.id, countyName: config.name, year, unitId, unitName, timeZone: config.timeZone, s3Key: ref.key, versionId: ref.versionId, receivedAt: base.receivedAt, names: placeNamesOf(deps.catalogue) });
    await deps.objects.put(ref.bucket, `${errorReportKey}.json`, report.json, 'application/json; charset=utf-8');
    await deps.objects.put(ref.bucket, `${errorReportKey}.txt`, report.text, 'text/plain; charset=utf-8');
    const record: VersionRecord = { ...base, status: 'rejected', processedAt: processedAt(), problemCount: problems.filter((p) => p.severity === 'error').length, errorReportKey, reason };
    await recordOutcome(record, reason, true);
    return permanentFailure ? { kind: 'rejected', unitId, year, problems, errorReportKey, permanentFailure } : { kind: 'rejected', unitId, year, problems, errorReportKey };
  };

  if (!deps.county.config.units.some((u) => u.id === unitId)) {
    return reject([{ severity: 'error', code: 'UNKNOWN_UNIT', message: `上传路径中的单位“${unitId}”不在${deps.county.config.name}的单位名单中`, path: ref.key, value: unitId }], 'unknown unit');
  }

  const lockMessage = await periodLockFor(year, unitId, base.receivedAt, deps);
  if (lockMessage) return reject([{ severity: 'error', code: 'PERIOD_LOCKED', message: lockMessage }], lockMessage);

  const supersede = async (): Promise<IngestOutcome> => {
    const record: VersionRecord = { ...base, status: 'superseded', processedAt: processedAt(), reason: 'a newer upload of this unit is already current' };
    await recordOutcome(record, record.reason, false);
    return { kind: 'superseded', unitId, year };
  };

  const accept = async (rows: number, warnings: number, at: string, changes: SubmissionChanges | undefined): Promise<IngestOutcome> => {
    const record: VersionRecord = { ...base, status: 'accepted', processedAt: at, rowCount: rows, ...(changes ? { changes } : {}) };
    await recordOutcome(record, `${rows} rows${changes ? `; dropped ${changes.indicators.dropped.length} indicators, ${changes.ledgers.dropped.length} ledgers` : ''}`, true);
    return { kind: 'accepted', unitId, year, rows, warnings, ...(changes ? { changes } : {}) };
  };

  const current = await deps.repo.getCurrent(year, unitId);
  // This very version is current: an earlier delivery crashed after moving the pointer. Finish its outcome, with the time the pointer recorded.
  if (current?.versionToken === token) return accept(current.rowCount, current.warningCount ?? 0, current.processedAt ?? processedAt(), current.changes);
  if (current && current.orderKey >= order) return supersede();

  let submission: NormalizedSubmission;
  let rowStream: SubmissionRowStream | undefined;
  /** Rows written for a version that will not be current are deleted (writes in flight settle first). */
  const discardRows = async (): Promise<void> => {
    if (!rowStream) return;
    await rowStream.abort();
    if (rowStream.taken > 0) await deps.repo.deleteSubmission(year, unitId, token);
  };
  try {
    const object = await deps.objects.get(ref.bucket, ref.key, ref.versionId, deps.maxBytes);
    const grantId = object.metadata?.[GRANT_METADATA];
    if (grantId !== undefined && deps.uploadGrants) {
      const refusal = await checkGrant(grantId, deps.uploadGrants);
      if (refusal) return reject([{ severity: 'error', code: 'UPLOAD_GRANT_REFUSED', message: refusal, path: ref.key }], refusal);
    }
    rowStream = deps.repo.openRowStream(year, unitId, token);
    let outcome: ParseOutcome;
    try {
      outcome = await deps.parse({ bytes: object.bytes, fileName: key.fileName, county: deps.county, catalogue: deps.catalogue, year, unitId, rowSink: rowStream });
    } catch (err) {
      // Cleaning up must not hide why parsing failed: a failed delete leaves rows no pointer names (a redelivery or `rebuild` redoes them).
      await discardRows().catch(() => undefined);
      throw err;
    }
    if (!outcome.ok) {
      await discardRows();
      return reject(outcome.problems, 'invalid file');
    }
    submission = outcome.submission;
  } catch (err) {
    if (err instanceof FileTooLargeError) {
      const mb = (n: number) => (n / 1024 / 1024).toFixed(1);
      return reject([{ severity: 'error', code: 'FILE_TOO_LARGE', message: `文件大小${mb(err.size)}MB，超过上限${mb(err.maxBytes)}MB，请删除无关工作表或拆分后重新上传`, path: ref.key, value: String(err.size) }], err.message);
    }
    if (err instanceof PermanentError) {
      return reject([{ severity: 'error', code: 'FILE_UNREADABLE', message: `文件无法读取：${err.message}`, path: ref.key }], err.message);
    }
    throw err;
  }

  let rows: number;
  try {
    const streamed = await rowStream.close();
    rows = streamed + (await deps.repo.writeSubmission(year, unitId, token, submission));
  } catch (err) {
    if (!(err instanceof StorageRejectedError)) throw err;
    // Rows written before the refusal are never pointed at; removed so the table holds no orphans.
    await deps.repo.deleteSubmission(year, unitId, token);
    const message = '文件已通过检查，但数据库拒绝保存其中的内容（系统问题，已通知管理员）；请暂勿重复上传，等待管理员处理';
    return reject([{ severity: 'error', code: 'STORAGE_REJECTED', message: `文件内容无法保存：${message}`, path: ref.key }], err.message, err.message);
  }
  // A later file replaces the whole submission: what it leaves out is no longer reported, so it is recorded by name.
  let changes: SubmissionChanges | undefined;
  if (current) {
    const previous = await deps.repo.readSubmission(year, unitId, current.versionToken, { ledgerFields: new Map() });
    changes = compareSubmissions(contentOf(previous), contentOf(submission), current.s3Key, current.changes);
  }
  const acceptedAt = processedAt();
  const warnings = submission.warnings.length;
  const moved = await deps.repo.moveCurrent({
    year,
    unitId,
    s3Key: ref.key,
    versionToken: token,
    versionId: ref.versionId,
    orderKey: order,
    receivedAt: base.receivedAt,
    rowCount: rows,
    format: submission.format,
    processedAt: acceptedAt,
    warningCount: warnings,
    ...(changes ? { changes } : {}),
  });
  if (!moved) {
    const now = await deps.repo.getCurrent(year, unitId);
    if (now?.versionToken === token) {
      // The same version, delivered twice at once, was made current by the other delivery.
      await deps.repo.appendAudit({ at: processedAt(), year, unitId, s3Key: ref.key, versionToken: token, outcome: 'duplicate', principal: ref.principal, detail: 'processed concurrently' });
      return { kind: 'duplicate', unitId, year, previous: 'accepted' };
    }
    // A newer upload became current while this one was being written; its rows are not needed.
    await deps.repo.deleteSubmission(year, unitId, token);
    return supersede();
  }
  return accept(rows, warnings, acceptedAt, changes);

  /** Step 5's grant check; a version that passes has claimed its grant (conditional write: one version per grant). */
  async function checkGrant(id: string, ledger: UploadGrantLedger): Promise<string | undefined> {
    const grant = await ledger.getGrant(id);
    const link = grant ? await ledger.get(grant.linkTokenId) : undefined;
    const input = { key: ref.key, receivedAt: base.receivedAt, versionToken: token, grant, link };
    const refusal = grantRefusal(input, deps.county.config.timeZone);
    if (refusal || (await ledger.claimGrant(id, token))) return refusal;
    // Another version claimed it between the read and the write.
    return grantRefusal({ ...input, grant: await ledger.getGrant(id) }, deps.county.config.timeZone);
  }
}
