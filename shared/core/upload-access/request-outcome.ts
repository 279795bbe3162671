import '../zod-mini-locale';
import * as z from 'zod/mini';
import type { CountyConfig } from '../county/schema';
import type { SubmissionChanges } from '../submission/changes';
import { NotASubmissionError } from '../errors';
import { parseSubmissionKey } from '../submission-key';
import { reportYearAt } from '../aggregate-event';
import { authenticate, type TokenKind, type TokenRejection, type UploadTokenRecord } from './token';

/**
 * What became of a unit's upload: the steps are
 *   1. authenticate the token;
 *   2. the key must be a submission key in the token's unit folder, in the
 *      year being collected (a unit sees only its own outcomes of that year);
 *   3. look up the outcome ingest recorded for that object version;
 *      none yet → "pending" (the caller polls).
 */
export const OutcomeQuerySchema = z.object({
  key: z.string().check(z.minLength(1), z.maxLength(1024)),
  /** x-amz-version-id of the upload (versioned buckets, i.e. every deployed stack). */
  versionId: z.optional(z.string().check(z.minLength(1))),
  /** ETag of the upload, without quotes: identifies it where the bucket is not versioned. */
  eTag: z.optional(z.string().check(z.minLength(1))),
});
export type OutcomeQuery = z.infer<typeof OutcomeQuerySchema>;

export interface RecordedOutcome {
  status: 'accepted' | 'rejected' | 'superseded';
  reason?: string;
  rowCount?: number;
  problemCount?: number;
  errorReportKey?: string;
  /** An accepted upload that replaced the unit's earlier submission: what it added, changed and dropped. */
  changes?: SubmissionChanges;
}

export type OutcomeDecision =
  | { status: 200; outcome: RecordedOutcome; token: UploadTokenRecord }
  | { status: 202; pending: true; token: UploadTokenRecord }
  | { status: 400 | 401 | 403; error: TokenRejection | 'bad_request' | 'not_your_upload' | 'year_not_open'; message: string };

export interface OutcomeDeps {
  county: CountyConfig;
  findToken(tokenId: string): Promise<UploadTokenRecord | undefined>;
  findOutcome(key: string, year: number, version: { versionId?: string; eTag?: string }): Promise<RecordedOutcome | undefined>;
  now(): Date;
  /** The token kinds taken (request-upload.ts, UploadAccessDeps.accept). */
  accept?: readonly TokenKind[];
}

export async function requestOutcome(input: { authorization: string | undefined; query: unknown }, deps: OutcomeDeps): Promise<OutcomeDecision> {
  const auth = await authenticate(input.authorization, deps.findToken, deps.county.id, deps.now(), deps.accept);
  if (!auth.ok) return { status: 401, error: auth.reason, message: '上传凭证无效、已撤销或已过期' };
  const parsed = OutcomeQuerySchema.safeParse(input.query);
  if (!parsed.success || (!parsed.data.versionId && !parsed.data.eTag)) {
    return { status: 400, error: 'bad_request', message: '需要 key，以及 versionId 或 eTag' };
  }
  const query = parsed.data;
  let submission: ReturnType<typeof parseSubmissionKey>;
  try {
    submission = parseSubmissionKey(query.key);
  } catch (err) {
    if (err instanceof NotASubmissionError) return { status: 400, error: 'bad_request', message: `不是报送文件的位置：${query.key}` };
    throw err;
  }
  if (submission.unitId !== auth.record.unitId) return { status: 403, error: 'not_your_upload', message: '只能查询本单位的上传结果' };
  const openYear = reportYearAt(deps.now(), deps.county.timeZone);
  if (submission.year !== openYear) return { status: 403, error: 'year_not_open', message: `只能查询正在收集的${openYear}年度的上传结果` };
  const outcome = await deps.findOutcome(query.key, submission.year, { versionId: query.versionId, eTag: query.eTag });
  return outcome ? { status: 200, outcome, token: auth.record } : { status: 202, pending: true, token: auth.record };
}
