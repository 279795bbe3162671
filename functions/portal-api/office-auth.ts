import { CognitoJwtVerifier } from 'aws-jwt-verify';
import type { Jwks } from 'aws-jwt-verify/jwk';
import '../../shared/core/zod-mini-locale';
import * as z from 'zod/mini';
import type { OfficeIdentity } from '../../shared/usecases/portal/office';

/**
 * Office staff sign in to the county's Cognito user pool; the API accepts
 * their ID token as `Authorization: Bearer …` and nothing else. One verifier
 * for AWS and --local: aws-jwt-verify's CognitoJwtVerifier. Locally the pool
 * id names a stand-in pool and its JWKS (shared/local/local-issuer.ts) is
 * handed to the verifier instead of fetched; signature, issuer, audience,
 * token use and expiry are checked by the same code either way.
 */
export interface OfficeAuthConfig {
  userPoolId: string;
  clientId: string;
  /** --local only: the stand-in pool's public keys. */
  jwks?: Jwks;
}

export type OfficeVerifier = (authorization: string | undefined) => Promise<OfficeIdentity | { rejected: string }>;

/** The claims the portal reads from an ID token; groups decide the role. */
const ClaimsSchema = z.object({
  sub: z.string().check(z.minLength(1)),
  name: z.optional(z.string().check(z.minLength(1))),
  email: z.optional(z.string().check(z.minLength(1))),
  'cognito:username': z.optional(z.string().check(z.minLength(1))),
  'cognito:groups': z.optional(z.array(z.string())),
});

export const OFFICE_GROUPS = { office: 'office', viewer: 'viewer' } as const;

export function createOfficeVerifier(config: OfficeAuthConfig): OfficeVerifier {
  const verifier = CognitoJwtVerifier.create({ userPoolId: config.userPoolId, clientId: config.clientId, tokenUse: 'id' });
  if (config.jwks) verifier.cacheJwks(config.jwks);
  return async (authorization) => {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
    if (!match) return { rejected: '请先登录' };
    let payload: unknown;
    try {
      payload = await verifier.verify(match[1]!);
    } catch {
      // Expired, forged, another pool's or another app's token: all the same to the caller.
      return { rejected: '登录已失效，请重新登录' };
    }
    const claims = ClaimsSchema.safeParse(payload);
    if (!claims.success) return { rejected: '登录信息不完整' };
    const groups = claims.data['cognito:groups'] ?? [];
    const role = groups.includes(OFFICE_GROUPS.office) ? 'office' : groups.includes(OFFICE_GROUPS.viewer) ? 'viewer' : undefined;
    if (!role) return { rejected: '该账号没有访问权限（需加入 office 或 viewer 组）' };
    return { subject: claims.data.sub, name: claims.data.name ?? claims.data.email ?? claims.data['cognito:username'] ?? claims.data.sub, role };
  };
}
