import { generateKeyPairSync, randomUUID, sign, type KeyObject } from 'node:crypto';
import type { Jwks } from 'aws-jwt-verify/jwk';

/**
 * The stand-in for the county's Cognito user pool under --local: it signs ID
 * tokens (RS256) shaped like Cognito's, for a pool id no AWS account has, and
 * publishes its JWKS for the API's verifier (functions/portal-api/office-auth.ts).
 * The key lives in memory only: restarting the server signs everyone out.
 */
export const LOCAL_USER_POOL_ID = 'us-east-1_LocalPool';
export const LOCAL_CLIENT_ID = 'local-portal-client';

export interface LocalIssuer {
  userPoolId: string;
  clientId: string;
  jwks: Jwks;
  /** An ID token for a person in the office or viewer group, valid for `hours`. */
  signIn(person: { name: string; role: 'office' | 'viewer'; email?: string }, hours?: number, groups?: string[]): string;
}

export function createLocalIssuer(): LocalIssuer {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const kid = randomUUID();
  const jwk = publicKey.export({ format: 'jwk' });
  const jwks = { keys: [{ ...jwk, kid, alg: 'RS256', use: 'sig' }] } as unknown as Jwks; // node's JsonWebKey is the same JSON, typed loosely
  return {
    userPoolId: LOCAL_USER_POOL_ID,
    clientId: LOCAL_CLIENT_ID,
    jwks,
    signIn(person, hours = 12, groups = [person.role]) {
      const now = Math.floor(Date.now() / 1000);
      return signJwt(privateKey, kid, {
        sub: randomUUID(),
        iss: `https://cognito-idp.us-east-1.amazonaws.com/${LOCAL_USER_POOL_ID}`,
        aud: LOCAL_CLIENT_ID,
        token_use: 'id',
        auth_time: now,
        iat: now,
        exp: now + hours * 3600,
        name: person.name,
        email: person.email,
        'cognito:username': person.email ?? person.name,
        'cognito:groups': groups,
      });
    },
  };
}

function signJwt(key: KeyObject, kid: string, claims: Record<string, unknown>): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const input = `${part({ alg: 'RS256', typ: 'JWT', kid })}.${part(claims)}`;
  return `${input}.${sign('sha256', Buffer.from(input), key).toString('base64url')}`;
}

