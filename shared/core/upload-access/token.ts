import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import '../zod-mini-locale';
import * as z from 'zod/mini';
import { ID } from '../catalogue/schema';

/**
 * Upload tokens: one per unit, handed to the unit's clerk, shown once.
 * Two kinds share the record and the text form:
 *  - a unit link (`yrt_…`, days to months): the office hands it out; a
 *    browser spends it on first opening (`exchanged`), so the copy a shared
 *    PC's browser History keeps is dead (README, "Portal security");
 *  - a clerk session (`yrs_…`, hours): what the link was exchanged for; it
 *    lives in the tab's sessionStorage, never in an address, and dies with
 *    its link when the office revokes that.
 * Text form: `yrt_<tokenId>_<secret>`. The tokenId (public, 16 hex chars)
 * finds the record; the secret (32 random bytes, base64url) proves
 * possession. The table keeps only salt + SHA-256(salt ‖ secret): the secret
 * is 256 random bits, so a slow password hash would add nothing, while a
 * leaked table still does not let anyone upload.
 */
export const TOKEN_PREFIX = 'yrt';
export const SESSION_PREFIX = 'yrs';
const TOKEN_PATTERN = /^(yrt|yrs)_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;
export type TokenKind = 'link' | 'session';
const KIND_OF_PREFIX: Record<string, TokenKind> = { yrt: 'link', yrs: 'session' };
/** How long a browser session that a unit link was exchanged for lasts: a working afternoon, not the next person's morning. */
export const CLERK_SESSION_HOURS = 4;

export const UploadTokenRecordSchema = z.object({
  tokenId: z.string().check(z.regex(/^[0-9a-f]{16}$/)),
  county: ID,
  unitId: ID,
  /** base64 */
  salt: z.string().check(z.minLength(1)),
  /** base64 of SHA-256(salt ‖ secret) */
  secretHash: z.string().check(z.minLength(1)),
  hashAlgorithm: z.literal('sha256-salted'),
  createdAt: z.iso.datetime(),
  createdBy: z.string().check(z.minLength(1)),
  /** After this instant the token no longer authenticates. */
  validUntil: z.iso.datetime(),
  revokedAt: z.optional(z.iso.datetime()),
  revokedBy: z.optional(z.string()),
  /** Absent on records written before sessions existed: a link. */
  kind: z.optional(z.enum(['link', 'session'])),
  /** A link: when a browser spent it on a session (it authenticates nothing after that). */
  exchangedAt: z.optional(z.iso.datetime()),
  /** A session: the link it was exchanged for; revoking that link ends the session. */
  linkTokenId: z.optional(z.string().check(z.regex(/^[0-9a-f]{16}$/))),
});
export type UploadTokenRecord = z.infer<typeof UploadTokenRecordSchema>;

export interface IssuedToken {
  /** Give this to the unit; it is not stored anywhere. */
  token: string;
  record: UploadTokenRecord;
}

export function issueUploadToken(
  input: { county: string; unitId: string; createdBy: string; now: Date; validDays: number },
  random: (size: number) => Buffer = randomBytes,
): IssuedToken {
  const tokenId = random(8).toString('hex');
  const secret = random(32).toString('base64url');
  const salt = random(16);
  return {
    token: `${TOKEN_PREFIX}_${tokenId}_${secret}`,
    record: {
      tokenId,
      county: input.county,
      unitId: input.unitId,
      salt: salt.toString('base64'),
      secretHash: hashSecret(salt, secret).toString('base64'),
      hashAlgorithm: 'sha256-salted',
      createdAt: input.now.toISOString(),
      createdBy: input.createdBy,
      validUntil: new Date(input.now.getTime() + input.validDays * 86_400_000).toISOString(),
    },
  };
}

/** The session a unit link is exchanged for, once: same county and unit, hours instead of months. */
export function issueClerkSession(link: UploadTokenRecord, now: Date, random: (size: number) => Buffer = randomBytes): IssuedToken {
  const issued = issueUploadToken({ county: link.county, unitId: link.unitId, createdBy: `link ${link.tokenId}`, now, validDays: 1 }, random);
  // A session never outlives its link.
  const validUntil = new Date(Math.min(now.getTime() + CLERK_SESSION_HOURS * 3_600_000, Date.parse(link.validUntil))).toISOString();
  return {
    token: issued.token.replace(/^yrt_/, `${SESSION_PREFIX}_`),
    record: { ...issued.record, validUntil, kind: 'session', linkTokenId: link.tokenId },
  };
}

export const kindOf = (record: UploadTokenRecord): TokenKind => record.kind ?? 'link';

export function parseToken(text: string): { tokenId: string; secret: string; kind: TokenKind } | undefined {
  const match = TOKEN_PATTERN.exec(text.trim());
  return match ? { kind: KIND_OF_PREFIX[match[1]!]!, tokenId: match[2]!, secret: match[3]! } : undefined;
}

/** `Authorization: Bearer yrt_…` → the token text, or undefined. */
export function bearerToken(authorization: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  return match?.[1];
}

export function secretMatches(record: UploadTokenRecord, secret: string): boolean {
  const expected = Buffer.from(record.secretHash, 'base64');
  const actual = hashSecret(Buffer.from(record.salt, 'base64'), secret);
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

function hashSecret(salt: Buffer, secret: string): Buffer {
  return createHash('sha256').update(salt).update(secret, 'utf8').digest();
}

export type TokenRejection =
  | 'token_missing'
  | 'token_malformed'
  | 'token_unknown'
  | 'token_invalid'
  | 'token_revoked'
  | 'token_expired'
  | 'token_other_county'
  /** A unit link already exchanged for a browser session (opened once). */
  | 'token_used'
  /** A session where only a link is taken (the exchange), or the reverse. */
  | 'token_wrong_kind';

/**
 * Authenticates an Authorization header against the stored record (looked up
 * by the caller with the tokenId). Returns the record, or why not.
 * `accept`: the kinds this caller takes. A link authenticates only until it
 * is exchanged; a session only while its link is not revoked.
 */
export async function authenticate(
  authorization: string | undefined,
  lookup: (tokenId: string) => Promise<UploadTokenRecord | undefined>,
  countyId: string,
  now: Date,
  accept: readonly TokenKind[] = ['link'],
): Promise<{ ok: true; record: UploadTokenRecord } | { ok: false; reason: TokenRejection }> {
  const text = bearerToken(authorization);
  if (!text) return { ok: false, reason: 'token_missing' };
  const parsed = parseToken(text);
  if (!parsed) return { ok: false, reason: 'token_malformed' };
  const record = await lookup(parsed.tokenId);
  if (!record) return { ok: false, reason: 'token_unknown' };
  // The secret is checked first, so a guessed tokenId learns nothing about its state.
  if (!secretMatches(record, parsed.secret)) return { ok: false, reason: 'token_invalid' };
  if (record.county !== countyId) return { ok: false, reason: 'token_other_county' };
  if (record.revokedAt) return { ok: false, reason: 'token_revoked' };
  // The prefix is not secret: a record must be of the kind its text claims.
  if (kindOf(record) !== parsed.kind) return { ok: false, reason: 'token_invalid' };
  if (!accept.includes(parsed.kind)) return { ok: false, reason: 'token_wrong_kind' };
  if (now.getTime() >= Date.parse(record.validUntil)) return { ok: false, reason: 'token_expired' };
  if (parsed.kind === 'link' && record.exchangedAt) return { ok: false, reason: 'token_used' };
  if (parsed.kind === 'session') {
    const link = record.linkTokenId ? await lookup(record.linkTokenId) : undefined;
    if (!link || link.revokedAt) return { ok: false, reason: 'token_revoked' };
  }
  return { ok: true, record };
}
