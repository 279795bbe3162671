import { randomBytes } from 'node:crypto';
import '../zod-mini-locale';
import * as z from 'zod/mini';
import { fileNameProblem } from '../file-name';
import { reportYearAt } from '../aggregate-event';
import { ID } from '../catalogue/schema';
import type { CountyConfig } from '../county/schema';
import { submissionKey } from '../submission-key';
import { contentTypeFor, SUBMISSION_CONTENT_TYPES } from './content-types';
import { authenticate, type TokenKind, type TokenRejection, type UploadTokenRecord } from './token';

/**
 * Decides whether a unit may upload a file now, and exactly what it may
 * upload: the steps are
 *   1. authenticate the bearer token (hashed record in the table);
 *   2. validate the request body;
 *   3. the unit in the request must be the token's unit;
 *   4. the year must be open: the report year being collected now, not locked
 *      (unless the unit has an exception);
 *   5. grant one key under submissions/{year}/{unit}/, one content type, a
 *      maximum size, for a few minutes. The caller turns the grant into a
 *      presigned POST; S3 enforces it.
 * Pure: storage comes in through `deps`.
 */
export const UploadRequestSchema = z.object({
  year: z.int().check(z.minimum(2000), z.maximum(2100)),
  unit: ID,
  fileName: z.string().check(
    z.minLength(1),
    z.maxLength(200),
    z.refine((name) => !/[/\\\u0000-\u001f\u007f]/.test(name) && name !== '.' && name !== '..', '文件名不能含有文件夹或控制字符'),
    z.refine((name) => contentTypeFor(name) !== undefined, { error: (issue) => fileTypeAdvice(String(issue.input)) }),
  ),
  contentType: z.optional(z.string()),
});
export type UploadRequest = z.infer<typeof UploadRequestSchema>;

/** What a clerk should do with a file of a type the portal does not take: an old .xls is saved again as .xlsx. */
export function fileTypeAdvice(fileName: string): string {
  const ext = /\.[^.]*$/.exec(fileName)?.[0]?.toLowerCase() ?? '';
  const accepted = Object.keys(SUBMISSION_CONTENT_TYPES).join('、');
  if (['.xls', '.et', '.xlsm', '.xlsb', '.ett'].includes(ext)) {
    return `不能上传${ext}格式的表格：请在Excel或WPS表格中打开它，点“文件”→“另存为”，保存类型选“Excel 工作簿（*.xlsx）”，再上传另存得到的.xlsx文件`;
  }
  return `不能上传${ext ? `${ext}格式的` : '没有扩展名的'}文件，只能上传按模板填写的${accepted}文件`;
}

export interface UploadGrant {
  /** Recorded when issued and pinned into the object's metadata (grant.ts): ingest checks the grant's link and single use. */
  grantId: string;
  unitId: string;
  year: number;
  key: string;
  /** The unit's folder; the key lies inside it. */
  prefix: string;
  contentType: string;
  maxBytes: number;
  expiresInSeconds: number;
}

export type UploadErrorCode = TokenRejection | 'bad_request' | 'unsafe_file_name' | 'wrong_unit' | 'unknown_unit' | 'year_not_open' | 'year_locked' | 'content_type_mismatch';

export type UploadDecision =
  | { status: 200; grant: UploadGrant; token: UploadTokenRecord }
  | { status: 400 | 401 | 403; error: UploadErrorCode; message: string; token?: UploadTokenRecord };

export interface UploadAccessDeps {
  county: CountyConfig;
  findToken(tokenId: string): Promise<UploadTokenRecord | undefined>;
  /** The year's lock, if any, and the units excepted from it. */
  yearLock(year: number): Promise<{ locked: boolean; exceptions: readonly string[] }>;
  maxBytes: number;
  now(): Date;
  /** How long the presigned POST stays valid. */
  grantSeconds?: number;
  /** The token kinds taken: the upload API a link, the portal a link not yet opened or a browser session. */
  accept?: readonly TokenKind[];
}

const MESSAGES: Record<UploadErrorCode, string> = {
  token_missing: '缺少上传凭证（Authorization: Bearer …）',
  token_malformed: '上传凭证格式不正确',
  token_unknown: '上传凭证无效',
  token_invalid: '上传凭证无效',
  token_other_county: '上传凭证不属于本县',
  token_revoked: '上传凭证已被撤销，请联系县司法局重新获取',
  token_expired: '上传凭证已过期，请联系县司法局重新获取',
  token_used: '该报送链接已在浏览器中打开过，不能再次使用，请联系县司法局重新发送',
  token_wrong_kind: '上传凭证类型不正确',
  bad_request: '请求内容不正确',
  unsafe_file_name: '文件名不符合要求',
  wrong_unit: '该凭证只能上传本单位的材料',
  unknown_unit: '本县没有这个单位',
  year_not_open: '该年度不在材料收集期内',
  year_locked: '该年度材料已锁定，不再接收上传',
  content_type_mismatch: '文件类型与扩展名不符',
};

const refuse = (status: 400 | 401 | 403, error: UploadErrorCode, detail?: string, token?: UploadTokenRecord): UploadDecision => ({
  status,
  error,
  message: detail ? `${MESSAGES[error]}：${detail}` : MESSAGES[error],
  token,
});

export async function requestUpload(input: { authorization: string | undefined; body: unknown }, deps: UploadAccessDeps): Promise<UploadDecision> {
  const now = deps.now();
  const auth = await authenticate(input.authorization, deps.findToken, deps.county.id, now, deps.accept);
  if (!auth.ok) return refuse(401, auth.reason);
  const token = auth.record;

  const parsed = UploadRequestSchema.safeParse(input.body);
  if (!parsed.success) {
    // A file the clerk chose is told in the clerk's words; a malformed request (the page's own fault) keeps its field paths.
    if (parsed.error.issues.every((i) => i.path.join('.') === 'fileName')) return { status: 400, error: 'bad_request', message: parsed.error.issues.map((i) => i.message).join('；'), token };
    return refuse(400, 'bad_request', parsed.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; '), token);
  }
  const request = parsed.data;
  const nameProblem = fileNameProblem(request.fileName);
  if (nameProblem) return refuse(400, 'unsafe_file_name', nameProblem, token);
  if (request.unit !== token.unitId) return refuse(403, 'wrong_unit', `${token.unitId} ≠ ${request.unit}`, token);
  if (!deps.county.units.some((u) => u.id === request.unit)) return refuse(403, 'unknown_unit', request.unit, token);

  const contentType = contentTypeFor(request.fileName)!;
  if (request.contentType !== undefined && request.contentType !== contentType) {
    return refuse(400, 'content_type_mismatch', `${request.fileName} → ${contentType}`, token);
  }

  const openYear = reportYearAt(now, deps.county.timeZone);
  if (request.year !== openYear) return refuse(403, 'year_not_open', `现在收集的是${openYear}年度`, token);
  const lock = await deps.yearLock(request.year);
  if (lock.locked && !lock.exceptions.includes(request.unit)) return refuse(403, 'year_locked', String(request.year), token);

  const key = submissionKey(request.year, request.unit, request.fileName);
  return {
    status: 200,
    token,
    grant: {
      grantId: randomBytes(8).toString('hex'),
      unitId: request.unit,
      year: request.year,
      key,
      prefix: key.slice(0, key.length - request.fileName.length),
      contentType,
      maxBytes: deps.maxBytes,
      expiresInSeconds: deps.grantSeconds ?? 300,
    },
  };
}
