import { mkdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { submissionFile } from '../integration/helpers';
import { startPortal, type PortalHarness } from '../portal/portal-harness';

/**
 * What a clerk reads on the page (issue 22, item 10), in Debian's headless
 * Chromium over `serve --local`'s server: an old .xls told to be saved as
 * .xlsx, a JSON file's problem placed by indicator name, an error report named
 * for the unit and year, another unit's file explained by both units' names.
 * test/integration/portal-words.test.ts checks the same words at the API; this
 * checks what the page makes of them, as text a person sees.
 */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'];
const SHOTS = path.resolve(process.env.PORTAL_SCREENSHOTS_DIR ?? path.join(os.tmpdir(), 'yearly-report-portal-screenshots'));

let portal: PortalHarness;
let browser: Browser;

jest.setTimeout(120_000);

beforeAll(async () => {
  portal = await startPortal();
  browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS, headless: true });
});

afterAll(async () => {
  await browser?.close();
  await portal?.stop();
});

/** The justice bureau's page, opened from a fresh link (a link opens once). */
async function clerkPage(viewport = { width: 1200, height: 900 }): Promise<Page> {
  const context = await browser.newContext({ acceptDownloads: true, locale: 'zh-CN', viewport });
  const page = await context.newPage();
  await page.goto(await portal.server.unitLink('justice_bureau'));
  await page.waitForSelector('#template');
  return page;
}

const choose = (page: Page, name: string, text: string) => page.setInputFiles('#file', { name, mimeType: 'application/octet-stream', buffer: Buffer.from(text) });

/** The outcome as a person sees it: rendered text only (innerText skips what is hidden). */
const visibleOutcome = (page: Page) => page.innerText('#outcome');

/**
 * What must never reach a clerk: an indicator or unit id, a JSON path, an S3 key, or English words beyond the
 * names of the programs and file types a clerk works with. The uploaded file names are the clerk's own words and
 * are taken out first.
 */
function unreadable(text: string, fileNames: string[]): string[] {
  let rest = text;
  for (const name of fileNames) rest = rest.replaceAll(name, '');
  const found: string[] = [];
  for (const pattern of [/indicators\./g, /ledgers\./g, /\$\.|\$schema/g, /\[\d+\]/g, /[a-z]+_[a-z_]+/g, /submissions\/|error-reports\//g]) found.push(...(rest.match(pattern) ?? []));
  const allowed = new Set(['Excel', 'WPS', 'xlsx', 'xls', 'csv', 'json', 'KB', 'MB']);
  found.push(...(rest.match(/[A-Za-z]{2,}/g) ?? []).filter((word) => !allowed.has(word)));
  return found;
}

function screenshot(page: Page, name: string): Promise<Buffer> {
  mkdirSync(SHOTS, { recursive: true });
  return page.screenshot({ path: path.join(SHOTS, name), fullPage: true });
}

test('an old .xls file is refused with Chinese advice to save it as .xlsx from Excel or WPS', async () => {
  const page = await clerkPage();
  await choose(page, '司法局2021.xls', 'an old binary workbook');
  await page.waitForSelector('#upload-refused', { timeout: 30_000 });
  const text = await visibleOutcome(page);
  expect(text).toContain('未能上传：司法局2021.xls');
  expect(text).toContain('不能上传.xls格式的表格');
  expect(text).toMatch(/Excel或WPS表格中打开它.*另存为.*Excel 工作簿（\*\.xlsx）/);
  expect(unreadable(text, ['司法局2021.xls'])).toEqual([]);
  await screenshot(page, 'clerk-xls.png');
  await page.context().close();
});

test("a JSON file's problem is placed by indicator name, and its error report downloads as 单位-年度-错误报告.txt", async () => {
  const page = await clerkPage();
  const fileName = '司法局-有错误.json';
  await choose(page, fileName, submissionFile('县司法局', { legality_review_meeting_items: '很多' }));
  await page.waitForSelector('#rejected', { timeout: 30_000 });
  const text = await visibleOutcome(page);
  expect(text).toContain(`未通过：${fileName}`);
  // The row a person reads: where (the indicator by its name), what is wrong, and what they typed.
  const row = (await page.locator('#outcome table tbody tr', { hasText: '很多' }).innerText()).replace(/\s+/g, ' ');
  expect(row).toContain('指标“政府常务会议题会前合法性审查件数”');
  expect(row).toContain('不是有效数字');
  // A JSON file has no sheet or cell: one column says where.
  expect(await page.locator('#outcome table thead th').allInnerTexts()).toEqual(['位置', '问题', '填写内容']);
  expect(unreadable(text, [fileName])).toEqual([]);
  await screenshot(page, 'clerk-json-rejected.png');

  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#error-report')]);
  expect(download.suggestedFilename()).toBe('灵寿县司法局-2021-错误报告.txt');
  const report = readFileSync((await download.path())!, 'utf8');
  expect(report).toContain('指标“政府常务会议题会前合法性审查件数”：不是有效数字');
  expect(report).not.toMatch(/indicators\.|\$\.|[a-z]+_bureau/);
  await page.context().close();
});

test("another unit's file is explained by both units' names, without 上传位置", async () => {
  const page = await clerkPage();
  const fileName = '教育局2021.json';
  await choose(page, fileName, submissionFile('县教育局', {}));
  await page.waitForSelector('#rejected', { timeout: 30_000 });
  const text = await visibleOutcome(page);
  expect(text).toContain('灵寿县教育局');
  expect(text).toContain('灵寿县司法局');
  expect(text).toMatch(/填报单位不一致：文件填写“灵寿县教育局”，报送单位为“灵寿县司法局”/);
  expect(text).not.toContain('上传位置');
  expect(unreadable(text, [fileName])).toEqual([]);
  await screenshot(page, 'clerk-other-unit.png');
  await page.context().close();
});

test('a later file that drops figures names them, in the order of the template, on a desktop and a phone', async () => {
  const first = await clerkPage();
  const figures = { legality_review_meeting_items: 125, legal_advisers_engaged: 30, mediators_total: 312 };
  await choose(first, '司法局2021.json', submissionFile('县司法局', figures));
  await first.waitForSelector('#accepted', { timeout: 30_000 });
  // The figures read back in the template's order (legality review, then legal advisers, then mediators), not by id.
  const names = await first.locator('#outcome table').first().locator('tbody tr td:first-child').allInnerTexts();
  expect(names).toEqual(['政府常务会议题会前合法性审查件数', '聘用法律顾问人数', '人民调解员总数']);
  await first.context().close();

  for (const [viewport, name] of [
    [{ width: 1200, height: 900 }, 'clerk-replaced.png'],
    [{ width: 390, height: 844 }, 'clerk-replaced-phone.png'],
  ] as const) {
    const page = await clerkPage(viewport);
    const fileName = `司法局2021补充${viewport.width}.json`;
    await choose(page, fileName, submissionFile('县司法局', { legality_review_meeting_items: 126 }));
    await page.waitForSelector('#accepted', { timeout: 30_000 });
    // A JSON file's figures need no 位置 column: the indicator's name is its place.
    expect(await page.locator('#outcome table thead th').allInnerTexts()).toEqual(['指标', '填报数', '单位']);
    const text = await page.innerText('#replacement');
    expect(text).toContain('不再包含');
    expect(text).toContain('人民调解员总数');
    expect(unreadable(await visibleOutcome(page), [fileName, '司法局2021.json', '司法局2021补充1200.json'])).toEqual([]);
    // Nothing is wider than the screen: the page does not scroll sideways.
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(viewport.width);
    await screenshot(page, name);
    await page.context().close();
  }
});
