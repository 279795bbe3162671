import { placeNamesOf } from '../../core/submission/error-report';
import { reportYearAt } from '../../core/aggregate-event';
import type { LoadedCounty } from '../../core/county/load';
import type { Unit } from '../../core/county/schema';
import { chineseDateTime, daysLeft, UNIT_STATE_LABEL } from '../../core/portal/status';
import type { ClerkOutcome, ClerkOverview } from '../../core/portal/views';
import { buildTemplateWorkbook } from '../../core/submission/template-workbook';
import { requestUpload, type UploadDecision } from '../../core/upload-access/request-upload';
import { requestOutcome } from '../../core/upload-access/request-outcome';
import type { UploadTokenRecord } from '../../core/upload-access/token';
import { MAX_SUBMISSION_BYTES } from '../../core/submission/limits';
import { findUploadOutcome } from '../find-upload-outcome';
import { PREFIX } from '../../storage/layout';
import type { AuditEntry, VersionRecord } from '../ports';
import { PortalRequestError } from './errors';
import type { PortalStorage } from './ports';
import { readProblems, viewSubmission } from './submission-view';
import { clerkState, yearStatus } from './unit-status';

/**
 * What a unit's clerk does in the portal, each step over the same use cases
 * and core the CLI and the upload API use:
 *  - overview: unit, year being collected, deadline and days left, state,
 *    the office's return comment, upload history;
 *  - template: buildTemplateWorkbook (as `yearly-report template`);
 *  - upload grant: requestUpload (as the upload API's POST /uploads);
 *  - outcome: requestOutcome, then the figures as read or every problem.
 * The caller has authenticated the unit link; `token` is its record.
 */
export interface ClerkDeps extends PortalStorage {
  county: LoadedCounty;
  now(): Date;
}

const HISTORY_OUTCOMES: Record<string, string> = { accepted: '已接收', rejected: '有错误', superseded: '已被更新的版本替代', locked: '已锁定，未接收', duplicate: '重复上传' };

export function openYear(deps: Pick<ClerkDeps, 'county' | 'now'>): number {
  return reportYearAt(deps.now(), deps.county.config.timeZone);
}

function unitOf(deps: Pick<ClerkDeps, 'county'>, token: UploadTokenRecord): Unit {
  const unit = deps.county.config.units.find((u) => u.id === token.unitId);
  if (!unit) throw new PortalRequestError(403, 'unknown_unit', '本县没有这个单位');
  return unit;
}

export async function clerkOverview(token: UploadTokenRecord, deps: ClerkDeps): Promise<ClerkOverview> {
  const { config } = deps.county;
  const unit = unitOf(deps, token);
  const year = openYear(deps);
  const [status, audit] = await Promise.all([yearStatus(year, deps), deps.repo.listAudit(year)]);
  const row = status.units.find((u) => u.unitId === unit.id)!;
  const state = clerkState(row);
  const tz = config.timeZone;
  const review = row.review;
  return {
    county: config.name,
    unit: { id: unit.id, name: unit.name },
    year,
    deadline: status.deadline,
    daysLeft: daysLeft(year, config.collection.deadline, tz, deps.now()),
    state,
    stateLabel: UNIT_STATE_LABEL[state],
    lockMessage: state === 'locked' && status.lock ? `${year}年度报送已于${chineseDateTime(status.lock.at, tz)}锁定${status.lock.reason ? `（${status.lock.reason}）` : ''}，不再接收上传。如需补报，请联系县司法局。` : undefined,
    current: row.current ? { fileName: fileNameOf(row.current.s3Key), receivedAt: chineseDateTime(row.current.receivedAt, tz), rows: row.current.rowCount } : undefined,
    returnComment:
      review?.decision === 'return' && row.state === 'returned' ? { comment: review.comment ?? '', by: review.by, at: chineseDateTime(review.at, tz) } : undefined,
    history: await uploadHistory(audit, unit.id, deps),
    linkValidUntil: chineseDateTime(token.validUntil, tz),
  };
}

/**
 * The unit's uploads, newest first, each at the time S3 received it (its
 * version record), which is when the clerk uploaded it; the audit entry's own
 * time is when ingest processed it.
 */
async function uploadHistory(audit: AuditEntry[], unitId: string, deps: ClerkDeps): Promise<ClerkOverview['history']> {
  const entries = audit.filter((a) => a.unitId === unitId && a.s3Key && a.versionToken && a.outcome in HISTORY_OUTCOMES);
  const rows = await Promise.all(
    entries.map(async (a) => {
      const received = (await deps.repo.getVersion(a.s3Key!, a.versionToken!))?.receivedAt ?? a.at;
      return { received, fileName: fileNameOf(a.s3Key!), at: chineseDateTime(received, deps.county.config.timeZone), outcome: HISTORY_OUTCOMES[a.outcome]! };
    }),
  );
  return rows.sort((a, b) => b.received.localeCompare(a.received)).map(({ received: _received, ...row }) => row);
}

export async function clerkTemplate(token: UploadTokenRecord, deps: ClerkDeps): Promise<{ fileName: string; bytes: Buffer }> {
  const unit = unitOf(deps, token);
  const year = openYear(deps);
  const bytes = await buildTemplateWorkbook({ county: deps.county, catalogue: deps.county.catalogue, year, unit });
  return { fileName: `${unit.name}${year}年度报送模板.xlsx`, bytes };
}

/** The upload API's decision for a file of the link's own unit in the year being collected. */
export async function clerkUploadGrant(authorization: string | undefined, token: UploadTokenRecord, fileName: unknown, deps: ClerkDeps): Promise<UploadDecision> {
  // The page never names a unit: the link's own unit is the only one it may upload for.
  return requestUpload(
    { authorization, body: { year: openYear(deps), unit: token.unitId, fileName } },
    {
      county: deps.county.config,
      findToken: (id) => (id === token.tokenId ? Promise.resolve(token) : deps.links.get(id)),
      yearLock: async (year) => ({ locked: (await deps.repo.getLock(year)) !== undefined, exceptions: await deps.repo.listLockExceptions(year) }),
      maxBytes: MAX_SUBMISSION_BYTES,
      now: deps.now,
    },
  );
}

/**
 * How often a long-poll looks for ingest's outcome: one small GetItem, so often enough that a clerk's answer comes
 * right after ingest records it (bench portal-upload-outcome: 1.45× the bare ingest at 50 ms, 1.24× at 20 ms).
 */
const OUTCOME_CHECK_MS = 20;

/** `waitMs`: how long to keep looking while ingest has not recorded the outcome yet (a long-poll), checking every OUTCOME_CHECK_MS. */
export async function clerkOutcome(authorization: string | undefined, query: unknown, deps: ClerkDeps, waitMs = 0, token?: UploadTokenRecord): Promise<ClerkOutcome> {
  let found: VersionRecord | undefined;
  const decision = await requestOutcome(
    { authorization, query },
    {
      county: deps.county.config,
      // The record the caller already authenticated, if any: the core checks the secret, state and expiry again.
      findToken: (id) => (token && id === token.tokenId ? Promise.resolve(token) : deps.links.get(id)),
      findOutcome: async (key, year, version) => {
        const until = Date.now() + waitMs;
        while (!(found = await findUploadOutcome(deps.repo, key, year, version)) && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, OUTCOME_CHECK_MS));
        return found;
      },
      now: deps.now,
    },
  );
  if (decision.status === 202) return { state: 'pending' };
  if (decision.status !== 200) throw new PortalRequestError(decision.status, decision.error, decision.message);
  const record = found!;
  if (record.status === 'accepted') {
    const submission = await deps.repo.readSubmission(record.year, record.unitId, record.versionToken);
    return { state: 'accepted', rows: record.rowCount ?? 0, ...viewSubmission(submission, deps.county) };
  }
  if (record.status === 'superseded') return { state: 'superseded', reason: record.reason };
  const problems = record.errorReportKey ? await readProblems(deps.objects, deps.submissionsBucket, record.errorReportKey, placeNamesOf(deps.county.catalogue)) : [];
  return { state: 'rejected', problems, problemCount: record.problemCount ?? problems.length, reason: record.reason, errorReportKey: record.errorReportKey };
}

/** The readable error report (UTF-8 with BOM, for Notepad) of the unit's own rejected upload. */
export async function clerkErrorReport(token: UploadTokenRecord, errorReportKey: string, deps: ClerkDeps): Promise<{ fileName: string; text: Uint8Array }> {
  const ownPrefix = `${PREFIX.errorReports}${openYear(deps)}/${token.unitId}/`;
  // Only a report of this unit's own uploads: the key must lie in its folder.
  if (!errorReportKey.startsWith(ownPrefix) || errorReportKey.includes('..')) throw new PortalRequestError(403, 'not_your_upload', '只能下载本单位的错误报告');
  const stored = await deps.objects.get(deps.submissionsBucket, `${errorReportKey}.txt`, undefined, 4 * 1024 * 1024);
  // Named for the clerk's folder of downloads: whose, which year, what (the key's version suffix means nothing to them).
  const unitName = deps.county.config.units.find((u) => u.id === token.unitId)?.name ?? token.unitId;
  return { fileName: `${unitName}-${openYear(deps)}-错误报告.txt`, text: stored.bytes };
}

/**
 * The version record of one upload. A versioned bucket names the version; the
 * local emulator does not version, so there the unit's newest upload of the
 * key with this content (the same rule as the upload API).
 */
const fileNameOf = (key: string) => key.split('/').pop() ?? key;
