import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { countyDirInRepo, loadCounty } from '../../shared/core/county/load';
import { TEMPLATE_INDICATOR_COLUMN } from '../../shared/core/submission/layout';
import { parseSubmissionFile } from '../../shared/core/submission/parse';
import { buildTemplateWorkbook } from '../../shared/core/submission/template-workbook';
import { office, popplerInstalled, withoutWhitespace } from './libreoffice';

/**
 * The clerk's Excel template as it comes out of a printer (issue 22, item 13):
 * LibreOffice prints the workbook to PDF, poppler reads the pages back. Every
 * page is A4, each sheet fits one page wide (nothing cut at the right edge),
 * 说明 names no command, and the figures a ledger counts are shown as
 * 由台账自动统计 instead of input cells, with what happens when a typed figure
 * disagrees with its ledger.
 */
const county = loadCounty(countyDirInRepo('lingshou'));
const unit = county.config.units.find((u) => u.id === 'justice_bureau')!;
const work = mkdtempSync(path.join(tmpdir(), 'template-print-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

let bytes: Buffer;
let pages: string[];
/** pdftotext's reading order, without -layout: a wrapped cell's lines stay together. */
let rawPages: string[];
let pageSizes: string[];

beforeAll(async () => {
  if (!office || !popplerInstalled) throw new Error('LibreOffice (soffice) and poppler-utils (pdftotext, pdfinfo) are needed');
  bytes = await buildTemplateWorkbook({ county, catalogue: county.catalogue, year: 2021, unit });
  writeFileSync(path.join(work, 'template.xlsx'), bytes);
  // A private profile: a user's running LibreOffice would otherwise swallow the conversion.
  execFileSync(office, [`-env:UserInstallation=file://${work}/profile`, '--headless', '--convert-to', 'pdf', '--outdir', work, path.join(work, 'template.xlsx')], { stdio: 'pipe', timeout: 180_000 });
  const pdf = path.join(work, 'template.pdf');
  const count = Number(/^Pages:\s+(\d+)/m.exec(execFileSync('pdfinfo', [pdf], { encoding: 'utf8' }))![1]);
  pageSizes = Array.from({ length: count }, (_, i) => /^Page\s+\d+ size:\s+(.*)$/m.exec(execFileSync('pdfinfo', ['-f', String(i + 1), '-l', String(i + 1), pdf], { encoding: 'utf8' }))![1]!);
  pages = execFileSync('pdftotext', ['-enc', 'UTF-8', '-layout', pdf, '-'], { encoding: 'utf8' }).split('\f').slice(0, count);
  rawPages = execFileSync('pdftotext', ['-enc', 'UTF-8', pdf, '-'], { encoding: 'utf8' }).split('\f').slice(0, count);
}, 240_000);

it('prints every page on A4', () => {
  expect(pageSizes.length).toBeGreaterThan(0);
  for (const size of pageSizes) expect(size).toMatch(/^(595\.\d+ x 841\.\d+|841\.\d+ x 595\.\d+) pts \(A4\)/);
});

it('fits each sheet one page wide: 说明 whole, not cut at the right edge, and naming no command', async () => {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes as unknown as ArrayBuffer); // exceljs's load() typing wants its own Buffer flavour
  for (const ws of wb.worksheets) expect(ws.pageSetup).toMatchObject({ paperSize: 9, fitToPage: true, fitToWidth: 1, fitToHeight: 0 });
  const lines = (wb.getWorksheet('说明')!.getColumn(1).values as unknown[]).filter((v): v is string => typeof v === 'string' && v !== '');
  const printed = withoutWhitespace(rawPages.join(''));
  // Each instruction printed whole: its last characters too (a cut line loses its end).
  for (const line of lines) expect(printed).toContain(withoutWhitespace(line));
  expect(printed).toContain('以最后一次上传为准。');
  expect(pages.join('')).not.toMatch(/yearly-report|--county|--unit|validate/);
});

it('shows the figures the ledger counts as 由台账自动统计, says the ledger wins, and reads them as not typed', async () => {
  const indicatorPage = pages.find((p) => p.includes('指标名称'))!;
  // On the 指标 page, the counted figures' rows, with the ledger they come from; the hidden id column stays unprinted.
  expect(indicatorPage).toMatch(/行政复议收案数\s+件\s+由台账自动统\s*计?/);
  expect(withoutWhitespace(rawPages.join(''))).toContain('按“行政复议案件台账”的行数统计，无需填写');
  expect(indicatorPage).not.toContain('reconsideration_received');
  expect(withoutWhitespace(rawPages.join(''))).toContain('以台账统计数为准写入报告');

  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes as unknown as ArrayBuffer); // see above
  const ws = wb.getWorksheet('指标')!;
  const rowOf = (id: string) => ws.getColumn(TEMPLATE_INDICATOR_COLUMN.code).values.indexOf(id);
  for (const id of ['reconsideration_received', 'legal_advisers_engaged', 'lawsuits_received']) {
    const cell = ws.getRow(rowOf(id)).getCell(TEMPLATE_INDICATOR_COLUMN.value);
    expect([id, cell.value, cell.protection?.locked ?? true]).toEqual([id, '由台账自动统计', true]);
    expect((cell.fill as { fgColor?: { argb?: string } }).fgColor?.argb).not.toBe('FFFFFFE0');
  }
  // An input figure stays a yellow, unlocked cell.
  const typed = ws.getRow(rowOf('legality_review_meeting_items')).getCell(TEMPLATE_INDICATOR_COLUMN.value);
  expect([typed.protection?.locked, (typed.fill as { fgColor?: { argb?: string } }).fgColor?.argb]).toEqual([false, 'FFFFFFE0']);

  // The blank template, uploaded as it is, is not refused for the 由台账自动统计 cells, and reads no figure from them.
  const outcome = await parseSubmissionFile({ bytes: new Uint8Array(readFileSync(path.join(work, 'template.xlsx'))), fileName: 'template.xlsx', county, catalogue: county.catalogue, year: 2021, unitId: unit.id });
  const problems = outcome.ok ? outcome.submission.warnings : outcome.problems;
  expect(problems.filter((p) => p.value === '由台账自动统计')).toEqual([]);
  expect(problems.filter((p) => p.severity === 'error' && p.code !== 'NOTHING_TO_SUBMIT')).toEqual([]);
});
