import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { chromium, type Browser } from 'playwright-core';
import { TEMPLATE_INDICATOR_COLUMN } from '../../shared/core/submission/layout';

/**
 * The README's first portal command, exactly as a newcomer types it:
 * `npm start -- --serve` (the demo, then the portal over the demo's data), in a
 * folder set up like the clone (as test/e2e/readme.test.ts does). In headless
 * Chromium a clerk uploads through the printed unit link and sees ingest's
 * outcome, and the office generates the report from the printed office URL.
 */
const REPO = path.resolve(__dirname, '../..');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'];
// The README's "dashboard after the demo" is taken here; PORTAL_SCREENSHOTS_DIR=docs/portal refreshes it.
const SHOTS = path.resolve(process.env.PORTAL_SCREENSHOTS_DIR ?? path.join(os.tmpdir(), 'yearly-report-portal-screenshots'));

jest.setTimeout(240_000);

let work: string;
let child: ChildProcess;
let printed = '';
let browser: Browser;
let officeUrl: string;
let unitLink: string;
let officeAccount: { login: string; password: string };

beforeAll(async () => {
  work = mkdtempSync(path.join(os.tmpdir(), 'yearly-report-serve-'));
  copyFileSync(path.join(REPO, 'package.json'), path.join(work, 'package.json'));
  symlinkSync(path.join(REPO, 'cli'), path.join(work, 'cli'));
  symlinkSync(path.join(REPO, 'node_modules'), path.join(work, 'node_modules'));
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.toLowerCase().startsWith('npm_')));
  Object.assign(env, { npm_config_update_notifier: 'false', npm_config_fund: 'false', POWERTOOLS_LOG_LEVEL: 'ERROR' });
  // Its own process group, so the test can press Ctrl-C on npm and the node it runs alike.
  child = spawn('bash', ['-c', 'npm start -- --serve'], { cwd: work, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.on('data', (chunk: Buffer) => (printed += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (printed += chunk.toString()));
  const started = Date.now();
  while (!/clerk\.html#t=\S+\n/.test(printed)) {
    if (child.exitCode !== null) throw new Error(`npm start -- --serve exited ${child.exitCode}:\n${printed}`);
    if (Date.now() - started > 180_000) throw new Error(`no portal address printed:\n${printed}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  officeUrl = /^\s+(http:\/\/\S+\/office\.html)$/m.exec(printed)![1]!;
  // The printed local accounts: the office signs in with the one that has the office role.
  const [, login, password] = /账号 (\S+)\s+密码 (\S+)\s+\(.*role office\)/.exec(printed)!;
  officeAccount = { login: login!, password: password! };
  unitLink = /^\s+(http:\/\/\S+\/clerk\.html#t=\S+)$/m.exec(printed)![1]!;
  browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS, headless: true });
});

afterAll(async () => {
  await browser?.close();
  if (child && child.exitCode === null) {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    process.kill(-child.pid!, 'SIGINT');
    await exited;
  }
  rmSync(work, { recursive: true, force: true });
});

test('npm start -- --serve: a clerk uploads through the printed link and sees the outcome; the office generates the report', async () => {
  const context = await browser.newContext({ acceptDownloads: true, locale: 'zh-CN', viewport: { width: 1200, height: 900 } });
  const clerk = await context.newPage();
  await clerk.goto(unitLink);
  await clerk.waitForSelector('#template');
  const [download] = await Promise.all([clerk.waitForEvent('download'), clerk.click('#template')]);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(readFileSync((await download.path())!) as unknown as ArrayBuffer); // exceljs's load() typing wants its own Buffer flavour
  wb.getWorksheet('指标')!.eachRow((row, n) => {
    if (n > 1 && String(row.getCell(TEMPLATE_INDICATOR_COLUMN.code).value) === 'legality_review_meeting_items') row.getCell(TEMPLATE_INDICATOR_COLUMN.value).value = 321;
  });
  await clerk.setInputFiles('#file', { name: '司法局更正.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: Buffer.from(await wb.xlsx.writeBuffer()) });
  await clerk.waitForSelector('#accepted, #rejected, #outcome .notice.error', { timeout: 60_000 });
  expect(await clerk.textContent('#outcome')).toContain('已接收：司法局更正.xlsx');
  expect(await clerk.textContent('#outcome table')).toContain('321');

  const office = await context.newPage();
  await office.goto(officeUrl);
  await office.click('#sign-in');
  await office.fill('input[name=login]', officeAccount.login);
  await office.fill('input[name=password]', officeAccount.password);
  await office.click('button[type=submit]');
  await office.waitForSelector('#aggregate');
  await office.click('#aggregate');
  await office.waitForSelector('#report-result .notice.ok, #report-result .notice.error', { timeout: 90_000 });
  expect(await office.textContent('#report-result')).toContain('报告已生成');
  // The demo's units have reported: the dashboard as the office first sees it (the top of the page).
  expect(await office.textContent('.facts')).toMatch(/已报送[1-9]\d*\/\d+ 个应报单位/);
  await office.evaluate('window.scrollTo(0, 0)');
  mkdirSync(SHOTS, { recursive: true });
  await office.screenshot({ path: path.join(SHOTS, 'office-demo.png') });
  const [report] = await Promise.all([office.waitForEvent('download'), office.click('button[data-file="report.html"]')]);
  // The report generated now holds the figure the clerk just uploaded.
  expect(readFileSync((await report.path())!, 'utf8')).toContain('321');
  await context.close();
  expect(printed).not.toMatch(/ECONNREFUSED|Error/);
});
