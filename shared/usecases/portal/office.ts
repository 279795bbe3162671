import { createHash, randomUUID } from 'node:crypto';
import '../../core/zod-mini-locale';
import * as z from 'zod/mini';
import { reportYearAt } from '../../core/aggregate-event';
import type { LoadedCounty } from '../../core/county/load';
import { chineseDateTime } from '../../core/portal/status';
import { issueUploadToken } from '../../core/upload-access/token';
import { PREFIX } from '../../storage/layout';
import type { LockEventKind } from '../../core/lock-history';
import type { AuditEntry } from '../ports';
import { PortalRequestError } from './errors';
import type { PortalStorage } from './ports';
import type { SubmissionView } from '../../core/portal/views';
import { viewSubmission } from './submission-view';
import { catalogueNames, changeLines } from '../../core/submission/changes';
import { yearStatus } from './unit-status';

/**
 * What the county office does in the portal. Every action that changes
 * anything writes an audit entry with the signed-in person and the server's
 * time; a viewer may read but not act (the router checks the role).
 */
export interface OfficeIdentity {
  /** The identity provider (its `iss`): a subject is unique only within it. */
  issuer: string;
  /** The provider's immutable subject (`sub`); the name may change or be shared. */
  subject: string;
  /** How people read it in the audit: the name claim the county configured. */
  name: string;
  role: 'office' | 'viewer';
}

export interface OfficeDeps extends PortalStorage {
  county: LoadedCounty;
  now(): Date;
  /** Runs the aggregate function for a year (the Lambda in AWS, the real handler locally). */
  runAggregation(year: number, requestedBy: string): Promise<{ artifacts: string[] }>;
}

/**
 * A short, stable mark of one account at one provider, shown after the name
 * wherever the office reads who did something (the audit, locks, reviews,
 * links): two people whose tokens carry the same name read apart, e.g.
 * 王芳（县司法局，账号3F9A2C）and 王芳（县司法局，账号81D0E4）.
 */
export function accountMark(issuer: string, subject: string): string {
  return createHash('sha256').update(`${issuer}\n${subject}`).digest('hex').slice(0, 6).toUpperCase();
}

const principalOf = (who: OfficeIdentity) => `${who.name}（${who.role === 'office' ? '县司法局' : '查看'}，账号${accountMark(who.issuer, who.subject)}）`;
/** The immutable identity the audit keeps beside the name: issuer and subject. */
const subjectOf = (who: OfficeIdentity) => `${who.issuer}#${who.subject}`;

async function audit(deps: OfficeDeps, who: OfficeIdentity, entry: Omit<AuditEntry, 'at' | 'principal'>): Promise<string> {
  const at = deps.now().toISOString();
  await deps.repo.appendAudit({ ...entry, at, principal: principalOf(who), subject: subjectOf(who) });
  return at;
}

function unitById(deps: OfficeDeps, unitId: string) {
  const unit = deps.county.config.units.find((u) => u.id === unitId);
  if (!unit) throw new PortalRequestError(404, 'unknown_unit', `本县没有这个单位：${unitId}`);
  return unit;
}

export async function officeStatus(year: number, deps: OfficeDeps) {
  const status = await yearStatus(year, deps);
  const tz = deps.county.config.timeZone;
  return {
    county: deps.county.config.name,
    year,
    deadline: status.deadline,
    lock: status.lock ? { at: chineseDateTime(status.lock.at, tz), by: status.lock.by, reason: status.lock.reason } : undefined,
    units: status.units.map((u) => ({
      unitId: u.unitId,
      unitName: u.unitName,
      optional: u.optional,
      state: u.state,
      stateLabel: u.stateLabel,
      /** An accepted submission is current and feeds the report, whatever happened since (a rejected fix, a return). */
      submitted: u.current !== undefined,
      late: u.late,
      exception: u.exception,
      lastUpload: u.lastUpload ? chineseDateTime(u.lastUpload, tz) : undefined,
      rows: u.rows,
      problems: u.problems,
      review: u.review ? { decision: u.review.decision, comment: u.review.comment, by: u.review.by, at: chineseDateTime(u.review.at, tz) } : undefined,
    })),
  };
}

const AUDIT_LABEL: Record<AuditEntry['outcome'], string> = {
  accepted: '上传已接收',
  rejected: '上传有错误',
  superseded: '上传已被更新版本替代',
  duplicate: '重复投递',
  ignored: '已忽略',
  locked: '锁定后上传，未接收',
  lock: '锁定年度',
  unlock: '解除锁定',
  exception: '开通例外',
  revoke: '撤销例外',
  'review-pass': '审核通过',
  'review-return': '退回修改',
  aggregate: '生成报告',
  'link-created': '创建报送链接',
  'link-revoked': '撤销报送链接',
};

export async function officeUnitDetail(year: number, unitId: string, deps: OfficeDeps) {
  const unit = unitById(deps, unitId);
  const tz = deps.county.config.timeZone;
  const [status, audit] = await Promise.all([yearStatus(year, deps), deps.repo.listAudit(year)]);
  const row = status.units.find((u) => u.unitId === unit.id)!;
  let submission: SubmissionView | undefined;
  if (row.current) submission = viewSubmission(await deps.repo.readSubmission(year, unit.id, row.current.versionToken), deps.county);
  const own = await readableAudit(audit.filter((a) => a.unitId === unit.id), unit.name, deps);
  return {
    unit: { id: unit.id, name: unit.name },
    year,
    state: row.state,
    stateLabel: row.stateLabel,
    late: row.late,
    exception: row.exception,
    current: row.current ? { fileName: row.current.s3Key.split('/').pop(), receivedAt: chineseDateTime(row.current.receivedAt, tz), rows: row.current.rowCount } : undefined,
    // The current file replaced an earlier one: what it dropped is no longer in the report, so the office sees it by name.
    replacement: row.current?.changes ? changeLines(row.current.changes, catalogueNames(deps.county.catalogue)) : undefined,
    submission,
    files: own.filter((a) => a.upload && a.outcome !== 'duplicate').map((a) => ({ fileName: a.detail, at: a.at, outcome: a.action })),
    audit: own.map(({ at, action, by, detail }) => ({ at, action, by, detail })),
    review: row.review ? { decision: row.review.decision, comment: row.review.comment, by: row.review.by, at: chineseDateTime(row.review.at, tz) } : undefined,
  };
}

const UPLOAD_OUTCOMES = new Set<AuditEntry['outcome']>(['accepted', 'rejected', 'superseded', 'duplicate', 'locked']);

/**
 * Audit entries as people read them, newest first: an upload is shown at the
 * time S3 received it, by the unit, with its file name (the entry itself
 * holds ingest's processing time and the uploader's IAM principal); an office
 * action at its server time, by the signed-in person.
 */
async function readableAudit(entries: AuditEntry[], unitName: string, deps: OfficeDeps) {
  const tz = deps.county.config.timeZone;
  const rows = await Promise.all(
    entries.map(async (a) => {
      const upload = UPLOAD_OUTCOMES.has(a.outcome) && a.s3Key !== undefined;
      const when = upload && a.versionToken ? ((await deps.repo.getVersion(a.s3Key!, a.versionToken))?.receivedAt ?? a.at) : a.at;
      return {
        when,
        upload,
        outcome: a.outcome,
        at: chineseDateTime(when, tz),
        action: AUDIT_LABEL[a.outcome] ?? a.outcome,
        by: upload ? unitName : (a.principal ?? ''),
        detail: upload ? (a.s3Key!.split('/').pop() ?? '') : (a.detail ?? ''),
      };
    }),
  );
  return rows.sort((a, b) => b.when.localeCompare(a.when));
}

export const ReviewBodySchema = z.discriminatedUnion('decision', [
  z.strictObject({ decision: z.literal('pass'), comment: z.optional(z.string().check(z.maxLength(2000))) }),
  z.strictObject({ decision: z.literal('return'), comment: z.string().check(z.trim(), z.minLength(1, '退回修改需要写明意见'), z.maxLength(2000)) }),
]);

/** 审核: passes or returns the unit's current submission; the clerk sees a return's comment. */
export async function reviewSubmission(year: number, unitId: string, body: unknown, who: OfficeIdentity, deps: OfficeDeps): Promise<void> {
  const unit = unitById(deps, unitId);
  const parsed = ReviewBodySchema.safeParse(body);
  if (!parsed.success) throw new PortalRequestError(400, 'bad_request', parsed.error.issues.map((i) => i.message).join('；'));
  const current = await deps.repo.getCurrent(year, unit.id);
  if (!current) throw new PortalRequestError(409, 'nothing_to_review', `${unit.name}尚无已接收的报送，无法审核`);
  const { decision, comment } = parsed.data;
  const at = await audit(deps, who, { year, unitId: unit.id, s3Key: current.s3Key, versionToken: current.versionToken, outcome: decision === 'pass' ? 'review-pass' : 'review-return', detail: comment });
  await deps.portal.putReview({ year, unitId: unit.id, decision, comment, versionToken: current.versionToken, s3Key: current.s3Key, by: principalOf(who), at });
}

/**
 * Locks, unlocks, exceptions and revokes are events in the year's lock
 * history (the same one the CLI appends to), stamped with the signed-in
 * person, whose ID token the API verified, and the server's time.
 */
async function recordLockEvent(deps: OfficeDeps, who: OfficeIdentity, year: number, kind: LockEventKind, extra: { unitId?: string; reason?: string } = {}): Promise<void> {
  const at = deps.now().toISOString();
  const principal = principalOf(who);
  const subject = subjectOf(who);
  await deps.repo.appendLockEvent({ year, kind, at, id: randomUUID(), by: { principal, source: 'portal-signin', subject }, ...extra });
  await deps.repo.appendAudit({ at, year, unitId: extra.unitId ?? '-', outcome: kind, principal, subject, ...(extra.reason ? { detail: extra.reason } : {}) });
}

export async function lockYear(year: number, reason: string | undefined, who: OfficeIdentity, deps: OfficeDeps): Promise<void> {
  if (await deps.repo.getLock(year)) throw new PortalRequestError(409, 'already_locked', `${year}年度已锁定`);
  await recordLockEvent(deps, who, year, 'lock', reason ? { reason } : {});
}

export async function unlockYear(year: number, who: OfficeIdentity, deps: OfficeDeps): Promise<void> {
  if (!(await deps.repo.getLock(year))) throw new PortalRequestError(409, 'not_locked', `${year}年度未锁定`);
  await recordLockEvent(deps, who, year, 'unlock');
}

export async function grantException(year: number, unitId: string, who: OfficeIdentity, deps: OfficeDeps): Promise<void> {
  const unit = unitById(deps, unitId);
  if (!(await deps.repo.getLock(year))) throw new PortalRequestError(409, 'not_locked', `${year}年度未锁定，无需开通例外`);
  await recordLockEvent(deps, who, year, 'exception', { unitId: unit.id });
}

export async function revokeException(year: number, unitId: string, who: OfficeIdentity, deps: OfficeDeps): Promise<void> {
  const unit = unitById(deps, unitId);
  if (!(await deps.repo.listLockExceptions(year)).includes(unit.id)) throw new PortalRequestError(404, 'no_exception', `${unit.name}没有例外`);
  await recordLockEvent(deps, who, year, 'revoke', { unitId: unit.id });
}

export async function runAggregation(year: number, who: OfficeIdentity, deps: OfficeDeps): Promise<{ artifacts: string[] }> {
  const result = await deps.runAggregation(year, principalOf(who));
  await audit(deps, who, { year, unitId: '-', outcome: 'aggregate', detail: result.artifacts.join(', ') });
  return result;
}

export const DOWNLOADABLE = {
  'report.docx': 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'report.html': 'text/html; charset=utf-8',
  'data.xlsx': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  '报送情况.docx': 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
} as const;

/** The newest run's artifact; 404 until a report has been generated. */
export async function downloadArtifact(year: number, file: string, deps: OfficeDeps): Promise<{ fileName: string; contentType: string; bytes: Uint8Array }> {
  if (!(file in DOWNLOADABLE)) throw new PortalRequestError(404, 'not_found', `没有这个文件：${file}`);
  const key = `${PREFIX.reports}${year}/latest/${file}`;
  // The object store treats a missing object as transient (ingest retries); here it means "not generated yet".
  if (!(await deps.objects.listVersions(deps.reportsBucket, key)).some((v) => v.key === key)) {
    throw new PortalRequestError(404, 'no_report', `${year}年度尚未生成报告，请先点击“立即生成报告”`);
  }
  const stored = await deps.objects.get(deps.reportsBucket, key, undefined, 50 * 1024 * 1024);
  return { fileName: `${deps.county.config.name}${year}年${file}`, contentType: DOWNLOADABLE[file as keyof typeof DOWNLOADABLE], bytes: stored.bytes };
}

export const LinkBodySchema = z.strictObject({ unitId: z.string().check(z.minLength(1)), days: z._default(z.int().check(z.minimum(1), z.maximum(400)), 120) });

/** A unit link: a new upload token, shown once; the page puts it in the URL fragment. */
export async function createUnitLink(body: unknown, who: OfficeIdentity, deps: OfficeDeps): Promise<{ token: string; unitName: string; validUntil: string; tokenId: string }> {
  const parsed = LinkBodySchema.safeParse(body);
  if (!parsed.success) throw new PortalRequestError(400, 'bad_request', '需要单位和有效天数（1–400）');
  const unit = unitById(deps, parsed.data.unitId);
  const now = deps.now();
  const { token, record } = issueUploadToken({ county: deps.county.config.id, unitId: unit.id, createdBy: principalOf(who), now, validDays: parsed.data.days });
  await deps.links.put(record);
  await audit(deps, who, { year: yearOfLinks(deps), unitId: unit.id, outcome: 'link-created', detail: record.tokenId });
  return { token, unitName: unit.name, validUntil: chineseDateTime(record.validUntil, deps.county.config.timeZone), tokenId: record.tokenId };
}

export async function listUnitLinks(deps: OfficeDeps) {
  const tz = deps.county.config.timeZone;
  const now = deps.now().getTime();
  const all = await Promise.all(deps.county.config.units.map(async (unit) => ({ unit, records: await deps.links.listByUnit(unit.id) })));
  return all.flatMap(({ unit, records }) =>
    records.map((r) => ({
      tokenId: r.tokenId,
      unitId: unit.id,
      unitName: unit.name,
      createdAt: chineseDateTime(r.createdAt, tz),
      createdBy: r.createdBy,
      validUntil: chineseDateTime(r.validUntil, tz),
      // An opened link is spent (its session lasts hours); revoking it still ends that session.
      state: r.revokedAt ? '已撤销' : Date.parse(r.validUntil) <= now ? '已过期' : r.exchangedAt ? `已打开（${chineseDateTime(r.exchangedAt, tz)}）` : '有效',
    })),
  );
}

export async function revokeUnitLink(tokenId: string, who: OfficeIdentity, deps: OfficeDeps): Promise<void> {
  const record = await deps.links.get(tokenId);
  if (!record || record.county !== deps.county.config.id) throw new PortalRequestError(404, 'unknown_link', '没有这个链接');
  await deps.links.revoke(tokenId, principalOf(who), deps.now());
  await audit(deps, who, { year: yearOfLinks(deps), unitId: record.unitId, outcome: 'link-revoked', detail: tokenId });
}

/** Links are not tied to a year; their audit entries go under the year being collected when issued. */
function yearOfLinks(deps: OfficeDeps): number {
  return reportYearAt(deps.now(), deps.county.config.timeZone);
}
