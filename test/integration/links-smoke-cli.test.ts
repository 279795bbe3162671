import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import QRCode from 'qrcode';
import { dayBeforeDeadline } from '../../cli/demo-run';
import { countyDirInRepo, loadCounty } from '../../shared/core/county/load';
import { LocalPipeline } from '../../shared/local/local-pipeline';
import { startPortalServer, type PortalServer } from '../../shared/local/portal-server';
import { runCli, submissionFile } from './helpers';

/**
 * The runbook's last two steps as commands, against the local pipeline and
 * portal server (`serve --local` over the same state folder):
 *   `links`  every unit's link as the office's printable sheet, each link real;
 *   `smoke`  an upload through the portal with one link, and ingest's outcome.
 */
const county = loadCounty(countyDirInRepo('lingshou'));
let dir: string;
let port: number;
let pipeline: LocalPipeline;
let server: PortalServer;
let sheet: string;
let links: string[];
let resentLink: string;

jest.setTimeout(120_000);

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'yearly-report-links-'));
  port = await new Promise<number>((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port: free } = probe.address() as AddressInfo;
      probe.close(() => resolve(free));
    });
  });
  const made = await runCli(['links', '--county', 'lingshou', '--local', '--local-dir', path.join(dir, 'state'), '--portal-url', `http://127.0.0.1:${port}/`, '--days', '30', '--out', path.join(dir, 'sheet.html')]);
  expect(made.code).toBe(0);
  expect(made.stdout.trim()).toBe(path.join(dir, 'sheet.html'));
  sheet = readFileSync(path.join(dir, 'sheet.html'), 'utf8');
  links = [...sheet.matchAll(/<p class="link">([^<]+)<\/p>/g)].map((m) => m[1]!);
  // The office re-sends the justice bureau's link: a sheet of one, replacing the earlier one.
  const resent = await runCli(['links', '--county', 'lingshou', '--local', '--local-dir', path.join(dir, 'state'), '--portal-url', `http://127.0.0.1:${port}/`, '--unit', '县司法局', '--replace', '--out', path.join(dir, 'resent.html')]);
  expect(resent.code).toBe(0);
  expect(resent.stderr).toContain('1 earlier link(s) revoked');
  resentLink = /<p class="link">([^<]+)<\/p>/.exec(readFileSync(path.join(dir, 'resent.html'), 'utf8'))![1]!;

  const start = dayBeforeDeadline(2021, county.config.collection.deadline);
  const startedAt = Date.now();
  const now = () => new Date(start.getTime() + (Date.now() - startedAt));
  process.env.POWERTOOLS_LOG_LEVEL = 'ERROR';
  pipeline = await LocalPipeline.start({ countyId: 'lingshou', stateDir: path.join(dir, 'state'), autoDeliver: true, uploadTime: now });
  server = await startPortalServer({ pipeline, county, now, port });
});

afterAll(async () => {
  await server?.close();
  await pipeline?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('links', () => {
  test("the sheet has one card per unit: its name, its link, the expiry in the county's time, a QR code of that link", async () => {
    expect(links).toHaveLength(county.config.units.length);
    for (const unit of county.config.units) expect(sheet).toContain(`<h2>${unit.name}</h2>`);
    expect(links.every((l) => l.startsWith(`http://127.0.0.1:${port}/clerk.html#t=yrt_`))).toBe(true);
    expect(sheet).toMatch(/有效期至 \d{4}年\d{1,2}月\d{1,2}日 \d\d:\d\d/);
    expect(sheet).toContain('每个链接只能打开一次');
    expect(sheet).not.toMatch(/justice_bureau|T\d\d:\d\d:\d\d/);
    // The QR code printed beside a unit encodes that unit's own link.
    const firstQr = (await QRCode.toString(links[0]!, { type: 'svg', errorCorrectionLevel: 'M', margin: 1 })).replace(/^<\?xml[^>]*>\s*/, '');
    expect(sheet).toContain(firstQr);
  });

  test("every link on the sheet opens its own unit's page", async () => {
    for (const [i, link] of links.slice(0, 3).entries()) {
      const token = link.slice(link.indexOf('#t=') + 3);
      const session = await fetch(`${server.url}/api/clerk/session`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
      expect(session.status).toBe(200);
      const me = (await (await fetch(`${server.url}/api/clerk/me`, { headers: { authorization: `Bearer ${((await session.json()) as { session: string }).session}` } })).json()) as { unit: { name: string } };
      expect(me.unit.name).toBe(county.config.units[i]!.name);
    }
  });

  const openWith = (link: string) => fetch(`${server.url}/api/clerk/session`, { method: 'POST', headers: { authorization: `Bearer ${link.slice(link.indexOf('#t=') + 3)}` } });

  test('--replace revokes the unit\'s link on the earlier sheet; the other units\' stay', async () => {
    const justice = county.config.units.findIndex((u) => u.id === 'justice_bureau');
    const old = await openWith(links[justice]!);
    expect(old.status).toBe(401);
    expect(((await old.json()) as { error: string }).error).toBe('token_revoked');
    expect((await openWith(resentLink)).status).toBe(200);
    expect((await openWith(links[justice + 1]!)).status).toBe(200);
  });

  test('a deployed portal must be https', async () => {
    const plain = await runCli(['links', '--county', 'lingshou', '--stage', 'prod', '--portal-url', 'http://example.cn/']);
    expect(plain.code).toBe(2);
    expect(plain.stderr).toContain('--portal-url must be https://');
  });
});

describe('smoke', () => {
  test('with only a link: the probe file goes through the portal and ingest rejects it with an error report', async () => {
    const link = await server.unitLink('education_bureau');
    const run = await runCli(['smoke', '--link', link]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('2. overview (GET /api/clerk/me): 灵寿县 灵寿县教育局 (education_bureau), year 2021');
    expect(run.stdout).toContain('4. ingest\'s outcome (GET /api/clerk/outcome): rejected');
    expect(run.stdout).toMatch(/5\. error report \(GET \/api\/clerk\/error-report\): \d+ bytes: ok/);
    expect(run.stdout).toContain('smoke check passed');
    // No unit's current submission changed.
    expect(await pipeline.repo.getCurrent(2021, 'education_bureau')).toBeUndefined();
  });

  test('with a real file it must be accepted; a spent link or a refused file fails the check', async () => {
    const file = path.join(dir, '司法局2021.json');
    writeFileSync(file, submissionFile('县司法局', { legality_review_meeting_items: 125 }));
    const link = await server.unitLink('justice_bureau');
    const run = await runCli(['smoke', '--link', link, '--file', file]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/4\. ingest's outcome \(GET \/api\/clerk\/outcome\): accepted, \d+ rows/);
    // The same link again is spent.
    const spent = await runCli(['smoke', '--link', link, '--file', file]);
    expect(spent.code).toBe(1);
    expect(spent.stderr).toContain('smoke check FAILED: POST /api/clerk/session: 401');
    // Another unit's file under the justice bureau's link is rejected, and the check says so.
    writeFileSync(file, submissionFile('县教育局', { legality_review_meeting_items: 1 }));
    const refused = await runCli(['smoke', '--link', await server.unitLink('justice_bureau'), '--file', file]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('smoke check FAILED: the file was not accepted');
  });

  test('a link that is not a unit link is a usage error', async () => {
    expect((await runCli(['smoke', '--link', 'https://example.cn/office.html'])).code).toBe(2);
  });
});
