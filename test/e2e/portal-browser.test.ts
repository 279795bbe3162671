import { mkdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { TEMPLATE_INDICATOR_COLUMN } from '../../shared/core/submission/layout';
import { OFFICE_ACCOUNTS, startPortal, tokenOf, type PortalHarness } from '../portal/portal-harness';

/**
 * The portal in a real browser: Debian's headless Chromium (installed by
 * .ci/run when missing) driven by playwright-core, against `serve --local`'s
 * server over the emulators. Each page is screenshotted (see SHOTS).
 */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'];
// Screenshots go to a temporary folder; PORTAL_SCREENSHOTS_DIR=docs/portal refreshes the README's.
const SHOTS = path.resolve(process.env.PORTAL_SCREENSHOTS_DIR ?? path.join(os.tmpdir(), 'yearly-report-portal-screenshots'));
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

let portal: PortalHarness;
let browser: Browser;
// A unit link opens once (it is spent on a browser session), so each page opening gets a fresh one, as the office re-sends it.
const justiceLink = () => portal.server.unitLink('justice_bureau');
const educationLink = () => portal.server.unitLink('education_bureau');
let officeUrl: string;

jest.setTimeout(120_000);

beforeAll(async () => {
  portal = await startPortal();
  officeUrl = portal.server.officeUrl;
  browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS, headless: true });
});

afterAll(async () => {
  await browser?.close();
  await portal?.stop();
});

/** Opens a page in a fresh browser profile; the office page is opened signed in (as 王芳 unless `as` says otherwise). */
async function openPage(url: string, as: keyof typeof OFFICE_ACCOUNTS | null = 'wangfang'): Promise<Page> {
  const context = await browser.newContext({ acceptDownloads: true, locale: 'zh-CN', viewport: { width: 1200, height: 900 } });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(err.message));
  page.on('console', (msg) => msg.type() === 'error' && !/40[13]/.test(msg.text()) && errors.push(msg.text()));
  // The office confirms its lock, return and revocation (test/e2e/portal-office-clerk.test.ts checks the questions).
  page.on('dialog', (dialog) => void dialog.accept());
  await page.goto(url);
  (page as Page & { jsErrors?: string[] }).jsErrors = errors;
  if (url === officeUrl && as) await signInAtProvider(page, as);
  return page;
}

/** From the office page's 登录 button through the local OpenID provider's own sign-in form and back, signed in. */
async function signInAtProvider(page: Page, as: keyof typeof OFFICE_ACCOUNTS): Promise<void> {
  await page.click('#sign-in');
  await page.waitForURL(`${portal.server.provider.issuer}/**`);
  await page.fill('input[name=login]', OFFICE_ACCOUNTS[as].login);
  await page.fill('input[name=password]', OFFICE_ACCOUNTS[as].password);
  await page.click('button[type=submit]');
  await page.waitForSelector('#filter');
}

const jsErrors = (page: Page) => (page as Page & { jsErrors?: string[] }).jsErrors ?? [];

async function uploadFile(page: Page, name: string, bytes: Buffer): Promise<void> {
  await page.setInputFiles('#file', { name, mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: bytes });
}

async function dropFile(page: Page, name: string, bytes: Buffer): Promise<void> {
  await page.evaluate(`(() => {
    const bytes = Uint8Array.from(atob('${bytes.toString('base64')}'), (c) => c.charCodeAt(0));
    const data = new DataTransfer();
    data.items.add(new File([bytes], ${JSON.stringify(name)}));
    const zone = document.getElementById('dropzone');
    zone.dispatchEvent(new DragEvent('dragover', { dataTransfer: data, bubbles: true, cancelable: true }));
    zone.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
  })()`);
}

async function filledTemplate(page: Page, fill: (wb: ExcelJS.Workbook) => void): Promise<Buffer> {
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#template')]);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(readFileSync((await download.path())!) as unknown as ArrayBuffer); // exceljs's load() typing wants its own Buffer flavour
  fill(wb);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

async function axeViolations(page: Page): Promise<string[]> {
  // Evaluated through the DevTools protocol, which the page's CSP does not govern (the page itself allows no inline script).
  const result = (await page.evaluate(`${AXE}\n;axe.run(document, { runOnly: ['wcag2a', 'wcag2aa'] }).then(r => r.violations.map(v => v.id + ': ' + v.nodes.length))`)) as string[];
  return result;
}

function screenshot(page: Page, name: string): Promise<Buffer> {
  mkdirSync(SHOTS, { recursive: true });
  return page.screenshot({ path: path.join(SHOTS, name), fullPage: true });
}

test('a clerk downloads the template, fills it, uploads it and sees the accepted figures', async () => {
  const page = await openPage(await justiceLink());
  await page.waitForSelector('h1');
  expect(await page.textContent('h1')).toBe('灵寿县司法局');
  // The token left the address bar (and so the history) as soon as the page read it.
  expect(page.url()).not.toContain('#t=');
  expect(await page.textContent('#state')).toBe('未报送');
  expect(await page.textContent('main')).toContain('2022年1月10日（还有 1 天）');

  const bytes = await filledTemplate(page, (wb) => {
    const sheet = wb.getWorksheet('指标')!;
    sheet.eachRow((row, n) => {
      const values: Record<string, number | string> = { legality_review_meeting_items: 125, enforcement_staff_trained: '1000余', mediators_total: 312, reconsideration_received: 14, reconsideration_closed: 13, reconsideration_pending: 1 };
      const id = String(row.getCell(TEMPLATE_INDICATOR_COLUMN.code).value);
      if (n > 1 && id in values) row.getCell(TEMPLATE_INDICATOR_COLUMN.value).value = values[id]!;
    });
  });
  await uploadFile(page, '司法局2021.xlsx', bytes);
  await page.waitForSelector('#accepted', { timeout: 30_000 });
  const figures = await page.textContent('#outcome table');
  expect(figures).toContain('125');
  expect(figures).toContain('指标”');
  expect(await page.textContent('#state')).toBe('已接收');
  expect(await page.textContent('main')).toContain('司法局2021.xlsx');
  expect(await axeViolations(page)).toEqual([]);
  await screenshot(page, 'clerk.png');
  expect(jsErrors(page)).toEqual([]);
  await page.context().close();
});

test('a clerk uploads a bad file and sees the cell, and can download the error report', async () => {
  const page = await openPage(await educationLink());
  await page.waitForSelector('#template');
  const bytes = await filledTemplate(page, (wb) => {
    wb.getWorksheet('指标')!.getCell('C2').value = '很多'; // the first indicator's value cell
  });
  // This one is dropped onto the page, as a clerk drags it from the desktop.
  await dropFile(page, '教育局.xlsx', bytes);
  await page.waitForSelector('#rejected', { timeout: 30_000 });
  const problems = await page.textContent('#outcome table');
  expect(problems).toContain('指标');
  expect(problems).toContain('C2');
  expect(problems).toContain('很多');
  const [report] = await Promise.all([page.waitForEvent('download'), page.click('#error-report')]);
  expect(readFileSync((await report.path())!, 'utf8')).toContain('C2');
  expect(await page.textContent('#state')).toBe('有错误');
  await screenshot(page, 'clerk-rejected.png');
  await page.context().close();
});

test('the office returns a submission with a comment, and the clerk sees it', async () => {
  const office = await openPage(officeUrl);
  await office.waitForSelector('#filter');
  expect(office.url()).not.toContain('id_token');
  await office.selectOption('#filter', 'accepted');
  await office.click('button[data-unit="justice_bureau"]');
  await office.waitForSelector('#review-comment');
  await office.fill('#review-comment', '请核对合法性审查件数');
  await office.click('#review-return');
  await office.waitForSelector('text=审核：退回修改');
  expect(await office.textContent('#detail')).toContain('退回修改（请核对合法性审查件数）');
  expect(await office.textContent('#detail')).toMatch(/王芳（县司法局，账号[0-9A-F]{6}）/);
  expect(await axeViolations(office)).toEqual([]);
  await (await office.$('#detail'))!.screenshot({ path: path.join(SHOTS, 'office-unit.png') });
  await office.click('#detail-close');
  await office.selectOption('#filter', '');
  await screenshot(office, 'office.png');
  await office.context().close();

  const clerk = await openPage(await justiceLink());
  await clerk.waitForSelector('#return-comment');
  expect(await clerk.textContent('#return-comment')).toBe('请核对合法性审查件数');
  expect(await clerk.textContent('#state')).toBe('已退回');
  await clerk.context().close();
});

test('the office locks the year and the clerk page says so once, with the upload zone disabled', async () => {
  const office = await openPage(officeUrl);
  await office.click('#lock');
  await office.waitForSelector('#unlock');
  expect(await office.textContent('#lock-state')).toContain('已锁定');
  await office.context().close();

  const clerk = await openPage(await justiceLink());
  await clerk.waitForSelector('#lock-message');
  expect(await clerk.textContent('#state')).toBe('已锁定');
  expect(await clerk.textContent('#lock-message')).toMatch(/2021年度报送已于2022年1月9日 \d\d:\d\d锁定，不再接收上传/);
  expect(await clerk.isDisabled('#file')).toBe(true);
  await clerk.context().close();
});

test('the office runs aggregation and downloads report.docx', async () => {
  const office = await openPage(officeUrl);
  await office.click('#aggregate');
  await office.waitForSelector('#report-result .notice.ok', { timeout: 60_000 });
  const [download] = await Promise.all([office.waitForEvent('download'), office.click('button[data-file="report.docx"]')]);
  expect(download.suggestedFilename()).toBe('灵寿县2021年report.docx');
  expect(readFileSync((await download.path())!).subarray(0, 2).toString()).toBe('PK');
  await office.context().close();
});

test("a unit link cannot read another unit's data, and a revoked link gets 401", async () => {
  const link = await educationLink();
  const clerk = await openPage(link);
  await clerk.waitForSelector('#state');
  // From the education bureau's page, ask for the justice bureau's outcome and error report.
  // (Page scripts are strings: the test's tsconfig has no DOM types.)
  const statuses = await clerk.evaluate(`(async () => {
    const token = sessionStorage.getItem('yearly-report.unit-token');
    const get = (p) => fetch(p, { headers: { authorization: 'Bearer ' + token } }).then((r) => r.status);
    return [
      await get('/api/clerk/outcome?key=' + encodeURIComponent('submissions/2021/justice_bureau/司法局2021.xlsx') + '&eTag=0123'),
      await get('/api/clerk/error-report?key=' + encodeURIComponent('error-reports/2021/justice_bureau/x.errors')),
      await get('/api/office/status'),
    ];
  })()`);
  expect(statuses).toEqual([403, 403, 401]);

  const office = await openPage(officeUrl);
  await office.waitForSelector(`#links button[data-token="${tokenOf(link).slice(4, 20)}"]`);
  await office.click(`#links button[data-token="${tokenOf(link).slice(4, 20)}"]`);
  await office.waitForSelector('.notice.ok');
  // The office reads who made each link in words, and every revoke button is within the page.
  const links = (await office.innerText('#links'))!;
  expect(links).toContain('本机运行的报送服务');
  expect(links).not.toContain('yearly-report');
  for (const button of await office.locator('#links button').all()) {
    const box = (await button.boundingBox())!;
    expect(box.x + box.width).toBeLessThanOrEqual(1200);
    expect(await button.getAttribute('aria-label')).toMatch(/^撤销灵寿县.+的链接$/);
  }
  await screenshot(office, 'office-links.png');
  await office.context().close();

  await clerk.reload();
  await clerk.waitForSelector('.notice.error');
  expect(await clerk.textContent('.notice.error')).toContain('该报送链接已被撤销');
  const status = await clerk.evaluate(`fetch('/api/clerk/me', { headers: { authorization: 'Bearer ' + sessionStorage.getItem('yearly-report.unit-token') } }).then((r) => r.status)`);
  expect(status).toBe(401);
  await clerk.context().close();
});

describe('office sign-in', () => {
  test('authorization code with PKCE at the OpenID provider: no token in any address, and the session is this tab only', async () => {
    const page = await openPage(officeUrl, null);
    const visited: string[] = [];
    page.on('framenavigated', (frame) => frame === page.mainFrame() && visited.push(frame.url()));
    expect(await page.textContent('main')).toContain('请先登录');
    const authorize = page.waitForRequest((r) => r.url().startsWith(`${portal.server.provider.issuer}/auth`));
    const exchanged = page.waitForRequest((r) => r.url().endsWith('/api/sign-in/token'));
    await signInAtProvider(page, 'wangfang');
    const query = new URL((await authorize).url()).searchParams;
    expect(Object.fromEntries(['response_type', 'code_challenge_method', 'redirect_uri', 'client_id'].map((k) => [k, query.get(k)]))).toEqual({
      response_type: 'code',
      code_challenge_method: 'S256',
      redirect_uri: officeUrl,
      client_id: portal.server.provider.clientId,
    });
    expect(query.get('code_challenge')).toMatch(/^[\w-]{43}$/);
    expect(JSON.parse((await exchanged).postData()!)).toEqual({ code: expect.any(String), codeVerifier: expect.stringMatching(/^[\w-]{43}$/), redirectUri: officeUrl, nonce: expect.any(String) });
    // The one-time code left the address bar, and no address the tab visited (what History records) carries a token.
    expect(page.url()).toBe(officeUrl);
    expect(await page.textContent('.who')).toMatch(/已登录：王芳（账号[0-9A-F]{6}，可操作）/);
    expect(visited.some((u) => u.startsWith(`${officeUrl}?code=`))).toBe(true);
    const idToken = (await page.evaluate("sessionStorage.getItem('yearly-report.office-token')")) as string;
    expect(idToken.split('.')).toHaveLength(3);
    for (const u of visited) expect(u).not.toMatch(/id_token|access_token|eyJ/);
    const other = await page.context().newPage();
    await other.goto(officeUrl);
    await other.waitForSelector('#sign-in'); // sessionStorage: another tab is not signed in
    expect(jsErrors(page)).toEqual([]);
    await page.context().close();
  });

  test('sign-out ends the session here and at the provider', async () => {
    const page = await openPage(officeUrl);
    await page.click('#sign-out');
    await page.waitForURL(`${portal.server.provider.issuer}/session/end**`);
    await page.click('button[name=logout]');
    await page.waitForURL(officeUrl);
    await page.waitForSelector('#sign-in');
    expect(await page.textContent('main')).toContain('已退出登录');
    expect(await page.evaluate("sessionStorage.getItem('yearly-report.office-token')")).toBeNull();
    await screenshot(page, 'office-signed-out.png');
    // Signing in again asks for the password: the provider's session ended too.
    await page.click('#sign-in');
    await page.waitForSelector('input[name=password]');
    await page.context().close();
  });

  test('an expired session says so in Chinese and signs in again with one button', async () => {
    const page = await openPage(officeUrl, 'brief'); // this account's ID tokens last 5 seconds
    await page.waitForSelector('button[data-unit="justice_bureau"]');
    await page.waitForTimeout(6000);
    await page.click('button[data-unit="justice_bureau"]');
    await page.waitForSelector('text=登录已过期');
    expect(await page.textContent('#sign-in')).toBe('重新登录');
    await screenshot(page, 'office-expired.png');
    // The provider still knows the person: the button brings the dashboard back without the form.
    await page.click('#sign-in');
    await page.waitForSelector('#filter');
    expect(await page.textContent('.who')).toContain('赵短');
    await page.context().close();
  });
});

test('the pages stay within the weight budget the browser actually loads', async () => {
  const page = await openPage(await justiceLink());
  await page.waitForSelector('h1');
  const bytes = (await page.evaluate(`performance.getEntriesByType('resource').filter((e) => /\\.(js|css)$/.test(e.name)).reduce((n, e) => n + e.decodedBodySize, 0)`)) as number;
  expect(bytes).toBeGreaterThan(0);
  expect(bytes).toBeLessThan(100 * 1024);
  await page.context().close();
});
