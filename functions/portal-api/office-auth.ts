import { CognitoJwtVerifier, JwtVerifier } from 'aws-jwt-verify';
import { FetchError, JwksValidationError } from 'aws-jwt-verify/error';
import { SimpleJwksCache, type Jwks } from 'aws-jwt-verify/jwk';
import type { Fetcher } from 'aws-jwt-verify/https';
import type { JwtHeader, JwtPayload } from 'aws-jwt-verify/jwt-model';
import '../../shared/core/zod-mini-locale';
import * as z from 'zod/mini';
import type { OfficeSignIn } from '../../shared/core/county/schema';
import type { OfficeIdentity } from '../../shared/usecases/portal/office';
import type { SignInSettings } from '../../shared/core/portal/views';

/**
 * The office signs in with the authorization code flow and PKCE, at the
 * county's Cognito user pool (global partition) or at the county's own OpenID
 * Connect provider (China, or wherever the county runs one). The page sends
 * the code here (POST /api/sign-in/token), this module exchanges it at the
 * provider's token endpoint and verifies the ID token; from then on the page
 * sends that ID token as `Authorization: Bearer …` and nothing else is
 * accepted. Verification is aws-jwt-verify's: CognitoJwtVerifier for a user
 * pool, the generic JwtVerifier (issuer, audience, JWKS) for any other issuer.
 */
export type OfficeAuthConfig =
  | {
      provider: 'cognito';
      userPoolId: string;
      clientId: string;
      /** The hosted sign-in domain, e.g. https://lingshou.auth.us-east-1.amazoncognito.com. */
      domainUrl: string;
      /** Tests only: the pool's public keys, instead of fetching them. */
      jwks?: Jwks;
    }
  | (Extract<OfficeSignIn, { provider: 'oidc' }> & {
      /** Tests only: lets a loopback http issuer (the in-process provider) be discovered and its JWKS fetched. */
      allowLoopbackHttp?: boolean;
    });


export type OfficeVerifier = (authorization: string | undefined) => Promise<OfficeIdentity | { rejected: string }>;

export interface OfficeAuth {
  settings(): Promise<SignInSettings>;
  /** Exchanges a code (with its PKCE verifier) for the ID token and checks it; refusals are Chinese. */
  exchange(request: unknown): Promise<{ idToken: string; expiresAt: string; me: Pick<OfficeIdentity, 'name' | 'role'> } | { rejected: string }>;
  verify: OfficeVerifier;
}

export const OFFICE_GROUPS = { office: 'office', viewer: 'viewer' } as const;

export class SignInUnavailableError extends Error {
  override readonly name = 'SignInUnavailableError';
}

const DiscoverySchema = z.object({
  issuer: z.string(),
  authorization_endpoint: z.url(),
  token_endpoint: z.url(),
  jwks_uri: z.url(),
  end_session_endpoint: z.optional(z.url()),
});
type Discovery = z.infer<typeof DiscoverySchema>;

const ExchangeSchema = z.strictObject({
  code: z.string().check(z.minLength(1), z.maxLength(2048)),
  codeVerifier: z.string().check(z.regex(/^[A-Za-z0-9._~-]{43,128}$/)),
  redirectUri: z.url({ protocol: /^https?$/ }),
  nonce: z.string().check(z.minLength(16), z.maxLength(256)),
});

const TokenResponseSchema = z.object({ id_token: z.string().check(z.minLength(1)) });

const isLoopback = (url: string) => /^http:\/\/(127\.0\.0\.1|localhost)(:\d+)?(\/|$)/.test(url);

/** Fetches with Node's fetch (the Lambda runtime's too), for the loopback provider aws-jwt-verify's https-only fetcher cannot reach. */
const loopbackFetcher: Fetcher = {
  async fetch(uri) {
    if (!isLoopback(uri)) throw new SignInUnavailableError(`not a loopback address: ${uri}`);
    const response = await fetch(uri, { signal: AbortSignal.timeout(5000) });
    if (!response.ok) throw new SignInUnavailableError(`${uri}: ${response.status}`);
    return response.arrayBuffer();
  },
};

/** The rule the office reads: the role from one claim (a string or a list), the name from another. */
interface ClaimRules {
  roleClaim: string;
  officeRoles: string[];
  viewerRoles: string[];
  nameClaim: string;
}

export function createOfficeAuth(config: OfficeAuthConfig): OfficeAuth {
  const issuer = config.provider === 'cognito' ? cognitoIssuer(config.userPoolId) : config.issuer;
  const rules: ClaimRules =
    config.provider === 'cognito'
      ? { roleClaim: 'cognito:groups', officeRoles: [OFFICE_GROUPS.office], viewerRoles: [OFFICE_GROUPS.viewer], nameClaim: 'name' }
      : config;

  let discovery: Promise<Discovery> | undefined;
  const discover = (): Promise<Discovery> => {
    if (config.provider === 'cognito') {
      const base = config.domainUrl.replace(/\/$/, '');
      return Promise.resolve({ issuer, authorization_endpoint: `${base}/oauth2/authorize`, token_endpoint: `${base}/oauth2/token`, jwks_uri: `${issuer}/.well-known/jwks.json`, end_session_endpoint: `${base}/logout` });
    }
    discovery ??= (async () => {
      const url = `${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`;
      if (!url.startsWith('https://') && !(config.allowLoopbackHttp && isLoopback(url))) throw new SignInUnavailableError(`issuer must be https: ${issuer}`);
      const response = await fetch(url, { signal: AbortSignal.timeout(5000) }).catch((err: Error) => {
        throw new SignInUnavailableError(`${url}: ${err.message}`);
      });
      if (!response.ok) throw new SignInUnavailableError(`${url}: ${response.status}`);
      const parsed = DiscoverySchema.safeParse(await response.json());
      if (!parsed.success) throw new SignInUnavailableError(`${url}: ${parsed.error.message}`);
      // OpenID Connect Discovery §4.3: the document's issuer must be the one configured, or its keys are not the county's.
      if (parsed.data.issuer !== issuer) throw new SignInUnavailableError(`${url} names issuer ${parsed.data.issuer}, not ${issuer}`);
      return parsed.data;
    })().catch((err: unknown) => {
      discovery = undefined; // try again on the next request
      throw err;
    });
    return discovery;
  };

  // An ID token, never an access token: ID tokens carry aud = this client; refuse what says it is anything else.
  const idTokenOnly = ({ header, payload }: { header: JwtHeader; payload: JwtPayload }) => {
    const typ = typeof header.typ === 'string' ? header.typ.toLowerCase() : '';
    if (typ === 'at+jwt' || typ === 'application/at+jwt') throw new Error('access token (typ at+jwt)');
    if (payload.token_use !== undefined && payload.token_use !== 'id') throw new Error('not an ID token (token_use)');
    if (payload.typ !== undefined && payload.typ !== 'ID') throw new Error('not an ID token (typ)'); // Keycloak marks its tokens
    if (payload.azp !== undefined && payload.azp !== config.clientId) throw new Error('issued to another client (azp)');
  };

  let verifyJwt: ((token: string) => Promise<JwtPayload>) | undefined;
  const verifier = async (): Promise<(token: string) => Promise<JwtPayload>> => {
    if (verifyJwt) return verifyJwt;
    if (config.provider === 'cognito') {
      const cognito = CognitoJwtVerifier.create({ userPoolId: config.userPoolId, clientId: config.clientId, tokenUse: 'id', customJwtCheck: idTokenOnly });
      if (config.jwks) cognito.cacheJwks(config.jwks);
      verifyJwt = (token) => cognito.verify(token);
    } else {
      const { jwks_uri } = await discover();
      const loopback = config.allowLoopbackHttp === true && isLoopback(jwks_uri);
      if (!jwks_uri.startsWith('https://') && !loopback) throw new SignInUnavailableError(`jwks_uri must be https: ${jwks_uri}`);
      const generic = JwtVerifier.create({ issuer, audience: config.clientId, jwksUri: jwks_uri, customJwtCheck: idTokenOnly }, loopback ? { jwksCache: new SimpleJwksCache({ fetcher: loopbackFetcher }) } : undefined);
      verifyJwt = (token) => generic.verify(token);
    }
    return verifyJwt;
  };

  const identify = (payload: JwtPayload): OfficeIdentity | { rejected: string } => {
    const sub = typeof payload.sub === 'string' && payload.sub ? payload.sub : undefined;
    const name = stringClaim(payload, rules.nameClaim) ?? stringClaim(payload, 'preferred_username') ?? stringClaim(payload, 'email');
    if (!sub || !name) return { rejected: '登录信息不完整（缺少账号标识或姓名），请联系管理员' };
    const roles = roleValues(payload, rules.roleClaim);
    const role = roles.some((r) => rules.officeRoles.includes(r)) ? 'office' : roles.some((r) => rules.viewerRoles.includes(r)) ? 'viewer' : undefined;
    if (!role) return { rejected: '该账号没有访问权限（需具有县司法局或查看角色），请联系管理员' };
    return { issuer, subject: sub, name, role };
  };

  const verify: OfficeVerifier = async (authorization) => {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
    if (!match) return { rejected: '请先登录' };
    let payload: JwtPayload;
    try {
      payload = await (await verifier())(match[1]!);
    } catch (err) {
      if (err instanceof SignInUnavailableError) throw err;
      // The provider's keys could not be fetched: not the person's fault, and signing in again would not help.
      if (err instanceof FetchError || err instanceof JwksValidationError) throw new SignInUnavailableError(`JWKS: ${(err as Error).message}`);
      // Expired, forged, another issuer's or another app's token, an access token: all the same to the caller.
      return { rejected: '登录已失效，请重新登录' };
    }
    return identify(payload);
  };

  return {
    async settings() {
      const d = await discover();
      return {
        provider: config.provider,
        authorizationEndpoint: d.authorization_endpoint,
        clientId: config.clientId,
        scopes: config.provider === 'cognito' ? ['openid', 'email', 'profile'] : config.scopes,
        ...(d.end_session_endpoint ? { endSession: { url: d.end_session_endpoint, style: config.provider === 'cognito' ? 'cognito' : 'oidc' } } : {}),
      } satisfies SignInSettings;
    },
    async exchange(request) {
      const parsed = ExchangeSchema.safeParse(request);
      if (!parsed.success) return { rejected: '登录请求不完整，请重新登录' };
      const { code, codeVerifier, redirectUri, nonce } = parsed.data;
      const { token_endpoint } = await discover();
      const response = await fetch(token_endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: redirectUri, client_id: config.clientId, code_verifier: codeVerifier }).toString(),
        signal: AbortSignal.timeout(10_000),
      }).catch((err: Error) => {
        throw new SignInUnavailableError(`${token_endpoint}: ${err.message}`);
      });
      const tokens = TokenResponseSchema.safeParse(await response.json().catch(() => ({})));
      // An expired or reused code, a wrong verifier: the provider refused; the page offers to sign in again.
      if (!response.ok || !tokens.success) return { rejected: '登录未完成（登录码已失效），请重新登录' };
      const idToken = tokens.data.id_token;
      const who = await verify(`Bearer ${idToken}`);
      if ('rejected' in who) return who;
      const payload = JSON.parse(Buffer.from(idToken.split('.')[1]!, 'base64url').toString()) as JwtPayload; // verified just above
      if (payload.nonce !== nonce) return { rejected: '登录未完成（登录请求不匹配），请重新登录' };
      return { idToken, expiresAt: new Date((payload.exp ?? 0) * 1000).toISOString(), me: { name: who.name, role: who.role } };
    },
    verify,
  };
}

/** Cognito's issuer: the pool id starts with its region. */
export function cognitoIssuer(userPoolId: string): string {
  const region = userPoolId.split('_')[0];
  return `https://cognito-idp.${region}.amazonaws.com/${userPoolId}`;
}

function claimAt(payload: JwtPayload, claim: string): unknown {
  if (claim in payload) return payload[claim];
  // A dotted path reaches into an object claim (Keycloak's realm_access.roles).
  return claim.split('.').reduce<unknown>((at, key) => (at && typeof at === 'object' ? (at as Record<string, unknown>)[key] : undefined), payload);
}

function stringClaim(payload: JwtPayload, claim: string): string | undefined {
  const value = claimAt(payload, claim);
  return typeof value === 'string' && value.trim() ? value.trim() : undefined;
}

function roleValues(payload: JwtPayload, claim: string): string[] {
  const value = claimAt(payload, claim);
  if (typeof value === 'string') return [value];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}
