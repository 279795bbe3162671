import { authenticate, bearerToken, issueUploadToken, parseToken, secretMatches, type UploadTokenRecord } from '../../../shared/core/upload-access/token';

const now = new Date('2021-12-15T08:00:00Z');
const issue = (unitId = 'justice_bureau', when = now, validDays = 30) => issueUploadToken({ county: 'lingshou', unitId, createdBy: 'test', now: when, validDays });
const lookupOf = (...records: UploadTokenRecord[]) => async (id: string) => records.find((r) => r.tokenId === id);

describe('upload tokens', () => {
  test('a token is yrt_<16 hex>_<43 base64url>; the record keeps a salted hash, not the secret', () => {
    const { token, record } = issue();
    const parsed = parseToken(token)!;
    expect(parsed.tokenId).toBe(record.tokenId);
    expect(parsed.secret).toHaveLength(43);
    expect(JSON.stringify(record)).not.toContain(parsed.secret);
    expect(record.validUntil).toBe('2022-01-14T08:00:00.000Z');
    expect(secretMatches(record, parsed.secret)).toBe(true);
    expect(secretMatches(record, parsed.secret.replace(/^./, (c) => (c === 'A' ? 'B' : 'A')))).toBe(false);
  });

  test('two tokens never share a salt, so equal secrets would still hash differently', () => {
    const a = issue().record;
    const b = issue().record;
    expect(a.salt).not.toBe(b.salt);
    expect(a.tokenId).not.toBe(b.tokenId);
  });

  test('bearer parsing is strict', () => {
    expect(bearerToken('Bearer abc')).toBe('abc');
    expect(bearerToken('bearer abc ')).toBe('abc');
    expect(bearerToken('Basic abc')).toBeUndefined();
    expect(bearerToken(undefined)).toBeUndefined();
    expect(parseToken('yrt_xyz_abc')).toBeUndefined();
  });

  test('authenticate says why a token fails, checking the secret before anything about the record', async () => {
    const good = issue();
    const revoked = issue();
    revoked.record.revokedAt = now.toISOString();
    const expired = issue('justice_bureau', new Date('2021-01-01T00:00:00Z'), 10);
    const otherCounty = issue();
    otherCounty.record.county = 'qingshan_demo';
    const lookup = lookupOf(good.record, revoked.record, expired.record, otherCounty.record);
    const auth = (token: string | undefined) => authenticate(token === undefined ? undefined : `Bearer ${token}`, lookup, 'lingshou', now);

    expect(await auth(good.token)).toEqual({ ok: true, record: good.record });
    expect(await auth(undefined)).toEqual({ ok: false, reason: 'token_missing' });
    expect(await auth('nonsense')).toEqual({ ok: false, reason: 'token_malformed' });
    expect(await auth(issue().token)).toEqual({ ok: false, reason: 'token_unknown' });
    expect(await auth(`yrt_${good.record.tokenId}_${parseToken(issue().token)!.secret}`)).toEqual({ ok: false, reason: 'token_invalid' });
    expect(await auth(revoked.token)).toEqual({ ok: false, reason: 'token_revoked' });
    expect(await auth(expired.token)).toEqual({ ok: false, reason: 'token_expired' });
    expect(await auth(otherCounty.token)).toEqual({ ok: false, reason: 'token_other_county' });
    // A wrong secret on a revoked token is "invalid", not "revoked": no state leaks without the secret.
    expect(await auth(`yrt_${revoked.record.tokenId}_${parseToken(issue().token)!.secret}`)).toEqual({ ok: false, reason: 'token_invalid' });
  });
});
