import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * The portal API answers only requests that came through the county's
 * CloudFront distribution (and so through its web ACL): the distribution
 * adds this header with a secret the API alone also knows (a Secrets Manager
 * secret both are given at deploy, infra/constructs/portal.ts). A direct call
 * to the execute-api URL gets 403 before any route runs.
 */
export const ORIGIN_SECRET_HEADER = 'x-portal-origin-secret';

/** Whether the request's headers carry the secret (header names compared case-insensitively, the value in constant time). */
export function cameThroughDistribution(headers: Readonly<Record<string, string | undefined>> | null | undefined, secret: string): boolean {
  if (!headers || secret.length === 0) return false;
  const entry = Object.entries(headers).find(([name]) => name.toLowerCase() === ORIGIN_SECRET_HEADER);
  const given = entry?.[1];
  if (typeof given !== 'string') return false;
  // Equal-length digests, so the comparison neither throws nor leaks the secret's length.
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(given), digest(secret));
}

/** What a request that bypassed the distribution gets. */
export const NOT_THROUGH_DISTRIBUTION = {
  statusCode: 403,
  headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' },
  body: JSON.stringify({ error: 'forbidden', message: '请通过门户地址访问' }),
};
