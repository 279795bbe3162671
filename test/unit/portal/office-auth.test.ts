import { generateKeyPairSync, randomUUID, sign } from 'node:crypto';
import type { Jwks } from 'aws-jwt-verify/jwk';
import { cognitoIssuer, createOfficeAuth, SignInUnavailableError } from '../../../functions/portal-api/office-auth';

/**
 * The Cognito side of office sign-in, where the partition has user pools:
 * CognitoJwtVerifier with the pool's keys handed in (no AWS account here).
 * The OpenID provider side runs against a real provider in
 * test/integration/portal-api.test.ts.
 */
const USER_POOL_ID = 'us-east-1_Example';
const CLIENT_ID = 'portal-client';
const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const kid = randomUUID();
const jwks = { keys: [{ ...publicKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' }] } as unknown as Jwks; // node's JsonWebKey is the same JSON, typed loosely
const auth = createOfficeAuth({ provider: 'cognito', userPoolId: USER_POOL_ID, clientId: CLIENT_ID, domainUrl: 'https://lingshou.auth.us-east-1.amazoncognito.com', jwks });

function cognitoToken(claims: Record<string, unknown> = {}): string {
  const now = Math.floor(Date.now() / 1000);
  const body = { sub: 'a1b2', iss: cognitoIssuer(USER_POOL_ID), aud: CLIENT_ID, token_use: 'id', iat: now, exp: now + 600, name: '王芳', 'cognito:groups': ['office'], ...claims };
  const part = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
  const input = `${part({ alg: 'RS256', typ: 'JWT', kid })}.${part(body)}`;
  return `Bearer ${input}.${sign('sha256', Buffer.from(input), privateKey).toString('base64url')}`;
}

test('a Cognito ID token: role from the group, name from the name attribute, subject with the issuer', async () => {
  expect(await auth.verify(cognitoToken())).toEqual({ issuer: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Example', subject: 'a1b2', name: '王芳', role: 'office' });
  expect(await auth.verify(cognitoToken({ 'cognito:groups': ['viewer'] }))).toMatchObject({ role: 'viewer' });
});

test('refused: an access token, another client, expired, no group', async () => {
  expect(await auth.verify(cognitoToken({ token_use: 'access' }))).toEqual({ rejected: '登录已失效，请重新登录' });
  expect(await auth.verify(cognitoToken({ aud: 'another-client' }))).toEqual({ rejected: '登录已失效，请重新登录' });
  expect(await auth.verify(cognitoToken({ exp: Math.floor(Date.now() / 1000) - 1 }))).toEqual({ rejected: '登录已失效，请重新登录' });
  expect(await auth.verify(cognitoToken({ 'cognito:groups': [] }))).toMatchObject({ rejected: expect.stringContaining('没有访问权限') });
});

test('an OpenID provider must be https unless it is the loopback test provider', async () => {
  const plain = createOfficeAuth({ provider: 'oidc', issuer: 'http://idp.example.gov.cn', clientId: 'c', roleClaim: 'groups', officeRoles: ['office'], viewerRoles: ['viewer'], nameClaim: 'name', scopes: ['openid'] });
  await expect(plain.settings()).rejects.toThrow('issuer must be https');
});

test('a provider that cannot be reached is "sign-in unavailable" (503), not the person signed out', async () => {
  const unreachable = createOfficeAuth({ provider: 'oidc', issuer: 'http://127.0.0.1:9', clientId: 'c', roleClaim: 'groups', officeRoles: ['office'], viewerRoles: ['viewer'], nameClaim: 'name', scopes: ['openid'], allowLoopbackHttp: true });
  await expect(unreachable.settings()).rejects.toBeInstanceOf(SignInUnavailableError);
  await expect(unreachable.verify(cognitoToken())).rejects.toBeInstanceOf(SignInUnavailableError);
});
