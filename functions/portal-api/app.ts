import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { PresignedPost } from '@aws-sdk/s3-presigned-post';
import { authenticate, type UploadTokenRecord } from '../../shared/core/upload-access/token';
import type { ClerkUploadGrant } from '../../shared/core/portal/views';
import type { UploadGrant } from '../../shared/core/upload-access/request-upload';
import { CLERK_CREDENTIALS, clerkErrorReport, clerkOutcome, clerkOverview, clerkTemplate, clerkUploadGrant, openYear, startClerkSession } from '../../shared/usecases/portal/clerk';
import { PortalRequestError } from '../../shared/usecases/portal/errors';
import {
  accountMark,
  createUnitLink,
  downloadArtifact,
  grantException,
  listUnitLinks,
  lockYear,
  officeStatus,
  officeUnitDetail,
  revokeException,
  revokeUnitLink,
  reviewSubmission,
  runAggregation,
  unlockYear,
  type OfficeDeps,
  type OfficeIdentity,
} from '../../shared/usecases/portal/office';
import { SignInUnavailableError, type OfficeAuth } from './office-auth';

/**
 * The portal's JSON API: one Hono router, served by the Lambda adapter
 * (handler.ts) and by the Node adapter under --local (shared/local/portal-server.ts).
 * Two credentials, both `Authorization: Bearer …`, nothing else:
 *   /api/clerk/*   a unit link's token (yrt_…): only that unit, only the year being collected;
 *   /api/office/*  a signed-in office person's ID token; role viewer reads, role office acts.
 * /api/sign-in/* takes none: it tells the page where to sign in and exchanges
 * the provider's code (with its PKCE verifier) for the ID token.
 * No cookies are read or set, so a cross-site request cannot carry a
 * credential (no CSRF); no CORS headers are sent, so only the portal's own
 * origin can read a response (README, "Portal security").
 */
export interface PortalApiDeps extends OfficeDeps {
  /** The office's sign-in: settings for the page, the code exchange, the ID token check (office-auth.ts). */
  officeAuth: OfficeAuth;
  presign(grant: UploadGrant): Promise<PresignedPost>;
}

/** How long GET /api/clerk/outcome holds a pending answer (well inside API Gateway's 30 s). */
export const OUTCOME_LONG_POLL_MS = 3000;

type Env = { Variables: { token: UploadTokenRecord; who: OfficeIdentity } };

const TOKEN_MESSAGES: Record<string, string> = {
  token_missing: '缺少报送链接凭证，请使用县司法局发给本单位的链接打开',
  token_revoked: '该报送链接已被撤销，请联系县司法局重新获取',
  token_expired: '该报送链接已过期，请联系县司法局重新获取',
  token_used: '该报送链接已经打开过一次，不能再次使用。请回到第一次打开它的窗口继续，或联系县司法局重新发送链接。',
};

export function createPortalApi(deps: PortalApiDeps): Hono<Env> {
  const app = new Hono<Env>();

  app.use('*', async (c, next) => {
    await next();
    c.header('cache-control', 'no-store');
    c.header('x-content-type-options', 'nosniff');
  });
  app.use('*', bodyLimit({ maxSize: 64 * 1024, onError: (c) => c.json({ error: 'too_large', message: '请求内容过大' }, 413) }));

  app.onError((err, c) => {
    if (err instanceof PortalRequestError) return c.json({ error: err.code, message: err.message }, err.status);
    if (err instanceof SignInUnavailableError) {
      console.error(JSON.stringify({ level: 'ERROR', message: 'office sign-in provider unreachable or misconfigured', path: c.req.path, error: err.message }));
      return c.json({ error: 'sign_in_unavailable', message: '暂时无法连接登录服务，请稍后再试；如持续出现，请联系管理员' }, 503);
    }
    console.error(JSON.stringify({ level: 'ERROR', message: 'portal request failed', path: c.req.path, error: (err as Error).message }));
    return c.json({ error: 'internal', message: '服务器出错，请稍后再试' }, 500);
  });
  app.notFound((c) => c.json({ error: 'not_found', message: '没有这个地址' }, 404));

  // ---- clerk: a unit link, spent once on a browser session ------------------------------------
  app.post('/api/clerk/session', async (c) => c.json(await startClerkSession(c.req.header('authorization'), deps)));

  app.use('/api/clerk/*', async (c, next) => {
    if (c.req.path === '/api/clerk/session') return next();
    const auth = await authenticate(c.req.header('authorization'), (id) => deps.links.get(id), deps.county.config.id, deps.now(), CLERK_CREDENTIALS);
    if (!auth.ok) return c.json({ error: auth.reason, message: TOKEN_MESSAGES[auth.reason] ?? '报送链接无效' }, 401);
    c.set('token', auth.record);
    await next();
  });

  app.get('/api/clerk/me', async (c) => c.json(await clerkOverview(c.get('token'), deps)));

  app.get('/api/clerk/template', async (c) => {
    const { fileName, bytes } = await clerkTemplate(c.get('token'), deps);
    return download(c, fileName, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', bytes);
  });

  app.post('/api/clerk/uploads', async (c) => {
    const body = await jsonBody(c);
    const fileName = typeof body === 'object' && body !== null ? (body as { fileName?: unknown }).fileName : undefined;
    const decision = await clerkUploadGrant(c.req.header('authorization'), c.get('token'), fileName, deps);
    if (decision.status !== 200) return c.json({ error: decision.error, message: decision.status === 403 && decision.error === 'year_locked' ? await lockMessage(c.get('token')) : decision.message }, decision.status);
    const post = await deps.presign(decision.grant);
    const grant: ClerkUploadGrant = { url: post.url, fields: post.fields, key: decision.grant.key, maxBytes: decision.grant.maxBytes, year: decision.grant.year };
    return c.json(grant);
  });

  // A short long-poll: the answer comes soon after ingest records it (looks 20 ms apart at first, then further), in at most 16 reads.
  app.get('/api/clerk/outcome', async (c) => c.json(await clerkOutcome(c.req.header('authorization'), c.req.query(), deps, OUTCOME_LONG_POLL_MS, c.get('token'))));

  app.get('/api/clerk/error-report', async (c) => {
    const { fileName, text } = await clerkErrorReport(c.get('token'), c.req.query('key') ?? '', deps);
    return download(c, fileName, 'text/plain; charset=utf-8', text);
  });

  // ---- sign-in: no credential yet ---------------------------------------------------------------
  app.get('/api/sign-in/settings', async (c) => c.json(await deps.officeAuth.settings()));
  app.post('/api/sign-in/token', async (c) => {
    const result = await deps.officeAuth.exchange(await jsonBody(c));
    if ('rejected' in result) return c.json({ error: 'sign_in_failed', message: result.rejected }, 401);
    return c.json(result);
  });

  // ---- office: a signed-in person's ID token ---------------------------------------------------
  app.use('/api/office/*', async (c, next) => {
    const who = await deps.officeAuth.verify(c.req.header('authorization'));
    if ('rejected' in who) return c.json({ error: 'unauthorized', message: who.rejected }, 401);
    if (c.req.method !== 'GET' && who.role !== 'office') return c.json({ error: 'forbidden', message: '查看账号只能查看，不能操作' }, 403);
    c.set('who', who);
    await next();
  });

  const yearOf = (c: Context<Env>, body?: unknown): number => {
    const text = c.req.query('year') ?? (typeof body === 'object' && body !== null ? String((body as { year?: unknown }).year ?? '') : '');
    if (!text) return openYear(deps);
    const year = Number(text);
    if (!Number.isInteger(year) || year < 2000 || year > 2100) throw new PortalRequestError(400, 'bad_year', `年度不正确：${text}`);
    return year;
  };

  app.get('/api/office/status', async (c) => c.json({ ...(await officeStatus(yearOf(c), deps)), me: { name: c.get('who').name, role: c.get('who').role, account: accountMark(c.get('who').issuer, c.get('who').subject) }, openYear: openYear(deps) }));
  app.get('/api/office/units/:unitId', async (c) => c.json(await officeUnitDetail(yearOf(c), c.req.param('unitId'), deps)));
  app.post('/api/office/units/:unitId/review', async (c) => {
    const body = await jsonBody(c);
    const { year: _year, ...review } = (body ?? {}) as Record<string, unknown>;
    await reviewSubmission(yearOf(c, body), c.req.param('unitId'), review, c.get('who'), deps);
    return c.json({ ok: true });
  });
  app.post('/api/office/lock', async (c) => {
    const body = (await jsonBody(c)) as { reason?: unknown } | undefined;
    await lockYear(yearOf(c, body), typeof body?.reason === 'string' && body.reason.trim() ? body.reason.trim().slice(0, 200) : undefined, c.get('who'), deps);
    return c.json({ ok: true });
  });
  app.post('/api/office/unlock', async (c) => {
    await unlockYear(yearOf(c, await jsonBody(c)), c.get('who'), deps);
    return c.json({ ok: true });
  });
  app.post('/api/office/units/:unitId/exception', async (c) => {
    await grantException(yearOf(c, await jsonBody(c)), c.req.param('unitId'), c.get('who'), deps);
    return c.json({ ok: true });
  });
  app.delete('/api/office/units/:unitId/exception', async (c) => {
    await revokeException(yearOf(c), c.req.param('unitId'), c.get('who'), deps);
    return c.json({ ok: true });
  });
  app.post('/api/office/aggregate', async (c) => c.json(await runAggregation(yearOf(c, await jsonBody(c)), c.get('who'), deps)));
  app.get('/api/office/reports/:year/:file', async (c) => {
    const { fileName, contentType, bytes } = await downloadArtifact(yearOf(c, { year: c.req.param('year') }), c.req.param('file'), deps);
    return download(c, fileName, contentType, bytes);
  });
  app.get('/api/office/links', async (c) => c.json({ links: await listUnitLinks(deps) }));
  app.post('/api/office/links', async (c) => c.json(await createUnitLink(await jsonBody(c), c.get('who'), deps)));
  app.delete('/api/office/links/:tokenId', async (c) => {
    await revokeUnitLink(c.req.param('tokenId'), c.get('who'), deps);
    return c.json({ ok: true });
  });

  async function lockMessage(token: UploadTokenRecord): Promise<string> {
    return (await clerkOverview(token, deps)).lockMessage ?? '该年度材料已锁定，不再接收上传';
  }

  return app;
}

async function jsonBody(c: Context): Promise<unknown> {
  const text = await c.req.text();
  if (!text) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new PortalRequestError(400, 'bad_request', '请求内容不是 JSON');
  }
}

function download(c: Context, fileName: string, contentType: string, bytes: Uint8Array): Response {
  return c.body(new Uint8Array(bytes), 200, {
    'content-type': contentType,
    // RFC 6266 / 5987: the Chinese file name survives every current browser.
    'content-disposition': `attachment; filename="download"; filename*=UTF-8''${encodeURIComponent(fileName)}`,
  });
}
