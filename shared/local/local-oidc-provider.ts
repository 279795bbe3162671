import { generateKeyPairSync, randomBytes, createHash, sign, type KeyObject } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { OfficeSignIn } from '../core/county/schema';

/**
 * The county's OpenID provider under --local and in tests: a real one
 * (`oidc-provider`, the certified Node implementation) on loopback, in
 * process. The office page signs in through it exactly as through the
 * county's own provider in AWS: authorization code flow with PKCE, the code
 * exchanged through the portal API, the ID token verified against the
 * provider's JWKS (functions/portal-api/office-auth.ts). Its sign-in page is
 * ours (Chinese, local accounts with passwords); the keys live in memory only,
 * so restarting signs everyone out.
 */
export interface LocalAccount {
  /** What the person types as 账号; also the token's `sub`. */
  login: string;
  password: string;
  /** The `name` claim. Two accounts may share one. */
  name: string;
  /** The `groups` claim: office, viewer, or neither. */
  groups: string[];
  /** This account's ID token lifetime, if not the provider's (tests: a session that runs out). */
  idTokenSeconds?: number;
}

export const LOCAL_CLIENT_ID = 'yearly-report-portal';

/** The accounts `serve --local` prints; tests add their own. */
export const DEFAULT_LOCAL_ACCOUNTS: LocalAccount[] = [
  { login: 'office', password: 'office-local', name: '本地管理员', groups: ['office'] },
  { login: 'viewer', password: 'viewer-local', name: '本地查看员', groups: ['viewer'] },
];

export interface LocalOidcProvider {
  issuer: string;
  clientId: string;
  /** The county config the portal API is given, as a county with its own provider would write it. */
  signIn: Extract<OfficeSignIn, { provider: 'oidc' }>;
  accounts: LocalAccount[];
  /** Runs the whole code + PKCE flow over HTTP (sign-in form included) and returns the ID token: for API tests and scripts. */
  signInHeadless(login: string, password?: string): Promise<string>;
  /** The browser's half up to the code: authorize with this challenge and nonce, sign in on the form, follow the redirects to the office page. */
  authorizationCode(login: string, request: { codeChallenge: string; nonce: string }): Promise<string>;
  /** Signs arbitrary claims with the provider's own key: only for tests that prove the API refuses them. */
  forge(claims: Record<string, unknown>, header?: Record<string, unknown>): string;
  close(): Promise<void>;
}

export interface LocalOidcOptions {
  /** The office page, the only redirect (and post-logout redirect) the client may use. */
  redirectUri: string;
  accounts?: LocalAccount[];
  /** ID token lifetime; tests shorten it to see a session expire. */
  idTokenSeconds?: number;
  port?: number;
}

export async function startLocalOidcProvider(options: LocalOidcOptions): Promise<LocalOidcProvider> {
  // oidc-provider is ESM-only; Node 20.19+ and esbuild load it from CommonJS. Loaded here, not at the top, so nothing else pays for it.
  // It warns on load about Node 20 (it asks for 22; it runs on 20.19+) and on construction about its
  // in-memory store, which is what a loopback provider for one local session wants: said once here
  // instead of on every `serve --local` and in every test's output.
  const { default: Provider } = await withoutKnownWarnings(() => import('oidc-provider'));
  const accounts = options.accounts ?? DEFAULT_LOCAL_ACCOUNTS;
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const kid = randomBytes(8).toString('hex');
  const privateJwk = { ...privateKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' };

  // Listen first: the issuer URL holds the port.
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const provider = await withoutKnownWarnings(async () => new Provider(issuer, {
    clients: [
      {
        client_id: LOCAL_CLIENT_ID,
        client_name: '报告汇总（本地）',
        token_endpoint_auth_method: 'none',
        application_type: 'web',
        grant_types: ['authorization_code'],
        response_types: ['code'],
        redirect_uris: [options.redirectUri],
        post_logout_redirect_uris: [options.redirectUri],
      },
    ],
    jwks: { keys: [privateJwk] },
    cookies: { keys: [randomBytes(32).toString('hex')] },
    claims: { openid: ['sub'], profile: ['name', 'groups'] },
    // The portal reads name and groups from the ID token itself, as from most county providers.
    conformIdTokenClaims: false,
    pkce: { required: () => true },
    ttl: {
      IdToken: (ctx) =>
        accounts.find((a) => a.login === ctx.oidc.entities.Account?.accountId)?.idTokenSeconds ?? options.idTokenSeconds ?? 8 * 3600, AccessToken: 600, AuthorizationCode: 60, Interaction: 600, Session: 8 * 3600, Grant: 8 * 3600 },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    features: {
      devInteractions: { enabled: false },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: async (ctx, form) => {
          ctx.body = page('退出登录', `${form}<p>确定退出本地登录吗？</p><button autofocus type="submit" form="op.logoutForm" name="logout" value="yes">退出登录</button>`);
        },
        postLogoutSuccessSource: async (ctx) => {
          ctx.body = page('已退出登录', '<p>已退出登录。</p>');
        },
      },
    },
    findAccount: async (_ctx, id) => {
      const account = accounts.find((a) => a.login === id);
      return account ? { accountId: id, claims: async () => ({ sub: id, name: account.name, groups: account.groups }) } : undefined;
    },
    renderError: async (ctx, out) => {
      ctx.type = 'html';
      ctx.body = page('登录出错', `<p>登录出错：${escape(out.error_description ?? out.error)}</p><p>请回到报告汇总页面重新登录。</p>`);
    },
  }));
  const callback = provider.callback();

  async function interaction(req: IncomingMessage, res: ServerResponse, uid: string): Promise<void> {
    const details = await provider.interactionDetails(req, res);
    if (details.uid !== uid) throw new Error('interaction mismatch');
    if (details.prompt.name === 'consent') {
      // The portal is the county's own application: no consent screen, as a county provider would configure it.
      const grant = details.grantId ? await provider.Grant.find(details.grantId) : new provider.Grant({ accountId: details.session!.accountId, clientId: String(details.params.client_id) });
      grant!.addOIDCScope(String(details.params.scope));
      await provider.interactionFinished(req, res, { consent: { grantId: await grant!.save() } }, { mergeWithLastSubmission: true });
      return;
    }
    if (req.method === 'POST') {
      const form = new URLSearchParams(await readBody(req));
      const account = accounts.find((a) => a.login === form.get('login') && a.password === form.get('password'));
      if (account) {
        await provider.interactionFinished(req, res, { login: { accountId: account.login } }, { mergeWithLastSubmission: false });
        return;
      }
      return loginPage(res, uid, accounts, '账号或密码不正确。');
    }
    return loginPage(res, uid, accounts);
  }

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const match = /^\/interaction\/([\w-]+)$/.exec((req.url ?? '').split('?')[0]!);
    if (!match) return void callback(req, res);
    interaction(req, res, match[1]!).catch((err: Error) => {
      res.writeHead(400, { 'content-type': 'text/html; charset=utf-8' });
      res.end(page('登录出错', `<p>登录出错：${escape(err.message)}</p><p>请回到报告汇总页面重新登录。</p>`));
    });
  });

  const passwordOf = (login: string) => accounts.find((a) => a.login === login)?.password ?? '';
  const signIn = {
    provider: 'oidc' as const,
    issuer,
    clientId: LOCAL_CLIENT_ID,
    roleClaim: 'groups',
    officeRoles: ['office'],
    viewerRoles: ['viewer'],
    nameClaim: 'name',
    scopes: ['openid', 'profile'],
  };

  return {
    issuer,
    clientId: LOCAL_CLIENT_ID,
    signIn,
    accounts,
    signInHeadless: (login, password) => headlessSignIn(issuer, options.redirectUri, login, password ?? passwordOf(login)),
    authorizationCode: (login, request) => authorizationCode(issuer, options.redirectUri, login, passwordOf(login), request),
    forge: (claims, header = {}) => signJwt(privateKey, { alg: 'RS256', typ: 'JWT', kid, ...header }, claims),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function loginPage(res: ServerResponse, uid: string, accounts: LocalAccount[], error?: string): void {
  // A local demo provider: its accounts are no secret, and the person trying the portal needs them here.
  const roles = (a: LocalAccount) => (a.groups.includes('office') ? '可操作' : a.groups.includes('viewer') ? '只读' : '无权限');
  const list = accounts.map((a) => `<li>账号 <code>${escape(a.login)}</code>，密码 <code>${escape(a.password)}</code>（${escape(a.name)}，${roles(a)}）</li>`).join('');
  res.writeHead(error ? 401 : 200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
  res.end(
    page(
      '登录报告汇总（本地）',
      `${error ? `<p class="error" role="alert">${error}</p>` : ''}
<form method="post" action="/interaction/${uid}" autocomplete="off">
<label>账号 <input name="login" required autofocus></label>
<label>密码 <input name="password" type="password" required></label>
<button type="submit">登录</button>
</form>
<p class="hint">本地演示账号：</p><ul class="hint">${list}</ul>`,
    ),
  );
}

function page(title: string, body: string): string {
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${title}</title>
<style>body{font-family:system-ui,"Microsoft YaHei",sans-serif;max-width:22rem;margin:3rem auto;padding:0 1rem}label{display:block;margin:.8rem 0}input{display:block;width:100%;padding:.4rem;font-size:1rem;box-sizing:border-box}button{padding:.5rem 1.5rem;font-size:1rem}.error{color:#b00020}.hint{color:#555;font-size:.9rem}</style>
</head><body><h1>${title}</h1>${body}</body></html>`;
}

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function signJwt(key: KeyObject, header: Record<string, unknown>, claims: Record<string, unknown>): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const input = `${part(header)}.${part(claims)}`;
  return `${input}.${sign('sha256', Buffer.from(input), key).toString('base64url')}`;
}

/**
 * The browser's part of the flow, over plain HTTP with a cookie jar: authorize
 * with a PKCE challenge, fill in the sign-in form, follow the redirects back to
 * the office page, exchange the code with the verifier at the token endpoint.
 */
async function headlessSignIn(issuer: string, redirectUri: string, login: string, password: string): Promise<string> {
  const verifier = randomBytes(32).toString('base64url');
  const codeChallenge = createHash('sha256').update(verifier).digest('base64url');
  const code = await authorizationCode(issuer, redirectUri, login, password, { codeChallenge, nonce: randomBytes(16).toString('base64url') });
  const token = await fetch(`${issuer}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: redirectUri, client_id: LOCAL_CLIENT_ID, code_verifier: verifier }).toString(),
  });
  const body = (await token.json()) as { id_token?: string; error?: string };
  if (!body.id_token) throw new Error(`token endpoint: ${body.error}`);
  return body.id_token;
}

async function authorizationCode(issuer: string, redirectUri: string, login: string, password: string, request: { codeChallenge: string; nonce: string }): Promise<string> {
  const jar = new Map<string, string>();
  const go = async (url: string, init: RequestInit = {}): Promise<Response> => {
    const response = await fetch(new URL(url, issuer), { ...init, redirect: 'manual', headers: { ...(init.headers as Record<string, string>), cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; ') } });
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const at = pair!.indexOf('=');
      jar.set(pair!.slice(0, at), pair!.slice(at + 1));
    }
    return response;
  };
  const query = new URLSearchParams({ client_id: LOCAL_CLIENT_ID, response_type: 'code', scope: 'openid profile', redirect_uri: redirectUri, state: randomBytes(8).toString('hex'), nonce: request.nonce, code_challenge: request.codeChallenge, code_challenge_method: 'S256' });
  let response = await go(`/auth?${query}`);
  response = await go(response.headers.get('location')!, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ login, password }).toString() });
  if (response.status !== 303 && response.status !== 302) throw new Error(`local sign-in refused for ${login} (${response.status})`);
  let location = '';
  for (let hops = 0; hops < 10; hops++) {
    location = new URL(response.headers.get('location')!, issuer).toString();
    if (location.startsWith(redirectUri)) break;
    response = await go(location);
  }
  const code = new URL(location).searchParams.get('code');
  if (!code) throw new Error(`no code in ${location}`);
  return code;
}

/** oidc-provider's two start-up warnings that do not apply to a provider on loopback for one local session. */
const KNOWN_LOCAL_WARNINGS = [/oidc-provider WARNING: Unsupported runtime/, /oidc-provider WARNING: a quick start development-only in-memory adapter/];

async function withoutKnownWarnings<T>(work: () => Promise<T>): Promise<T> {
  const warn = console.warn;
  console.warn = (...args: unknown[]) => {
    if (!KNOWN_LOCAL_WARNINGS.some((known) => known.test(String(args[0])))) warn(...args);
  };
  try {
    return await work();
  } finally {
    console.warn = warn;
  }
}
