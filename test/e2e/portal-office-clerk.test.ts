import { mkdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { chromium, type Browser, type BrowserContextOptions, type Page } from 'playwright-core';
import { MAX_SUBMISSION_BYTES } from '../../shared/core/submission/limits';
import { TEMPLATE_INDICATOR_COLUMN } from '../../shared/core/submission/layout';
import { OFFICE_ACCOUNTS, startPortal, type PortalHarness } from '../portal/portal-harness';

/**
 * A clerk's second and third uploads, the office's return and its confirmations,
 * the lock as both sides see it, old county PCs and phones: in Debian's headless
 * Chromium over `serve --local`'s server. The tests run in order on one county
 * (the justice bureau's accepted upload, then its return, then the lock).
 * Pages are screenshotted at desktop and phone width into SHOTS.
 */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'];
const SHOTS = path.resolve(process.env.PORTAL_SCREENSHOTS_DIR ?? path.join(os.tmpdir(), 'yearly-report-portal-screenshots'));
const DESKTOP = { width: 1200, height: 900 };
const PHONE = { width: 390, height: 844 };

let portal: PortalHarness;
let browser: Browser;
// A unit link opens once (README, "Portal security"): every page opening gets a fresh one.
const justiceLink = () => portal.server.unitLink('justice_bureau');
let officeUrl: string;
let officeToken: string;

jest.setTimeout(180_000);

beforeAll(async () => {
  portal = await startPortal();
  officeUrl = portal.server.officeUrl;
  officeToken = await portal.server.provider.signInHeadless('wangfang');
  browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS, headless: true });
});

afterAll(async () => {
  await browser?.close();
  await portal?.stop();
});

/** A page in a fresh context; `questions` collects every confirm() the page asks, answered with `answer`. */
async function openPage(url: string, options: BrowserContextOptions & { answer?: boolean } = {}): Promise<Page & { questions: string[] }> {
  const { answer = true, ...context } = options;
  const page = (await (await browser.newContext({ acceptDownloads: true, locale: 'zh-CN', viewport: DESKTOP, ...context })).newPage()) as Page & { questions: string[] };
  page.questions = [];
  page.on('dialog', (dialog) => {
    page.questions.push(dialog.message());
    void (answer ? dialog.accept() : dialog.dismiss());
  });
  await page.goto(url);
  if (url === officeUrl && context.javaScriptEnabled !== false) await signIn(page);
  return page;
}

/** The office signs in at the local OpenID provider's form (code + PKCE), as 王芳. */
async function signIn(page: Page): Promise<void> {
  await page.click('#sign-in');
  await page.waitForURL(`${portal.server.provider.issuer}/**`);
  await page.fill('input[name=login]', OFFICE_ACCOUNTS.wangfang.login);
  await page.fill('input[name=password]', OFFICE_ACCOUNTS.wangfang.password);
  await page.click('button[type=submit]');
  await page.waitForSelector('#filter');
}

async function filledTemplate(page: Page, value: number | string): Promise<Buffer> {
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#template')]);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(readFileSync((await download.path())!) as unknown as ArrayBuffer); // exceljs's load() typing wants its own Buffer flavour
  wb.getWorksheet('指标')!.eachRow((row, n) => {
    if (n > 1 && String(row.getCell(TEMPLATE_INDICATOR_COLUMN.code).value) === 'legality_review_meeting_items') row.getCell(TEMPLATE_INDICATOR_COLUMN.value).value = value;
  });
  return Buffer.from(await wb.xlsx.writeBuffer());
}

const choose = (page: Page, name: string, buffer: Buffer) => page.setInputFiles('#file', { name, mimeType: 'application/octet-stream', buffer });

/** Uploads and waits for the refusal; the earlier 已接收 must be gone. */
async function refusedUpload(page: Page, name: string, buffer: Buffer): Promise<string> {
  await choose(page, name, buffer);
  await page.waitForSelector('#upload-refused', { timeout: 30_000 });
  expect(await page.$('#accepted')).toBeNull();
  return (await page.textContent('#outcome'))!;
}

function screenshot(page: Page, name: string): Promise<Buffer> {
  mkdirSync(SHOTS, { recursive: true });
  return page.screenshot({ path: path.join(SHOTS, name), fullPage: true });
}

const officeApi = (route: string, body: unknown) =>
  fetch(`${portal.server.url}${route}`, { method: 'POST', headers: { authorization: `Bearer ${officeToken}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });

test('after a first accepted upload, every later refusal and the 正在上传/正在检查 messages are shown', async () => {
  const clerk = await openPage(await justiceLink());
  await clerk.waitForSelector('#template');
  const good = await filledTemplate(clerk, 125);
  await choose(clerk, '司法局2021.xlsx', good);
  await clerk.waitForSelector('#accepted', { timeout: 30_000 });

  // An old Excel file, a name with a character S3 keys must not carry, a file over the limit.
  expect(await refusedUpload(clerk, '司法局2021.xls', Buffer.from('old excel'))).not.toContain('已接收');
  expect(await refusedUpload(clerk, '司法局#2.xlsx', good)).toContain('#');
  await choose(clerk, '司法局2021.xlsx', good);
  await clerk.waitForSelector('#accepted', { timeout: 30_000 });
  expect(await refusedUpload(clerk, '司法局大文件.xlsx', Buffer.alloc(MAX_SUBMISSION_BYTES + 1))).toContain('文件过大');

  // The network drops while the file goes to the bucket.
  const bucket = new URL(portal.pipeline.aws.env.AWS_ENDPOINT_URL_S3!).origin;
  await clerk.route((url) => url.origin === bucket, (route) => route.abort('internetdisconnected'));
  expect(await refusedUpload(clerk, '司法局2021.xlsx', good)).toContain('上传失败');
  await clerk.unrouteAll();

  // A later good upload says what it is doing at each step, then shows its outcome.
  let releaseGrant!: () => void;
  const grantHeld = new Promise<void>((resolve) => (releaseGrant = resolve));
  await clerk.route('**/api/clerk/uploads', async (route) => {
    await grantHeld;
    await route.continue();
  });
  let releaseOutcome!: () => void;
  const outcomeHeld = new Promise<void>((resolve) => (releaseOutcome = resolve));
  await clerk.route('**/api/clerk/outcome?*', async (route) => {
    await outcomeHeld;
    await route.continue();
  });
  const corrected = await filledTemplate(clerk, 126);
  await choose(clerk, '司法局2021更正.xlsx', corrected);
  await clerk.waitForSelector('#upload-progress');
  expect(await clerk.textContent('#outcome')).toContain('正在上传 司法局2021更正.xlsx');
  releaseGrant();
  await clerk.waitForSelector('#upload-progress >> text=正在检查');
  releaseOutcome();
  await clerk.waitForSelector('#accepted', { timeout: 30_000 });
  expect(await clerk.textContent('#accepted')).toContain('司法局2021更正.xlsx');
  expect(await clerk.textContent('#outcome table')).toContain('126');
  await clerk.unrouteAll();

  // The office locks the year while the page is open: the next upload is refused with the lock, not left at 已接收.
  expect((await officeApi('/api/office/lock', { year: 2021, reason: '开始起草报告' })).status).toBe(200);
  expect(await refusedUpload(clerk, '司法局2021.xlsx', good)).toMatch(/2021年度报送已于.*锁定（开始起草报告），不再接收上传/);
  expect((await officeApi('/api/office/unlock', { year: 2021 })).status).toBe(200);
  await screenshot(clerk, 'clerk-refused.png');
  await clerk.context().close();
});

test("the office's return comment stays when the clerk's fix is rejected, and 已报送 does not drop", async () => {
  const office = await openPage(officeUrl);
  await office.waitForSelector('#filter');
  const submittedBefore = (await office.textContent('.facts'))!.match(/已报送(\d+\/\d+)/)![1];
  expect(submittedBefore).toMatch(/^1\//);
  await office.click('button[data-unit="justice_bureau"]');
  await office.fill('#review-comment', '请核对合法性审查件数');
  await office.click('#review-return');
  await office.waitForSelector('#detail >> text=审核：退回修改');
  await office.context().close();

  const clerk = await openPage(await justiceLink());
  await clerk.waitForSelector('#return-comment');
  const broken = await filledTemplate(clerk, '很多');
  await choose(clerk, '司法局2021改.xlsx', broken);
  await clerk.waitForSelector('#rejected', { timeout: 30_000 });
  // The page shows the outcome, then redraws with the unit's new state: the office's request is still there to read, before and after a reload.
  await clerk.waitForSelector('#state >> text=有错误');
  expect(await clerk.textContent('#return-comment')).toBe('请核对合法性审查件数');
  await clerk.reload();
  await clerk.waitForSelector('#state');
  expect(await clerk.textContent('#return-comment')).toBe('请核对合法性审查件数');
  await clerk.context().close();

  // The accepted file is still current and still feeds the report.
  const again = await openPage(officeUrl);
  await again.waitForSelector('#filter');
  expect((await again.textContent('.facts'))!.match(/已报送(\d+\/\d+)/)![1]).toBe(submittedBefore);
  await again.context().close();
});

test('every page names the webkit renderer and says without JavaScript that it needs it', async () => {
  for (const page of ['clerk.html', 'office.html', 'index.html']) {
    const html = await (await fetch(`${portal.server.url}/${page}`)).text();
    expect(html).toContain('<meta name="renderer" content="webkit">');
  }
  for (const url of [await justiceLink(), officeUrl, `${portal.server.url}/index.html`]) {
    const page = await openPage(url, { javaScriptEnabled: false });
    const text = (await page.textContent('body'))!;
    expect(text).toContain('需要启用 JavaScript');
    expect(text).not.toContain('正在加载');
    await page.context().close();
  }
  const noScript = await openPage(await justiceLink(), { javaScriptEnabled: false });
  await screenshot(noScript, 'clerk-noscript.png');
  await noScript.context().close();
  // With JavaScript the message never shows.
  const clerk = await openPage(await justiceLink());
  await clerk.waitForSelector('#template');
  expect(await clerk.textContent('body')).not.toContain('需要启用 JavaScript');
  await clerk.context().close();
});

test("the office's dashboard: detail where it looks, Chinese downloads with 报送情况, phone-width table, confirmed revocation", async () => {
  const office = await openPage(officeUrl);
  await office.waitForSelector('#filter');
  // The last unit of the table: its detail opens over the table, without moving the page.
  const last = office.locator('button[data-unit]').last();
  await last.scrollIntoViewIfNeeded();
  const scrolled = await office.evaluate('window.scrollY');
  await last.click();
  await office.waitForSelector('#detail[open] h2');
  expect(await office.evaluate('window.scrollY')).toBe(scrolled);
  const box = (await office.locator('#detail').boundingBox())!;
  expect(box.y).toBeGreaterThanOrEqual(0);
  expect(box.y + 40).toBeLessThan(DESKTOP.height);
  await office.keyboard.press('Escape');
  await office.waitForSelector('#detail:not([open])', { state: 'attached' });

  // Downloads say what they are, in Chinese, and include 报送情况.docx.
  await office.click('#aggregate');
  await office.waitForSelector('#report-result .notice.ok', { timeout: 90_000 });
  const labels = await office.locator('button[data-file]').allTextContents();
  expect(labels).toEqual(['下载报告（Word）', '下载报告（网页）', '下载数据表（Excel）', '下载报送情况（Word）']);
  const [summary] = await Promise.all([office.waitForEvent('download'), office.click('button[data-file="报送情况.docx"]')]);
  expect(summary.suggestedFilename()).toContain('报送情况');
  expect(readFileSync((await summary.path())!).subarray(0, 2).toString()).toBe('PK');
  await screenshot(office, 'office-desktop.png');
  await office.context().close();

  // A phone: the table scrolls sideways; a unit's name stays on one line.
  const phone = await openPage(officeUrl, { viewport: PHONE, isMobile: true, hasTouch: true });
  await phone.waitForSelector('#filter');
  const nameCell = phone.locator('table tbody tr td:first-child', { hasText: '灵寿县司法局' }).first();
  // The lines the name's text takes (the test's tsconfig has no DOM types, hence the shape spelt out).
  type Doc = { createRange(): { selectNodeContents(node: unknown): void; getClientRects(): ArrayLike<{ top: number }> } };
  const lines = await nameCell.evaluate((cell) => {
    const td = cell as unknown as { ownerDocument: Doc; querySelector(selector: string): unknown };
    const range = td.ownerDocument.createRange();
    // The name's own text (inside the button that opens the detail, if the name is one).
    range.selectNodeContents(td.querySelector('button') ?? td);
    return new Set(Array.from(range.getClientRects(), (r) => Math.round(r.top))).size;
  });
  expect(lines).toBe(1);
  await screenshot(phone, 'office-phone.png');
  await phone.click('button[data-unit="justice_bureau"]');
  await phone.waitForSelector('#detail[open] h2');
  const dialog = (await phone.locator('#detail').boundingBox())!;
  expect(dialog.x).toBeGreaterThanOrEqual(0);
  expect(dialog.x + dialog.width).toBeLessThanOrEqual(PHONE.width);
  await phone.screenshot({ path: path.join(SHOTS, 'office-unit-phone.png') });
  await phone.context().close();

  // Revoking a link asks first; answering no keeps it.
  const link = await portal.server.unitLink('education_bureau');
  const undecided = await openPage(officeUrl, { answer: false });
  const revoke = `#links button[data-token="${link.slice(link.indexOf('#t=') + 7, link.indexOf('#t=') + 23)}"]`;
  await undecided.click(revoke);
  expect(undecided.questions).toEqual([expect.stringContaining('确定撤销灵寿县教育局的报送链接吗')]);
  await undecided.context().close();
  const clerk = await openPage(link);
  await clerk.waitForSelector('#template');
  await clerk.context().close();
  const decided = await openPage(officeUrl);
  await decided.click(revoke);
  await decided.waitForSelector('.notice.ok');
  expect(decided.questions).toHaveLength(1);
  await decided.context().close();
});

test('the office confirms the return and the lock, with a reason the clerk reads once, over a disabled upload zone', async () => {
  // 退回修改 asks first; answering no returns nothing.
  const undecided = await openPage(officeUrl, { answer: false });
  await undecided.waitForSelector('#filter');
  await undecided.click('button[data-unit="justice_bureau"]');
  await undecided.fill('#review-comment', '不应发出的意见');
  await undecided.click('#review-return');
  expect(undecided.questions).toEqual([expect.stringContaining('确定把灵寿县司法局的报送退回修改吗')]);
  await undecided.keyboard.press('Escape');
  await undecided.fill('#lock-reason', '不应锁定');
  await undecided.click('#lock');
  expect(undecided.questions[1]).toContain('确定锁定2021年度吗');
  expect(await undecided.textContent('#lock-state')).toBe('未锁定');
  await undecided.context().close();

  const office = await openPage(officeUrl);
  await office.waitForSelector('#lock-reason');
  await office.fill('#lock-reason', '已开始起草年度报告');
  await office.click('#lock');
  await office.waitForSelector('#unlock');
  expect(await office.textContent('#lock-state')).toContain('已开始起草年度报告');
  await office.context().close();

  for (const [viewport, name] of [
    [DESKTOP, 'clerk-locked.png'],
    [PHONE, 'clerk-locked-phone.png'],
  ] as const) {
    const clerk = await openPage(await justiceLink(), { viewport });
    await clerk.waitForSelector('#lock-message');
    const text = (await clerk.textContent('main'))!;
    expect(text.split('不再接收上传')).toHaveLength(2);
    expect(text).toContain('已开始起草年度报告');
    expect(text).not.toContain('不应');
    expect(await clerk.isDisabled('#file')).toBe(true);
    expect(await clerk.locator('#dropzone label').count()).toBe(0);
    await screenshot(clerk, name);
    await clerk.context().close();
  }
});
