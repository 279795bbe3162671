import { placeNamesOf } from '../../core/submission/error-report';
import { reportYearAt } from '../../core/aggregate-event';
import type { LoadedCounty } from '../../core/county/load';
import type { Unit } from '../../core/county/schema';
import { chineseDateTime, daysLeft, UNIT_STATE_LABEL } from '../../core/portal/status';
import type { ClerkOutcome, ClerkOverview } from '../../core/portal/views';
import { buildTemplateWorkbook } from '../../core/submission/template-workbook';
import { requestUpload, type UploadDecision } from '../../core/upload-access/request-upload';
import { requestOutcome } from '../../core/upload-access/request-outcome';
import { grantRecord } from '../../core/upload-access/grant';
import { authenticate, issueClerkSession, type TokenKind, type UploadTokenRecord } from '../../core/upload-access/token';
import { MAX_SUBMISSION_BYTES } from '../../core/submission/limits';
import { findUploadOutcome } from '../find-upload-outcome';
import { catalogueNames, changeLines } from '../../core/submission/changes';
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

/**
 * What the clerk API takes: a browser session, or a link never opened in a
 * browser (the upload API's credential, for scripts). A link that was opened
 * is spent, so the copy in a shared PC's History authenticates nothing.
 */
export const CLERK_CREDENTIALS: readonly TokenKind[] = ['session', 'link'];

const SESSION_REFUSALS: Record<string, string> = {
  token_used: '该报送链接已经打开过一次，为防止他人从浏览器历史记录中再次打开，每个链接只能打开一次。请回到第一次打开它的窗口继续；如已关闭，请联系县司法局重新发送链接。',
  token_revoked: '该报送链接已被撤销，请联系县司法局重新获取',
  token_expired: '该报送链接已过期，请联系县司法局重新获取',
};

/**
 * The clerk page's first call: spends the unit link (`yrt_…`, from the URL
 * fragment) on a session of CLERK_SESSION_HOURS (`yrs_…`):
 *   1. authenticate the link (a link only: a session cannot renew itself);
 *   2. issue the session, bounded by the link's own expiry;
 *   3. spend the link with a conditional write (one winner);
 *   4. store the session.
 * A crash between 3 and 4 leaves a spent link and no session: the office
 * re-sends a link, and nothing is usable that should not be.
 */
export async function startClerkSession(authorization: string | undefined, deps: ClerkDeps): Promise<{ session: string; validUntil: string }> {
  const now = deps.now();
  const auth = await authenticate(authorization, (id) => deps.links.get(id), deps.county.config.id, now, ['link']);
  if (!auth.ok) throw new PortalRequestError(401, auth.reason, SESSION_REFUSALS[auth.reason] ?? '报送链接无效，请使用县司法局发给本单位的链接打开');
  const { token, record } = issueClerkSession(auth.record, now);
  if (!(await deps.links.exchange(auth.record.tokenId, record.tokenId, now))) throw new PortalRequestError(401, 'token_used', SESSION_REFUSALS.token_used!);
  await deps.links.put(record);
  return { session: token, validUntil: chineseDateTime(record.validUntil, deps.county.config.timeZone) };
}

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
    // Shown while the returned submission is still current: a fix that is itself rejected leaves the office's request open.
    returnComment:
      review?.decision === 'return' && row.current && review.versionToken === row.current.versionToken
        ? { comment: review.comment ?? '', by: review.by, at: chineseDateTime(review.at, tz) }
        : undefined,
    history: await uploadHistory(audit, unit.id, deps),
    linkValidUntil: chineseDateTime(token.validUntil, tz),
    opened: token.kind === 'session',
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
  const decision = await requestUpload(
    { authorization, body: { year: openYear(deps), unit: token.unitId, fileName } },
    {
      county: deps.county.config,
      findToken: (id) => (id === token.tokenId ? Promise.resolve(token) : deps.links.get(id)),
      yearLock: async (year) => ({ locked: (await deps.repo.getLock(year)) !== undefined, exceptions: await deps.repo.listLockExceptions(year) }),
      maxBytes: MAX_SUBMISSION_BYTES,
      now: deps.now,
      accept: CLERK_CREDENTIALS,
    },
  );
  // Recorded before the presigned POST exists, so no object can arrive with a grant ingest does not know.
  if (decision.status === 200) await deps.links.putGrant(grantRecord(decision.grant, decision.token, deps.now()));
  return decision;
}

/**
 * When a long-poll looks again for ingest's outcome (ms after each look): soon at first, as a small file is
 * often ingested within a fraction of a second, at most 250 ms apart in the first 1.5 s (where ingest
 * usually finishes), then less often. One pending request so makes at most 16 looks (each one GetItem, or
 * one Query on an unversioned bucket), however long it waits: a look every 20 ms made about 120 reads in
 * a 3 s long-poll. The delays add up to the API's 3 s long-poll (OUTCOME_LONG_POLL_MS).
 */
export const OUTCOME_CHECK_DELAYS_MS = [20, 30, 50, 100, 150, 150, 200, 200, 200, 200, 250, 250, 300, 400, 500] as const;

/** `waitMs`: how long to keep looking while ingest has not recorded the outcome yet (a long-poll), at OUTCOME_CHECK_DELAYS_MS. */
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
        for (let look = 0; !(found = await findUploadOutcome(deps.repo, key, year, version)) && look < OUTCOME_CHECK_DELAYS_MS.length; look++) {
          const left = until - Date.now();
          if (left <= 0) break;
          await new Promise((resolve) => setTimeout(resolve, Math.min(OUTCOME_CHECK_DELAYS_MS[look]!, left)));
        }
        return found;
      },
      now: deps.now,
      accept: CLERK_CREDENTIALS,
    },
  );
  if (decision.status === 202) return { state: 'pending' };
  if (decision.status !== 200) throw new PortalRequestError(decision.status, decision.error, decision.message);
  const record = found!;
  if (record.status === 'accepted') {
    const submission = await deps.repo.readSubmission(record.year, record.unitId, record.versionToken);
    const replacement = record.changes ? changeLines(record.changes, catalogueNames(deps.county.catalogue)) : undefined;
    return { state: 'accepted', rows: record.rowCount ?? 0, ...viewSubmission(submission, deps.county), ...(replacement ? { replacement } : {}) };
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
