import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import initSqlJs from 'sql.js';
import { startPortal, tokenOf, uploadAsClerk, type PortalHarness } from '../portal/portal-harness';

/**
 * Issue 22 item 4, against what a shared county PC really keeps: Debian's
 * Chromium with its own profile (--user-data-dir) opens a unit link, the
 * clerk sees the unit's page, the browser closes; then the profile's
 * `History` SQLite file is read as the next person at that PC could, and
 * every address found there is tried: none may open the page, start a
 * session or upload.
 */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'];

let portal: PortalHarness;
let profile: string;

jest.setTimeout(120_000);

beforeAll(async () => {
  portal = await startPortal();
  profile = mkdtempSync(path.join(os.tmpdir(), 'yearly-report-chromium-profile-'));
});

afterAll(async () => {
  await portal?.stop();
  rmSync(profile, { recursive: true, force: true });
});

/** Every URL in a Chromium profile's History database (the `urls` table, which the address bar's suggestions read). */
async function historyUrls(userDataDir: string): Promise<{ bytes: Buffer; urls: string[] }> {
  const SQL = await initSqlJs();
  const bytes = readFileSync(path.join(userDataDir, 'Default', 'History'));
  const db = new SQL.Database(bytes);
  try {
    const rows = db.exec('SELECT url FROM urls');
    return { bytes, urls: (rows[0]?.values ?? []).map(([url]) => String(url)) };
  } finally {
    db.close();
  }
}

test("a unit link found in a shared PC's Chromium History opens nothing and uploads nothing", async () => {
  const link = await portal.server.unitLink('justice_bureau');
  const clerkBrowser = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, args: FLAGS, headless: true, locale: 'zh-CN' });
  const page = clerkBrowser.pages()[0] ?? (await clerkBrowser.newPage());
  await page.goto(link);
  await page.waitForSelector('#valid-until');
  expect(await page.textContent('h1')).toBe('灵寿县司法局');
  expect(await page.textContent('main')).toContain('本次打开有效至');
  // The clerk's own tab keeps working on its session (a reload has no link in the address any more).
  await page.reload();
  await page.waitForSelector('#valid-until');
  const session = (await page.evaluate("sessionStorage.getItem('yearly-report.unit-token')")) as string;
  expect(session).toMatch(/^yrs_/);
  // The clerk opens the same link again in that tab (clicked twice in a chat): the tab's session goes on.
  await page.goto('about:blank');
  await page.goto(link);
  await page.waitForSelector('#valid-until');
  expect(await page.evaluate("sessionStorage.getItem('yearly-report.unit-token')")).toBe(session);
  await clerkBrowser.close();

  const { bytes, urls } = await historyUrls(profile);
  // The threat is real: Chromium's History keeps the address the link was opened with, fragment and all.
  const withLink = urls.filter((u) => u.includes('#t=yrt_'));
  expect(withLink).toContain(link);
  // The session the link was spent on never reaches History.
  expect(bytes.includes(Buffer.from(session))).toBe(false);
  expect(urls.some((u) => u.includes('yrs_'))).toBe(false);

  const url = portal.server.url;
  for (const found of withLink) {
    const text = tokenOf(found);
    // Opened again, as the next person at that PC would (a fresh profile: nothing of the clerk's tab survives).
    const stranger = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS, headless: true });
    const strangerPage = await stranger.newPage();
    await strangerPage.goto(found);
    await strangerPage.waitForSelector('#session-refused');
    expect(await strangerPage.textContent('#session-refused')).toContain('只能打开一次');
    expect(await strangerPage.$('#dropzone')).toBeNull();
    await stranger.close();
    // Straight at the API: no new session, no overview, no upload grant, no upload.
    const post = (p: string, body?: unknown) =>
      fetch(`${url}${p}`, { method: 'POST', headers: { authorization: `Bearer ${text}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    const again = await post('/api/clerk/session');
    expect(again.status).toBe(401);
    expect(((await again.json()) as { error: string }).error).toBe('token_used');
    expect((await fetch(`${url}/api/clerk/me`, { headers: { authorization: `Bearer ${text}` } })).status).toBe(401);
    expect((await post('/api/clerk/uploads', { fileName: '司法局.json' })).status).toBe(401);
    const upload = await uploadAsClerk(url, text, '司法局.json', Buffer.from('{}'));
    expect(upload.status).toBe(401);
  }

  // The clerk's session still uploads until it ends or the office revokes the link.
  const sessionUpload = await fetch(`${url}/api/clerk/uploads`, { method: 'POST', headers: { authorization: `Bearer ${session}`, 'content-type': 'application/json' }, body: JSON.stringify({ fileName: '司法局.json' }) });
  expect(sessionUpload.status).toBe(200);
});
