import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import MarkdownIt from 'markdown-it';
import type { LocalPipeline } from '../../shared/local/local-pipeline';
import { runCli, startPipeline, submissionFile } from './helpers';

/**
 * Issue 14: file names that are markup in one artifact or another. The
 * upload paths refuse them (CLI and API, see file-name.test.ts), but an
 * administrator can still put such an object into the bucket, so every
 * artifact a name reaches must carry it as inert text: report.md (rendered
 * with raw HTML allowed, as GitHub or an editor would), report.html,
 * report.docx, data.xlsx, report.json, and the error report.
 */
const NAMES = {
  market_regulation: '``<img src=x onerror=alert(1)>``.json',
  civil_affairs: '${filename}<svg onload=alert(2)>.json',
  petition_bureau: '报送\u202Egnp.|a|.json',
};
const REJECTED = { unit: 'health_commission', name: '`x`<b>坏<b>.json' };

let pipeline: LocalPipeline;
let cleanup: () => Promise<void>;
let out: string;
beforeAll(async () => {
  ({ pipeline, cleanup } = await startPipeline());
  out = mkdtempSync(path.join(os.tmpdir(), 'yearly-report-hostile-names-'));
  const unitNames = { market_regulation: '市场监管局', civil_affairs: '民政局', petition_bureau: '信访局' } as const;
  const puts = await Promise.all(
    Object.entries(NAMES).map(([unitId, fileName]) => pipeline.put({ year: 2021, unitId, fileName, bytes: submissionFile(unitNames[unitId as keyof typeof unitNames], { legal_advisers_engaged: 3 }) })),
  );
  puts.push(await pipeline.put({ year: 2021, unitId: REJECTED.unit, fileName: REJECTED.name, bytes: submissionFile('卫健局', { legal_advisers_engaged: '很多' }) }));
  expect((await pipeline.deliver(puts)).batchItemFailures).toEqual([]);
  const response = await pipeline.aggregate({ trigger: 'manual', county: 'lingshou', year: 2021 });
  await pipeline.download(response.latestPrefix, out);
}, 120_000);
afterAll(async () => {
  rmSync(out, { recursive: true, force: true });
  await cleanup();
});

const keys = Object.entries(NAMES).map(([unitId, name]) => `submissions/2021/${unitId}/${name}`);

describe('hostile file names in every artifact', () => {
  it('every upload was ingested under its exact name', async () => {
    const latest = await pipeline.repo.listLatest(2021);
    for (const key of keys) expect(latest.find((l) => l.s3Key === key)?.status).toBe('accepted');
  });

  it('report.md: the publishable draft carries no storage key, and no HTML of a name is live when rendered', () => {
    const md = readFileSync(path.join(out, 'report.md'), 'utf8');
    const html = new MarkdownIt({ html: true }).render(md);
    expect(html).not.toMatch(/<img|<svg|<b>坏/);
    // Sources and file names belong to the internal companion (报送情况.docx), not to what a county publishes.
    for (const key of keys) expect(md).not.toContain(key);
  });

  it('报送情况.docx: the internal companion names every source as text, in well-formed XML', async () => {
    const zip = await JSZip.loadAsync(readFileSync(path.join(out, '报送情况.docx')));
    const xml = await zip.file('word/document.xml')!.async('string');
    expect(xml.startsWith('<?xml')).toBe(true);
    expect(xml).not.toMatch(/<img|<svg|<b>/);
    const escapeXml = (t: string) => t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
    // The file names exactly as uploaded (U+202E included: Word shows it as a character, not a command).
    for (const name of Object.values(NAMES)) expect(xml).toContain(escapeXml(name));
  });

  it('report.html: names are escaped text', () => {
    const html = readFileSync(path.join(out, 'report.html'), 'utf8');
    expect(html).not.toMatch(/<img src=x|<svg onload|<b>坏/);
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });

  it('report.json and data.xlsx carry the exact names', async () => {
    const json = readFileSync(path.join(out, 'report.json'), 'utf8');
    for (const key of keys) expect(json).toContain(JSON.stringify(key).slice(1, -1));
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(path.join(out, 'data.xlsx'));
    const cells: string[] = [];
    wb.eachSheet((ws) => ws.eachRow((row) => row.eachCell((c) => void cells.push(String(c.value)))));
    for (const key of keys) expect(cells).toContain(key);
  });

  it('report.docx: the document is well-formed XML with no markup from a name', async () => {
    const zip = await JSZip.loadAsync(readFileSync(path.join(out, 'report.docx')));
    const xml = await zip.file('word/document.xml')!.async('string');
    expect(xml).not.toMatch(/<img|<svg|<b>/);
    expect(xml.startsWith('<?xml')).toBe(true);
  });

  it('the error report of a rejected upload names the file as text', async () => {
    const latest = (await pipeline.repo.listLatest(2021)).find((l) => l.unitId === REJECTED.unit)!;
    expect(latest.status).toBe('rejected');
    expect(latest.s3Key).toBe(`submissions/2021/${REJECTED.unit}/${REJECTED.name}`);
    const s3 = new S3Client({ forcePathStyle: true });
    const text = await (await s3.send(new GetObjectCommand({ Bucket: pipeline.names.submissionsBucket, Key: `${latest.errorReportKey}.txt` }))).Body!.transformToString();
    const json = JSON.parse(await (await s3.send(new GetObjectCommand({ Bucket: pipeline.names.submissionsBucket, Key: `${latest.errorReportKey}.json` }))).Body!.transformToString());
    s3.destroy();
    expect(text).toContain(REJECTED.name);
    expect(JSON.stringify(json)).toContain(JSON.stringify(REJECTED.name).slice(1, -1));
  });
});

describe('the CLI refuses a hostile name before uploading', () => {
  it('exits 2 with a Chinese message naming the character', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'yearly-report-names-'));
    try {
      const file = path.join(dir, '报送`x`.json');
      writeFileSync(file, submissionFile('司法局', {}));
      const result = await runCli(['upload', file, '--county', 'lingshou', '--year', '2021', '--unit', 'justice_bureau', '--local', '--local-dir', path.join(dir, 'state')]);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/文件名“报送`x`\.json”含有不允许的字符 “`”/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
