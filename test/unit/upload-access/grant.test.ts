import { grantRecord, grantRefusal } from '../../../shared/core/upload-access/grant';
import { issueClerkSession, issueUploadToken } from '../../../shared/core/upload-access/token';

const now = new Date('2022-01-09T02:00:00Z');
const link = issueUploadToken({ county: 'lingshou', unitId: 'justice_bureau', createdBy: 't', now, validDays: 30 }).record;
const session = issueClerkSession(link, now).record;
const grant = grantRecord(
  { grantId: '0123456789abcdef', unitId: 'justice_bureau', year: 2021, key: 'submissions/2021/justice_bureau/a.json', prefix: 'submissions/2021/justice_bureau/', contentType: 'application/json', maxBytes: 1, expiresInSeconds: 300 },
  session,
  now,
);
const at = (minutes: number) => new Date(now.getTime() + minutes * 60_000).toISOString();
const judge = (over: Partial<Parameters<typeof grantRefusal>[0]>) =>
  grantRefusal({ key: grant.key, receivedAt: at(2), versionToken: 'v1', grant, link, ...over }, 'Asia/Shanghai');

describe('an upload grant, judged at the moment S3 received the object', () => {
  test("a session's grant answers to the link the session was opened from", () => {
    expect(grant).toMatchObject({ credentialTokenId: session.tokenId, linkTokenId: link.tokenId, expiresAt: at(5) });
  });

  test('stands when the link was not revoked, or revoked only after the file arrived (a replay decides the same)', () => {
    expect(judge({})).toBeUndefined();
    expect(judge({ link: { ...link, revokedAt: at(3) } })).toBeUndefined();
  });

  test('is refused when the link was revoked before the file arrived, naming the local time', () => {
    expect(judge({ link: { ...link, revokedAt: at(1) } })).toBe(
      '本次上传所用的报送链接已于2022年1月9日 10:01被县司法局撤销，文件在撤销之后送达，未被接收。如需报送，请联系县司法局重新发送链接',
    );
  });

  test('brings one version: another version is refused, the same one again is not a second use', () => {
    expect(judge({ grant: { ...grant, usedBy: 'v1' } })).toBeUndefined();
    expect(judge({ grant: { ...grant, usedBy: 'v0' } })).toMatch(/每次授权只能上传一个文件/);
    // Unversioned (the local emulator): a replay's token differs in its sequencer only; another content is another upload.
    expect(judge({ versionToken: 'unversioned-abc123-0', grant: { ...grant, usedBy: 'unversioned-abc123-0184A2' } })).toBeUndefined();
    expect(judge({ versionToken: 'unversioned-def456-0', grant: { ...grant, usedBy: 'unversioned-abc123-0184A2' } })).toMatch(/每次授权只能上传一个文件/);
  });

  test('an unknown grant, or one for another key, is refused', () => {
    expect(judge({ grant: undefined })).toMatch(/没有对应的上传授权记录/);
    expect(judge({ key: 'submissions/2021/justice_bureau/b.json' })).toMatch(/没有对应的上传授权记录/);
  });
});
