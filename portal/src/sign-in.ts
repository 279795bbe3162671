import { ApiError } from './common';
// The API's answer, typed once for the server and this page.
import type { SignInSettings } from '../../shared/core/portal/views';

/**
 * The office's sign-in in the browser: authorization code flow with PKCE
 * (RFC 7636, S256) at the county's provider, Cognito or its own OpenID
 * provider. Where to go comes from the API (GET /api/sign-in/settings), never
 * from this file. The provider returns a one-time code to office.html?code=…;
 * the page sends it with its verifier to the API, which exchanges it and
 * answers with the verified ID token. The token lives in sessionStorage (this
 * tab only) and never appears in an address, so the browser's history keeps
 * nothing that signs anyone in.
 */

const TOKEN_KEY = 'yearly-report.office-token';
const PENDING_KEY = 'yearly-report.office-sign-in';
const SIGNED_OUT_KEY = 'yearly-report.office-signed-out';

/** Where the provider sends the person back: this page, without query or fragment (as registered with the provider). */
const redirectUri = () => `${location.origin}${location.pathname}`;

const randomText = (bytes: number) => base64url(crypto.getRandomValues(new Uint8Array(bytes)));

function base64url(bytes: Uint8Array): string {
  let text = '';
  for (const b of bytes) text += String.fromCharCode(b);
  return btoa(text).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

async function settings(): Promise<SignInSettings> {
  const response = await fetch('/api/sign-in/settings', { credentials: 'omit' });
  const body = (await response.json().catch(() => ({}))) as SignInSettings & { message?: string };
  if (!response.ok) throw new ApiError(response.status, 'sign_in_settings', body.message ?? `暂时无法登录（${response.status}）`);
  return body;
}

/** Sends the person to the provider's sign-in page. */
export async function beginSignIn(): Promise<void> {
  const s = await settings();
  const verifier = randomText(32);
  const challenge = base64url(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))));
  const state = randomText(16);
  const nonce = randomText(16);
  sessionStorage.setItem(PENDING_KEY, JSON.stringify({ state, verifier, nonce }));
  sessionStorage.removeItem(SIGNED_OUT_KEY);
  const url = new URL(s.authorizationEndpoint);
  for (const [k, v] of Object.entries({
    response_type: 'code',
    client_id: s.clientId,
    redirect_uri: redirectUri(),
    scope: s.scopes.join(' '),
    state,
    nonce,
    code_challenge: challenge,
    code_challenge_method: 'S256',
  }))
    url.searchParams.set(k, v);
  location.assign(url.toString());
}

export type SignInState = { token: string } | { signedOut: true } | { none: true } | { failed: string };

/**
 * What the page has on load: a code coming back from the provider (exchanged
 * now), a session already in this tab, a sign-out just done, or nothing.
 */
export async function currentSignIn(): Promise<SignInState> {
  const query = new URLSearchParams(location.search);
  if (query.has('code') || query.has('error')) {
    // The code must not stay in the address bar or the history, used or not.
    history.replaceState(null, '', location.pathname);
    const pending = JSON.parse(sessionStorage.getItem(PENDING_KEY) ?? 'null') as { state: string; verifier: string; nonce: string } | null;
    sessionStorage.removeItem(PENDING_KEY);
    if (query.has('error')) return { failed: query.get('error') === 'access_denied' ? '登录已取消。' : `登录未完成（${query.get('error_description') ?? query.get('error')}）。` };
    if (!pending || pending.state !== query.get('state')) return { failed: '登录请求已过期或不是从本页发起的，请重新登录。' };
    const response = await fetch('/api/sign-in/token', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ code: query.get('code'), codeVerifier: pending.verifier, redirectUri: redirectUri(), nonce: pending.nonce }),
      credentials: 'omit',
    });
    const body = (await response.json().catch(() => ({}))) as { idToken?: string; message?: string };
    if (!response.ok || !body.idToken) return { failed: body.message ?? `登录未完成（${response.status}），请重新登录。` };
    sessionStorage.setItem(TOKEN_KEY, body.idToken);
    return { token: body.idToken };
  }
  const token = sessionStorage.getItem(TOKEN_KEY);
  if (token) return { token };
  if (sessionStorage.getItem(SIGNED_OUT_KEY)) return { signedOut: true };
  return { none: true };
}

/** Forgets the session here, then ends it at the provider where it has a sign-out address (it returns to this page). */
export async function signOut(idToken: string | null): Promise<void> {
  sessionStorage.removeItem(TOKEN_KEY);
  sessionStorage.setItem(SIGNED_OUT_KEY, '1');
  const s = await settings().catch(() => undefined);
  if (!s?.endSession) {
    location.replace(redirectUri());
    return;
  }
  const url = new URL(s.endSession.url);
  if (s.endSession.style === 'cognito') {
    url.searchParams.set('client_id', s.clientId);
    url.searchParams.set('logout_uri', redirectUri());
  } else {
    url.searchParams.set('client_id', s.clientId);
    url.searchParams.set('post_logout_redirect_uri', redirectUri());
    if (idToken) url.searchParams.set('id_token_hint', idToken);
  }
  location.assign(url.toString());
}

/** The session ran out (the API answered 401): forget the token so a reload does not retry it. */
export function forgetSession(): void {
  sessionStorage.removeItem(TOKEN_KEY);
}
