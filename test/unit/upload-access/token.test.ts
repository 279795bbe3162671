import { authenticate, bearerToken, CLERK_SESSION_HOURS, issueClerkSession, issueUploadToken, parseToken, secretMatches, type UploadTokenRecord } from '../../../shared/core/upload-access/token';

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

  describe('a unit link spent on a browser session', () => {
    const link = issue();
    const session = issueClerkSession(link.record, now);
    const spent = { ...link.record, exchangedAt: now.toISOString() };
    const both = ['link', 'session'] as const;

    test('the session is yrs_…, of the same unit, for a few hours, never past its link', () => {
      expect(session.token).toMatch(/^yrs_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
      expect(session.record).toMatchObject({ kind: 'session', linkTokenId: link.record.tokenId, unitId: 'justice_bureau', county: 'lingshou' });
      expect(Date.parse(session.record.validUntil) - now.getTime()).toBe(CLERK_SESSION_HOURS * 3_600_000);
      const shortLink = issue('justice_bureau', now, 1);
      shortLink.record.validUntil = new Date(now.getTime() + 60_000).toISOString();
      expect(issueClerkSession(shortLink.record, now).record.validUntil).toBe(shortLink.record.validUntil);
    });

    test('a spent link authenticates nothing; the session does, until its link is revoked', async () => {
      const auth = (token: string, ...records: UploadTokenRecord[]) => authenticate(`Bearer ${token}`, lookupOf(...records), 'lingshou', now, both);
      expect(await auth(link.token, link.record)).toEqual({ ok: true, record: link.record });
      expect(await auth(link.token, spent)).toEqual({ ok: false, reason: 'token_used' });
      expect(await auth(session.token, spent, session.record)).toEqual({ ok: true, record: session.record });
      expect(await auth(session.token, { ...spent, revokedAt: now.toISOString() }, session.record)).toEqual({ ok: false, reason: 'token_revoked' });
      expect(await auth(session.token, session.record)).toEqual({ ok: false, reason: 'token_revoked' });
      const later = new Date(now.getTime() + CLERK_SESSION_HOURS * 3_600_000);
      expect(await authenticate(`Bearer ${session.token}`, lookupOf(spent, session.record), 'lingshou', later, both)).toEqual({ ok: false, reason: 'token_expired' });
    });

    test('each caller takes only its kinds, and a prefix cannot change a record\'s kind', async () => {
      // The upload API takes links only.
      expect(await authenticate(`Bearer ${session.token}`, lookupOf(spent, session.record), 'lingshou', now)).toEqual({ ok: false, reason: 'token_wrong_kind' });
      // The session's secret under the link prefix, and the reverse.
      expect(await authenticate(`Bearer ${session.token.replace(/^yrs_/, 'yrt_')}`, lookupOf(spent, session.record), 'lingshou', now, both)).toEqual({ ok: false, reason: 'token_invalid' });
      expect(await authenticate(`Bearer ${link.token.replace(/^yrt_/, 'yrs_')}`, lookupOf(link.record), 'lingshou', now, both)).toEqual({ ok: false, reason: 'token_invalid' });
    });
  });
});
