import '../zod-mini-locale';
import * as z from 'zod/mini';
import { chineseDateTime } from '../county/time';
import { ID } from '../catalogue/schema';
import type { UploadGrant } from './request-upload';
import { kindOf, type UploadTokenRecord } from './token';

/**
 * An upload grant as recorded when it is issued (issue 22 item 6). The
 * presigned POST pins its id into the object's user metadata
 * (`x-amz-meta-upload-grant`, an exact-match policy condition S3 enforces),
 * so ingest knows which grant, and through it which unit link, an object
 * came with. Ingest then refuses an upload
 *   - whose link was revoked before S3 received the object (the office's
 *     revocation wins over a grant issued minutes earlier), or
 *   - whose grant already brought another object version (a grant is for
 *     one file; a presigned POST can be replayed until it expires, so
 *     single use is enforced where the object arrives).
 * Both are judged from stored facts at the object's receipt time, so a
 * retry, a late delivery and `replay` decide alike. An object without the
 * metadata came from an IAM principal (an engineer's `upload --local`, the
 * demo), which no link governs.
 */
export const GRANT_METADATA = 'upload-grant';

export const UploadGrantRecordSchema = z.object({
  grantId: z.string().check(z.regex(/^[0-9a-f]{16}$/)),
  county: ID,
  unitId: ID,
  year: z.int(),
  key: z.string().check(z.minLength(1)),
  /** The credential that asked: a unit link, or a browser session a link was spent on. */
  credentialTokenId: z.string(),
  /** The unit link behind it (the credential itself for a link): its revocation decides. */
  linkTokenId: z.string(),
  issuedAt: z.iso.datetime(),
  expiresAt: z.iso.datetime(),
  /** The object version that used the grant (set by ingest, once). */
  usedBy: z.optional(z.string()),
});
export type UploadGrantRecord = z.infer<typeof UploadGrantRecordSchema>;

export function grantRecord(grant: UploadGrant, credential: UploadTokenRecord, now: Date): UploadGrantRecord {
  return {
    grantId: grant.grantId,
    county: credential.county,
    unitId: grant.unitId,
    year: grant.year,
    key: grant.key,
    credentialTokenId: credential.tokenId,
    linkTokenId: kindOf(credential) === 'session' ? (credential.linkTokenId ?? credential.tokenId) : credential.tokenId,
    issuedAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + grant.expiresInSeconds * 1000).toISOString(),
  };
}

/**
 * Why ingest must refuse an object that came with a grant, or undefined when
 * the grant stands. `versionToken` is the object version's own token: the
 * grant's own version asking again (a redelivery, a replay) is not a second use.
 */
export function grantRefusal(
  input: { key: string; receivedAt: string; versionToken: string; grant: UploadGrantRecord | undefined; link: UploadTokenRecord | undefined },
  timeZone: string,
): string | undefined {
  const { grant, link } = input;
  if (!grant || grant.key !== input.key) return '本次上传没有对应的上传授权记录，未被接收。请在报送页面重新上传';
  if (link?.revokedAt && Date.parse(link.revokedAt) <= Date.parse(input.receivedAt)) {
    return `本次上传所用的报送链接已于${chineseDateTime(new Date(link.revokedAt), timeZone)}被县司法局撤销，文件在撤销之后送达，未被接收。如需报送，请联系县司法局重新发送链接`;
  }
  if (grant.usedBy && !sameUpload(grant.usedBy, input.versionToken)) return '这次上传授权已经用于上传另一个文件（每次授权只能上传一个文件），本文件未被接收。请在报送页面重新上传';
  return undefined;
}

/**
 * Whether two version tokens name the same upload. A versioned bucket (every
 * deployed stack) gives each version its id. An unversioned one (the local
 * emulator) gives `unversioned-<eTag>-<sequencer>`, and a replay's listing has
 * no sequencer, so there the content (the eTag) decides.
 */
function sameUpload(a: string, b: string): boolean {
  if (a === b) return true;
  const eTagOf = (token: string) => /^unversioned-(.+)-[^-]+$/.exec(token)?.[1];
  return eTagOf(a) !== undefined && eTagOf(a) === eTagOf(b);
}
