import { createHash, createHmac, generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import ExcelJS from 'exceljs';
import { OFFICE_ACCOUNTS, startPortal, tokenOf, uploadAsClerk, YEAR, type PortalHarness } from '../portal/portal-harness';
import { submissionFile } from './helpers';

/**
 * The portal API over HTTP (the Node adapter of the one Hono router) against
 * the emulators, with uploads POSTed to s3rver and ingested by the real
 * handler. Browser flows are in test/e2e/portal-browser.test.ts.
 */
let portal: PortalHarness;
let url: string;
let office: string;
let viewer: string;
let justice: string;
let education: string;

beforeAll(async () => {
  portal = await startPortal();
  url = portal.server.url;
  office = await portal.server.provider.signInHeadless('wangfang');
  viewer = await portal.server.provider.signInHeadless('liming');
  justice = tokenOf(await portal.server.unitLink('justice_bureau'));
  education = tokenOf(await portal.server.unitLink('education_bureau'));
});
afterAll(async () => portal?.stop());

const call = async (path: string, credential?: string, init: { method?: string; body?: unknown; headers?: Record<string, string> } = {}) => {
  const response = await fetch(`${url}${path}`, {
    method: init.method ?? 'GET',
    headers: { ...(credential ? { authorization: `Bearer ${credential}` } : {}), ...(init.body ? { 'content-type': 'application/json' } : {}), ...init.headers },
    body: init.body ? JSON.stringify(init.body) : undefined,
  });
  const type = response.headers.get('content-type') ?? '';
  // any: each test reads its own response shape (JSON), or bytes for downloads.
  const body: any = type.includes('json') ? await response.json() : new Uint8Array(await response.arrayBuffer());
  return { status: response.status, headers: response.headers, body };
};

const ROUTES: [string, string][] = [
  ['GET', '/api/clerk/me'],
  ['GET', '/api/clerk/template'],
  ['POST', '/api/clerk/uploads'],
  ['GET', '/api/clerk/outcome?key=submissions/2021/justice_bureau/a.json&eTag=x'],
  ['GET', '/api/clerk/error-report?key=x'],
  ['GET', '/api/office/status'],
  ['GET', '/api/office/units/justice_bureau'],
  ['POST', '/api/office/units/justice_bureau/review'],
  ['POST', '/api/office/lock'],
  ['POST', '/api/office/unlock'],
  ['POST', '/api/office/units/justice_bureau/exception'],
  ['DELETE', '/api/office/units/justice_bureau/exception'],
  ['POST', '/api/office/aggregate'],
  ['GET', '/api/office/reports/2021/report.docx'],
  ['GET', '/api/office/links'],
  ['POST', '/api/office/links'],
  ['DELETE', '/api/office/links/0123456789abcdef'],
];

describe('no endpoint answers without a credential', () => {
  test.each(ROUTES)('%s %s → 401 without Authorization, and with a cookie only', async (method, path) => {
    expect((await call(path, undefined, { method })).status).toBe(401);
    // Cookies are never read: a browser's ambient credentials give nothing, so CSRF has nothing to ride on.
    expect((await call(path, undefined, { method, headers: { cookie: `session=${office}; token=${justice}` } })).status).toBe(401);
  });

  test('a unit token does not open office endpoints, nor an office token clerk endpoints', async () => {
    expect((await call('/api/office/status', justice)).status).toBe(401);
    expect((await call('/api/clerk/me', office)).status).toBe(401);
  });

  test('an ID token from another issuer key, or for another app, is refused', async () => {
    const { header, claims } = decoded(office);
    // Same claims and key id, signed with a key that is not the provider's.
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    expect((await call('/api/office/status', jwt(header, claims, (input) => sign('sha256', Buffer.from(input), privateKey)))).status).toBe(401);
    // The provider's own key, but another audience, another issuer, or a tampered payload.
    expect((await call('/api/office/status', portal.server.provider.forge({ ...claims, aud: 'another-client' }))).status).toBe(401);
    expect((await call('/api/office/status', portal.server.provider.forge({ ...claims, iss: 'https://idp.example.gov.cn' }))).status).toBe(401);
    const [head, , sig] = office.split('.');
    expect((await call('/api/office/status', [head, Buffer.from(JSON.stringify({ ...claims, groups: ['office'], sub: 'someone-else' })).toString('base64url'), sig].join('.'))).status).toBe(401);
  });

  test('alg none, HS256 keyed with the public key, an expired or not-yet-valid token are refused', async () => {
    const { header, claims } = decoded(office);
    expect((await call('/api/office/status', jwt({ ...header, alg: 'none' }, claims, () => Buffer.alloc(0)))).status).toBe(401);
    const jwks = (await (await fetch(`${portal.server.provider.issuer}/jwks`)).json()) as { keys: { n: string }[] };
    const hs256 = jwt({ ...header, alg: 'HS256' }, claims, (input) => createHmac('sha256', JSON.stringify(jwks.keys[0])).update(input).digest());
    expect((await call('/api/office/status', hs256)).status).toBe(401);
    const now = Math.floor(Date.now() / 1000);
    const expired = await call('/api/office/status', portal.server.provider.forge({ ...claims, iat: now - 7200, exp: now - 60 }));
    expect(expired.status).toBe(401);
    expect(expired.body.message).toBe('登录已失效，请重新登录');
    expect((await call('/api/office/status', portal.server.provider.forge({ ...claims, nbf: now + 3600 }))).status).toBe(401);
    // The genuine token still passes: the refusals above are the changes, not the signing.
    expect((await call('/api/office/status', portal.server.provider.forge(claims))).status).toBe(200);
  });

  test("access tokens are refused, whatever the provider's way of marking them", async () => {
    const { claims } = decoded(office);
    expect((await call('/api/office/status', portal.server.provider.forge(claims, { typ: 'at+jwt' }))).status).toBe(401); // RFC 9068
    expect((await call('/api/office/status', portal.server.provider.forge({ ...claims, token_use: 'access' }))).status).toBe(401); // Cognito
    expect((await call('/api/office/status', portal.server.provider.forge({ ...claims, typ: 'Bearer' }))).status).toBe(401); // Keycloak
    expect((await call('/api/office/status', portal.server.provider.forge({ ...claims, azp: 'another-client' }))).status).toBe(401); // issued to another app
  });

  test('a signed-in person in neither role is refused; the role claim may be a string; a token without a name is refused', async () => {
    const nobody = await portal.server.provider.signInHeadless('visitor');
    const response = await call('/api/office/status', nobody);
    expect(response.status).toBe(401);
    expect(response.body.message).toContain('没有访问权限');
    const { claims } = decoded(office);
    expect((await call('/api/office/status', portal.server.provider.forge({ ...claims, groups: 'viewer' }))).body.me.role).toBe('viewer');
    const { name: _name, ...nameless } = claims;
    const refused = await call('/api/office/status', portal.server.provider.forge(nameless));
    expect(refused.status).toBe(401);
    expect(refused.body.message).toContain('缺少账号标识或姓名');
  });
});

describe('sign-in: code + PKCE through the API', () => {
  test('the page learns where to sign in from the API, not from its own code', async () => {
    const { status, body } = await call('/api/sign-in/settings');
    expect(status).toBe(200);
    expect(body).toEqual({
      provider: 'oidc',
      authorizationEndpoint: `${portal.server.provider.issuer}/auth`,
      clientId: portal.server.provider.clientId,
      scopes: ['openid', 'profile'],
      endSession: { url: `${portal.server.provider.issuer}/session/end`, style: 'oidc' },
    });
  });

  test('a code is exchanged only with its own verifier and nonce, and only once', async () => {
    const flow = await codeFor('wangfang');
    const exchange = (over: Record<string, string>) => call('/api/sign-in/token', undefined, { method: 'POST', body: { code: flow.code, codeVerifier: flow.verifier, redirectUri: portal.server.officeUrl, nonce: flow.nonce, ...over } });
    expect((await exchange({ nonce: randomBytes(16).toString('base64url') })).status).toBe(401); // the provider spent the code, the nonce did not match
    const again = await codeFor('wangfang');
    const wrongVerifier = await call('/api/sign-in/token', undefined, { method: 'POST', body: { code: again.code, codeVerifier: randomBytes(32).toString('base64url'), redirectUri: portal.server.officeUrl, nonce: again.nonce } });
    expect(wrongVerifier.status).toBe(401);
    expect(wrongVerifier.body.message).toContain('请重新登录');
    const good = await codeFor('wangfang');
    const body = { code: good.code, codeVerifier: good.verifier, redirectUri: portal.server.officeUrl, nonce: good.nonce };
    const signedIn = await call('/api/sign-in/token', undefined, { method: 'POST', body });
    expect(signedIn.status).toBe(200);
    expect(signedIn.body.me).toEqual({ name: '王芳', role: 'office' });
    expect((await call('/api/office/status', signedIn.body.idToken)).status).toBe(200);
    expect((await call('/api/sign-in/token', undefined, { method: 'POST', body })).status).toBe(401); // replayed code
    expect((await call('/api/sign-in/token', undefined, { method: 'POST', body: { code: 'x' } })).status).toBe(401);
  });
});

describe('CORS: same origin only', () => {
  test('a preflight from another origin gets no Access-Control-Allow-Origin', async () => {
    const response = await fetch(`${url}/api/office/status`, {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' },
    });
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
    expect(response.headers.get('access-control-allow-headers')).toBeNull();
  });

  test('a cross-origin request gets no CORS headers, so the browser withholds the response', async () => {
    const response = await call('/api/office/status', office, { headers: { origin: 'https://evil.example' } });
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
    expect(response.headers.get('access-control-allow-credentials')).toBeNull();
  });

  test('pages carry a strict CSP and no-store on API answers', async () => {
    const page = await fetch(`${url}/clerk.html`);
    const csp = page.headers.get('content-security-policy')!;
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect((await call('/api/clerk/me', justice)).headers.get('cache-control')).toBe('no-store');
  });
});

describe('clerk', () => {
  test('me: the unit, the year being collected, the deadline, days left and the state', async () => {
    const { status, body } = await call('/api/clerk/me', justice);
    expect(status).toBe(200);
    expect(body).toMatchObject({ county: '灵寿县', unit: { id: 'justice_bureau', name: '灵寿县司法局' }, year: YEAR, deadline: '2022年1月10日', daysLeft: 1 });
    expect(['未报送', '已接收', '有错误', '已退回', '已锁定']).toContain(body.stateLabel);
  });

  test('template: the unit\'s own workbook', async () => {
    const { status, headers, body } = await call('/api/clerk/template', justice);
    expect(status).toBe(200);
    expect(decodeURIComponent(headers.get('content-disposition')!)).toContain('灵寿县司法局2021年度报送模板.xlsx');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(body as Uint8Array) as unknown as ArrayBuffer); // exceljs's load() typing wants its own Buffer flavour
    expect(wb.worksheets.map((w) => w.name)).toEqual(expect.arrayContaining(['封面', '指标']));
  });

  test('an accepted upload shows the figures as read, with their names and cells', async () => {
    const bytes = Buffer.from(submissionFile('县司法局', { legality_review_meeting_items: 125, enforcement_staff_trained: '1000余' }));
    const { status, body } = await uploadAsClerk(url, justice, '司法局.json', bytes);
    expect(status).toBe(200);
    expect(body.state).toBe('accepted');
    const figures = body.figures as { name: string; value: string }[];
    expect(figures).toEqual(expect.arrayContaining([expect.objectContaining({ value: '125' }), expect.objectContaining({ value: '1000余' })]));
    expect(figures.every((f) => /[\u4e00-\u9fff]/.test(f.name))).toBe(true);
    const me = await call('/api/clerk/me', justice);
    expect(me.body).toMatchObject({ state: 'accepted', stateLabel: '已接收' });
    expect(me.body.history[0]).toMatchObject({ fileName: '司法局.json', outcome: '已接收' });
    expect(me.body.history[0].at).toMatch(/^2022年1月9日 1\d:\d\d$/);
  });

  test('a later upload that leaves figures out says, by name, what it dropped and changed; the office sees the drop', async () => {
    await uploadAsClerk(url, justice, '司法局全.json', Buffer.from(submissionFile('县司法局', { legality_review_meeting_items: 125, civil_code_booklets: 3000 })));
    const { body } = await uploadAsClerk(url, justice, '司法局补.json', Buffer.from(submissionFile('县司法局', { legality_review_meeting_items: 130 })));
    expect(body.state).toBe('accepted');
    expect(body.replacement).toEqual({
      replaced: '司法局全.json',
      added: [],
      changed: ['指标“政府常务会议题会前合法性审查件数”：125 → 130'],
      // 1000余 went with 司法局全.json (the test above sent it); still missing, it stays listed.
      dropped: ['指标“《民法典与百姓生活100问》印制册数”（3000册）', '指标“参加培训考试的行政执法人员数”（1000余名）'],
    });
    const detail = await call(`/api/office/units/justice_bureau?year=${YEAR}`, office);
    expect(detail.body.replacement.dropped).toHaveLength(2);
  });

  test('a rejected xlsx lists every problem with its sheet and cell, and its error report downloads', async () => {
    const template = (await call('/api/clerk/template', education)).body as Uint8Array;
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(template) as unknown as ArrayBuffer); // see above
    wb.getWorksheet('指标')!.getCell('C2').value = '很多'; // the first indicator's value cell
    const bytes = Buffer.from(await wb.xlsx.writeBuffer());
    const { body } = await uploadAsClerk(url, education, '教育局.xlsx', bytes);
    expect(body.state).toBe('rejected');
    expect(body.problems).toEqual(expect.arrayContaining([expect.objectContaining({ sheet: '指标', cell: 'C2', severity: 'error' })]));
    const report = await call(`/api/clerk/error-report?key=${encodeURIComponent(String(body.errorReportKey))}`, education);
    expect(report.status).toBe(200);
    expect(Buffer.from(report.body as Uint8Array).toString('utf8')).toContain('C2');
    // Another unit's link cannot read that report.
    expect((await call(`/api/clerk/error-report?key=${encodeURIComponent(String(body.errorReportKey))}`, justice)).status).toBe(403);
    expect((await call('/api/clerk/me', education)).body.stateLabel).toBe('有错误');
  });

  test("a unit link cannot read another unit's outcome", async () => {
    const { status, body } = await call('/api/clerk/outcome?key=submissions/2021/justice_bureau/%E5%8F%B8%E6%B3%95%E5%B1%80.json&eTag=0123', education);
    expect(status).toBe(403);
    expect(body.error).toBe('not_your_upload');
  });
});

describe('office', () => {
  test('status lists every unit with its state, and who is signed in', async () => {
    const { status, body } = await call('/api/office/status', viewer);
    expect(status).toBe(200);
    expect(body.me).toEqual({ name: '李明', role: 'viewer', account: expect.stringMatching(/^[0-9A-F]{6}$/) });
    expect(body.units.length).toBeGreaterThan(30);
    expect(body.units.find((u: { unitId: string }) => u.unitId === 'justice_bureau')).toMatchObject({ unitName: '灵寿县司法局', stateLabel: '已接收' });
  });

  test('a viewer reads but cannot act', async () => {
    expect((await call('/api/office/lock', viewer, { method: 'POST', body: { year: YEAR } })).status).toBe(403);
    expect((await call('/api/office/links', viewer, { method: 'POST', body: { unitId: 'justice_bureau' } })).status).toBe(403);
  });

  test('return for correction: the clerk sees the comment; the audit names the person', async () => {
    expect((await call('/api/office/units/justice_bureau/review', office, { method: 'POST', body: { year: YEAR, decision: 'return' } })).status).toBe(400);
    const returned = await call('/api/office/units/justice_bureau/review', office, { method: 'POST', body: { year: YEAR, decision: 'return', comment: '行政复议数字与台账不符，请核对' } });
    expect(returned.status).toBe(200);
    const me = await call('/api/clerk/me', justice);
    expect(me.body).toMatchObject({ state: 'returned', stateLabel: '已退回', returnComment: { comment: '行政复议数字与台账不符，请核对' } });
    const detail = await call(`/api/office/units/justice_bureau?year=${YEAR}`, office);
    expect(detail.body.audit).toEqual(expect.arrayContaining([expect.objectContaining({ action: '退回修改', by: expect.stringMatching(/^王芳（县司法局，账号[0-9A-F]{6}）$/), detail: '行政复议数字与台账不符，请核对' })]));
    expect(detail.body.audit.find((a: { action: string }) => a.action === '退回修改').at).toMatch(/^2022年1月9日 \d\d:\d\d$/);
    expect(detail.body.submission.figures.length).toBeGreaterThan(0);
    expect((await call('/api/office/units/township_nobody/review', office, { method: 'POST', body: { decision: 'pass' } })).status).toBe(404);
  });

  test('lock refuses the clerk with the lock message; an exception lets the unit through until revoked', async () => {
    expect((await call('/api/office/lock', office, { method: 'POST', body: { year: YEAR, reason: '开始汇总' } })).status).toBe(200);
    const refused = await uploadAsClerk(url, justice, '补报.json', Buffer.from(submissionFile('县司法局', { legality_review_meeting_items: 126 })));
    expect(refused.status).toBe(403);
    expect(String(refused.body.message)).toMatch(/2021年度报送已于2022年1月9日 \d\d:\d\d锁定（开始汇总）/);
    expect((await call('/api/clerk/me', justice)).body.stateLabel).toBe('已锁定');

    expect((await call('/api/office/units/justice_bureau/exception', office, { method: 'POST', body: { year: YEAR } })).status).toBe(200);
    const through = await uploadAsClerk(url, justice, '补报.json', Buffer.from(submissionFile('县司法局', { legality_review_meeting_items: 126 })));
    expect(through.body.state).toBe('accepted');
    expect((await call(`/api/office/units/justice_bureau/exception?year=${YEAR}`, office, { method: 'DELETE' })).status).toBe(200);
    expect((await uploadAsClerk(url, justice, '再补报.json', Buffer.from(submissionFile('县司法局', {})))).status).toBe(403);

    expect((await call('/api/office/unlock', office, { method: 'POST', body: { year: YEAR } })).status).toBe(200);
    const actions = (await call(`/api/office/units/justice_bureau?year=${YEAR}`, office)).body.audit.map((a: { action: string }) => a.action);
    expect(actions).toEqual(expect.arrayContaining(['开通例外', '撤销例外']));
  });

  test('aggregation runs and report.docx downloads', async () => {
    expect((await call(`/api/office/reports/${YEAR}/report.docx`, office)).status).toBe(404);
    const run = await call('/api/office/aggregate', office, { method: 'POST', body: { year: YEAR } });
    expect(run.status).toBe(200);
    expect(run.body.artifacts).toEqual(expect.arrayContaining(['report.docx', 'report.html', 'data.xlsx']));
    const docx = await call(`/api/office/reports/${YEAR}/report.docx`, office);
    expect(docx.status).toBe(200);
    expect(Buffer.from(docx.body as Uint8Array).subarray(0, 2).toString()).toBe('PK');
    expect((await call(`/api/office/reports/${YEAR}/..%2Fsecret`, office)).status).toBe(404);
  });

  test('a submission returned for correction is marked in the report until the unit uploads again', async () => {
    const statusIn = async () => {
      expect((await call('/api/office/aggregate', office, { method: 'POST', body: { year: YEAR } })).status).toBe(200);
      const xlsx = await call(`/api/office/reports/${YEAR}/data.xlsx`, office);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(Buffer.from(xlsx.body as Uint8Array) as unknown as ArrayBuffer);
      const rows: string[][] = [];
      wb.eachSheet((ws) => ws.eachRow((row) => void rows.push((row.values as unknown[]).map((v) => String(v ?? '')))));
      return rows.find((r) => r.includes('灵寿县司法局') && r.some((c) => ['已采用', '已退回修改'].includes(c)))?.find((c) => ['已采用', '已退回修改'].includes(c));
    };
    expect(await statusIn()).toBe('已采用');
    const returned = await call('/api/office/units/justice_bureau/review', office, { method: 'POST', body: { year: YEAR, decision: 'return', comment: '请补充台账' } });
    expect(returned.status).toBe(200);
    expect(await statusIn()).toBe('已退回修改');
    // A new upload is a new version: the return was about the old one.
    expect((await uploadAsClerk(url, justice, '改正.json', Buffer.from(submissionFile('县司法局', { legality_review_meeting_items: 127 })))).body.state).toBe('accepted');
    expect(await statusIn()).toBe('已采用');
  });

  test('unit links: created (shown once), listed without the secret, revoked → 401', async () => {
    const made = await call('/api/office/links', office, { method: 'POST', body: { unitId: 'finance_bureau', days: 30 } });
    expect(made.status).toBe(200);
    expect(made.body.token).toMatch(/^yrt_/);
    expect((await call('/api/clerk/me', made.body.token)).body.unit.id).toBe('finance_bureau');
    const listed = await call('/api/office/links', viewer);
    const row = listed.body.links.find((l: { tokenId: string }) => l.tokenId === made.body.tokenId);
    expect(row).toMatchObject({ unitName: '灵寿县财政局', state: '有效' });
    expect(JSON.stringify(listed.body)).not.toContain(made.body.token);
    expect((await call(`/api/office/links/${made.body.tokenId}`, office, { method: 'DELETE' })).status).toBe(200);
    const after = await call('/api/clerk/me', made.body.token);
    expect(after.status).toBe(401);
    expect(after.body.error).toBe('token_revoked');
  });
});

describe('a unit link is spent on a browser session (issue 22 items 4 and 7)', () => {
  const openLink = (link: string) => call('/api/clerk/session', link, { method: 'POST' });

  test('once: the second opening is refused, the session works, the office sees the link opened', async () => {
    const made = await call('/api/office/links', office, { method: 'POST', body: { unitId: 'finance_bureau', days: 30 } });
    const first = await openLink(made.body.token);
    expect(first.status).toBe(200);
    expect(first.body.session).toMatch(/^yrs_/);
    const second = await openLink(made.body.token);
    expect(second.status).toBe(401);
    expect(second.body.error).toBe('token_used');
    expect(second.body.message).toContain('只能打开一次');
    // The spent link itself no longer reaches anything; the session does.
    expect((await call('/api/clerk/me', made.body.token)).body.error).toBe('token_used');
    const me = await call('/api/clerk/me', first.body.session);
    expect(me.body).toMatchObject({ unit: { id: 'finance_bureau' }, opened: true, linkValidUntil: first.body.validUntil });
    // A session cannot be spent on another session.
    expect((await openLink(first.body.session)).body.error).toBe('token_wrong_kind');
    const listed = (await call('/api/office/links', viewer)).body.links.find((l: { tokenId: string }) => l.tokenId === made.body.tokenId);
    expect(listed.state).toMatch(/^已打开（/);
    // Revoking the link ends its session.
    expect((await call(`/api/office/links/${made.body.tokenId}`, office, { method: 'DELETE' })).status).toBe(200);
    const after = await call('/api/clerk/me', first.body.session);
    expect(after.status).toBe(401);
    expect(after.body.error).toBe('token_revoked');
  });

  test('two tabs opening the same link at once: exactly one gets a session', async () => {
    const link = tokenOf(await portal.server.unitLink('transport_bureau'));
    const answers = await Promise.all([openLink(link), openLink(link), openLink(link)]);
    expect(answers.map((a) => a.status).sort()).toEqual([200, 401, 401]);
  });

  test("a link reaches only the year being collected: another year's outcome is refused", async () => {
    const session = (await openLink(tokenOf(await portal.server.unitLink('justice_bureau')))).body.session as string;
    const other = await call(`/api/clerk/outcome?key=${encodeURIComponent(`submissions/${YEAR - 1}/justice_bureau/司法局.json`)}&eTag=0123`, session);
    expect(other.status).toBe(403);
    expect(other.body.error).toBe('year_not_open');
    const own = await call(`/api/clerk/outcome?key=${encodeURIComponent(`submissions/${YEAR}/justice_bureau/司法局.json`)}&eTag=0123`, session);
    expect(own.status).toBe(200);
  });
});

describe('an upload grant (issue 22 item 6)', () => {
  const grantFor = async (credential: string, fileName: string) => (await call('/api/clerk/uploads', credential, { method: 'POST', body: { fileName } })).body as { url: string; fields: Record<string, string>; key: string };
  const post = async (grant: { url: string; fields: Record<string, string> }, fileName: string, bytes: Buffer) => {
    const form = new FormData();
    for (const [k, v] of Object.entries(grant.fields)) form.append(k, v);
    form.append('file', new Blob([new Uint8Array(bytes)]), fileName);
    const posted = await fetch(grant.url, { method: 'POST', body: form });
    expect(posted.ok).toBe(true);
    return posted.headers.get('etag')!.replaceAll('"', '');
  };
  const outcomeOf = async (credential: string, key: string, eTag: string) => {
    for (;;) {
      const { body } = await call(`/api/clerk/outcome?${new URLSearchParams({ key, eTag })}`, credential);
      if (body.state !== 'pending') return body;
    }
  };

  test('is refused by ingest when the office revoked the link before the file arrived', async () => {
    const made = await call('/api/office/links', office, { method: 'POST', body: { unitId: 'petition_bureau', days: 30 } });
    const session = (await call('/api/clerk/session', made.body.token, { method: 'POST' })).body.session as string;
    const grant = await grantFor(session, '信访局.json');
    expect(grant.fields['x-amz-meta-upload-grant']).toMatch(/^[0-9a-f]{16}$/);
    expect((await call(`/api/office/links/${made.body.tokenId}`, office, { method: 'DELETE' })).status).toBe(200);
    const eTag = await post(grant, '信访局.json', Buffer.from(submissionFile('县信访局', { legality_review_meeting_items: 3 })));
    // The session died with its link, so the clerk cannot ask; the office sees what ingest decided.
    expect((await call(`/api/clerk/outcome?${new URLSearchParams({ key: grant.key, eTag })}`, session)).status).toBe(401);
    let detail: any; // any: the office's unit detail, read for its audit only
    for (let i = 0; i < 200; i++) {
      detail = (await call(`/api/office/units/petition_bureau?year=${YEAR}`, viewer)).body;
      if (detail.files.length > 0) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(detail.files).toEqual([expect.objectContaining({ fileName: '信访局.json', outcome: '上传有错误' })]);
    expect(detail.current ?? null).toBeNull();
    // Ingest's own record says why, in the clerk's words (the error report carries the same message).
    const recorded = (await portal.pipeline.repo.listAudit(YEAR)).find((a) => a.s3Key === grant.key && a.outcome === 'rejected');
    expect(recorded?.detail).toMatch(/^本次上传所用的报送链接已于2022年1月9日 \d\d:\d\d被县司法局撤销/);
  });

  test('brings one file: the same presigned POST used again is refused', async () => {
    const session = (await call('/api/clerk/session', tokenOf(await portal.server.unitLink('justice_bureau')), { method: 'POST' })).body.session as string;
    const grant = await grantFor(session, '一次授权.json');
    const first = await post(grant, '一次授权.json', Buffer.from(submissionFile('县司法局', { legality_review_meeting_items: 128 })));
    expect((await outcomeOf(session, grant.key, first)).state).toBe('accepted');
    const second = await post(grant, '一次授权.json', Buffer.from(submissionFile('县司法局', { legality_review_meeting_items: 129 })));
    const refused = await outcomeOf(session, grant.key, second);
    expect(refused.state).toBe('rejected');
    expect(JSON.stringify(refused.problems)).toContain('每次授权只能上传一个文件');
    // The file the grant brought first stays current.
    expect((await call('/api/clerk/me', session)).body.current.fileName).toBe('一次授权.json');
  });
});
describe('two office people with the same name', () => {
  test('read apart wherever the office reads who did something; the audit keeps issuer and subject', async () => {
    const other = await portal.server.provider.signInHeadless('wangfang2');
    const me = [(await call('/api/office/status', office)).body.me, (await call('/api/office/status', other)).body.me];
    expect(me.map((m) => m.name)).toEqual(['王芳', '王芳']);
    expect(me[0].account).not.toBe(me[1].account);
    const [first, second] = me.map((m) => `王芳（县司法局，账号${m.account}）`);

    // Reviews and the unit's audit.
    await call('/api/office/units/justice_bureau/review', office, { method: 'POST', body: { year: YEAR, decision: 'return', comment: '请补充' } });
    await call('/api/office/units/justice_bureau/review', other, { method: 'POST', body: { year: YEAR, decision: 'pass' } });
    const detail = (await call(`/api/office/units/justice_bureau?year=${YEAR}`, office)).body;
    expect(detail.audit).toEqual(expect.arrayContaining([expect.objectContaining({ action: '退回修改', by: first }), expect.objectContaining({ action: '审核通过', by: second })]));
    expect(detail.review.by).toBe(second);
    // The lock.
    await call('/api/office/lock', other, { method: 'POST', body: { year: YEAR } });
    expect((await call('/api/office/status', office)).body.lock.by).toBe(second);
    await call('/api/office/unlock', office, { method: 'POST', body: { year: YEAR } });
    // Links.
    const made = await call('/api/office/links', other, { method: 'POST', body: { unitId: 'finance_bureau', days: 30 } });
    const link = (await call('/api/office/links', office)).body.links.find((l: { tokenId: string }) => l.tokenId === made.body.tokenId);
    expect(link.createdBy).toBe(second);

    // Stored: the name for people, the provider's subject beside it.
    const audit = await portal.pipeline.repo.listAudit(YEAR);
    const issuer = portal.server.provider.issuer;
    expect(audit.filter((a) => a.outcome === 'lock')).toEqual(expect.arrayContaining([expect.objectContaining({ principal: second, subject: `${issuer}#wangfang2` })]));
    expect(audit.filter((a) => a.outcome === 'unlock')).toEqual(expect.arrayContaining([expect.objectContaining({ principal: first, subject: `${issuer}#wangfang` })]));
  });
});

/** A JWT's parts, for the tests that alter one. */
function decoded(token: string): { header: Record<string, unknown>; claims: Record<string, unknown> } {
  const [header, claims] = token.split('.').slice(0, 2).map((p) => JSON.parse(Buffer.from(p, 'base64url').toString()) as Record<string, unknown>);
  return { header: header!, claims: claims! };
}

function jwt(header: Record<string, unknown>, claims: Record<string, unknown>, signature: (input: string) => Buffer): string {
  const input = `${Buffer.from(JSON.stringify(header)).toString('base64url')}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
  return `${input}.${signature(input).toString('base64url')}`;
}

/** The browser's half of the flow up to the code, keeping what the page keeps (verifier, nonce). */
async function codeFor(login: keyof typeof OFFICE_ACCOUNTS) {
  const verifier = randomBytes(32).toString('base64url');
  const nonce = randomBytes(16).toString('base64url');
  const code = await portal.server.provider.authorizationCode(login, { codeChallenge: createHash('sha256').update(verifier).digest('base64url'), nonce });
  return { code, verifier, nonce };
}
