import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { renderDocx } from '../../shared/core/artifacts/docx';
import { renderInternalDocx } from '../../shared/core/artifacts/internal-docx';
import { chineseDateTime } from '../../shared/core/county/time';
import { imprintLines } from '../../shared/core/artifacts/labels';
import { countyDirInRepo, loadCounty, type LoadedCounty } from '../../shared/core/county/load';
import { buildReport } from '../../shared/core/report/build-report';
import type { Report } from '../../shared/core/report/schema';
import { loadSamples } from './fidelity-helpers';
import { calcInstalled, docxTexts, office, PAGE_NUMBER, popplerInstalled, printDocx, printXlsx, withoutWhitespace, type PrintedPdf } from './libreoffice';
import { renderXlsx } from '../../shared/core/artifacts/xlsx';
import { figureText, partialNote, sourceFileName, sourcePlace, sourceValueText, unitNames } from '../../shared/core/artifacts/labels';

/**
 * report.docx read as the county office reads it: laid out by LibreOffice,
 * printed to PDF, and the printed text read back with pdftotext. Every
 * character of the document, punctuation included, must be on the pages.
 *
 * CI installs LibreOffice and poppler (.ci/run), so there the check always
 * runs and a missing soffice fails it. A developer machine without them is
 * told so by name instead of passing quietly.
 */
const LINES_PER_PAGE = 22;
const CHARS_PER_LINE = 28;

const canPrint = Boolean(office) && popplerInstalled;
const inCi = process.env.CI === 'true';

async function countyReport(configure: (county: LoadedCounty) => LoadedCounty = (c) => c, skip: readonly string[] = [], countyId = 'lingshou'): Promise<Report> {
  const county = configure(loadCounty(countyDirInRepo(countyId)));
  const catalogue = county.catalogue;
  const submissions = await loadSamples(county, catalogue, 2021, skip);
  return buildReport({ county, year: 2021, submissions, rejected: [], generatedAt: new Date('2022-01-12T01:00:00Z') });
}

/**
 * The lines after the text: 特此报告, issuer, date, 附注. (The 版记 may stand
 * alone: GB/T 9704 puts it on the last page, which may hold nothing else.)
 */
function closingLines(report: Report): string[] {
  const lines = report.document.flatMap((b) => (b.kind === 'closing' || b.kind === 'signature' || b.kind === 'date' || b.kind === 'note' ? [b.text] : []));
  return lines.map(withoutWhitespace);
}

/** Where two texts part, with some context: a failure names the characters, not 6000 of them. */
function firstDifference(printed: string, written: string): string | null {
  if (printed === written) return null;
  let i = 0;
  while (i < printed.length && i < written.length && printed[i] === written[i]) i++;
  return `at ${i}: printed “…${printed.slice(Math.max(0, i - 15), i + 15)}…”, written “…${written.slice(Math.max(0, i - 15), i + 15)}…”`;
}

function expectPrintedAsWritten(printed: PrintedPdf, texts: { running: string[]; cells: string[] }) {
  let all = printed.pages.map((p) => withoutWhitespace(p.replace(PAGE_NUMBER, ''))).join('');
  // Table cells come back in pdftotext's own order (and a header row once per page): each
  // must be printed whole; the running text around the tables, in order, character for character.
  const cells = [...new Set(texts.cells.map(withoutWhitespace).filter(Boolean))].sort((a, b) => b.length - a.length);
  const unprinted = cells.filter((cell) => !all.includes(cell));
  expect(unprinted).toEqual([]);
  const running = withoutWhitespace(texts.running.join(''));
  if (cells.length) for (const cell of cells) all = all.split(cell).join('');
  expect(firstDifference(all, cells.length ? cells.reduce((t, cell) => t.split(cell).join(''), running) : running)).toBeNull();
}

function expectNoPageOfClosingLinesOnly(printed: PrintedPdf, report: Report) {
  const closing = closingLines(report);
  const imprint = report.document.flatMap((b) => (b.kind === 'imprint' ? imprintLines(b).map(withoutWhitespace) : []));
  for (const page of printed.pages) {
    let text = withoutWhitespace(page.replace(PAGE_NUMBER, ''));
    for (const line of imprint) text = text.replace(line, '');
    if (!closing.some((line) => text.includes(line))) continue;
    for (const line of closing) text = text.replace(line, '');
    // Whatever else the page holds, there is some of the report's text on it.
    expect(text.length).toBeGreaterThan(CHARS_PER_LINE);
  }
}

/**
 * The closing lines keep the last paragraph's last lines with them, not the whole paragraph: the page before
 * the one with 特此报告 is not left mostly blank (LibreOffice once printed 7 lines and 14 blank ones there).
 */
function expectPageBeforeClosingFilled(printed: PrintedPdf, report: Report) {
  const closing = report.document.find((b) => b.kind === 'closing');
  if (!closing || closing.kind !== 'closing') return;
  const at = printed.pages.findIndex((p) => withoutWhitespace(p).includes(withoutWhitespace(closing.text)));
  expect(at).toBeGreaterThanOrEqual(0);
  if (at === 0) return;
  const before = withoutWhitespace(printed.pages[at - 1]!.replace(PAGE_NUMBER, '')).length;
  expect(before).toBeGreaterThan((LINES_PER_PAGE - 5) * CHARS_PER_LINE * 0.8);
}

/** Table rows of 小四 on a 20 pt line, in the 225 mm block: about 30 a page. */
const TABLE_ROWS_PER_PAGE = 30;

function expectPageCount(printed: PrintedPdf, texts: { running: string[]; tableRows: number }) {
  // Pages are numbered 1..n in the footer, and there are about as many as the text needs.
  const numbers = printed.pages.map((p) => Number((p.match(PAGE_NUMBER) ?? ['0'])[0].replace(/\D/g, '')));
  expect(numbers).toEqual(numbers.map((_, i) => i + 1));
  const least = Math.ceil(withoutWhitespace(texts.running.join('')).length / (LINES_PER_PAGE * CHARS_PER_LINE));
  expect(printed.pageCount).toBeGreaterThanOrEqual(least);
  // Room for headings, short last lines, the closing block, and each annex on its own pages.
  expect(printed.pageCount).toBeLessThanOrEqual(least + 3 + Math.ceil(texts.tableRows / TABLE_ROWS_PER_PAGE));
}

if (canPrint || inCi) {
  describe('report.docx printed by LibreOffice', () => {
    it('LibreOffice and poppler are installed (CI installs them in .ci/run)', () => {
      expect({ soffice: office ?? null, poppler: popplerInstalled }).toEqual({ soffice: expect.any(String), poppler: true });
    });

    it.each([
      ['the Lingshou report, punctuation included, on numbered pages, closing lines never alone', 'lingshou'],
      ['the fictional Qingshan demo report too (a thematic layout)', 'qingshan_demo'],
    ])('prints every character of %s', async (_, countyId) => {
      const report = await countyReport(undefined, [], countyId);
      const bytes = await renderDocx(report);
      const printed = printDocx(bytes);
      const texts = await docxTexts(bytes);
      expectPrintedAsWritten(printed, texts);
      expectPageCount(printed, texts);
      expectNoPageOfClosingLinesOnly(printed, report);
      expectPageBeforeClosingFilled(printed, report);
    });

    it('prints a draft with units missing after the deadline: the notice on page 1, marks and comments adding no printed character', async () => {
      const all = readdirSync(join(countyDirInRepo('lingshou'), 'samples', '2021')).map((f) => f.replace(/\.json$/, ''));
      const report = await countyReport(undefined, all.filter((u) => u !== 'justice_bureau'));
      const bytes = await renderDocx(report);
      const printed = printDocx(bytes);
      expectPrintedAsWritten(printed, await docxTexts(bytes));
      const notice = report.document.find((b) => b.kind === 'notice')!;
      expect(notice.kind === 'notice' && withoutWhitespace(printed.pages[0]!).startsWith(withoutWhitespace(notice.text))).toBe(true);
      expectNoPageOfClosingLinesOnly(printed, report);
    });

    it('prints 报送情况.docx with no header, unit name or time of the completeness table wrapped', async () => {
      const report = await countyReport(undefined, ['beiwa_township']);
      const printed = printDocx(await renderInternalDocx(report));
      const text = printed.pages.map((p) => withoutWhitespace(p.replace(PAGE_NUMBER, ''))).join('');
      const cells = ['单位', '报送情况', '报送时间', ...report.completeness.units.flatMap((u) => [u.unitName, u.receivedAt ? chineseDateTime(new Date(u.receivedAt), report.timeZone!) : ''])];
      // A wrapped cell comes back in two pieces: each must be printed whole.
      expect(cells.map(withoutWhitespace).filter((c) => c && !text.includes(c))).toEqual([]);
    });

    it.each([
      ['the whole county', []],
      ['a draft with one unit of 39', 'all but justice_bureau'],
    ] as const)('prints 报送情况.docx of %s so the office can check it: numbered pages, sources named as found, no id, nothing split', async (_, skipping) => {
      const all = readdirSync(join(countyDirInRepo('lingshou'), 'samples', '2021')).map((f) => f.replace(/\.json$/, ''));
      const report = await countyReport(undefined, skipping === 'all but justice_bureau' ? all.filter((u) => u !== 'justice_bureau') : []);
      const printed = printDocx(await renderInternalDocx(report));
      // "第 n 页 共 N 页" at the foot of every page.
      expect(printed.pages.map((p) => /第\s*(\d+)\s*页\s*共\s*(\d+)\s*页/.exec(p)?.slice(1, 3).join('/'))).toEqual(printed.pages.map((_, i) => `${i + 1}/${printed.pageCount}`));
      const pages = printed.pages.map((p) => p.replace(/第\s*\d+\s*页\s*共\s*\d+\s*页/, ''));
      const text = pages.map(withoutWhitespace).join('');
      // Every unit's value, its unit, file and place, and every county value, printed whole on one line: a
      // number split across lines, or a name wrapped in a narrow column, would come back in pieces.
      const lines = new Set(pages.flatMap((p) => p.split('\n')).map(withoutWhitespace));
      const onOneLine = (cell: string) => [...lines].some((line) => line.includes(withoutWhitespace(cell)));
      const sourceCells = report.figures.flatMap((f) => [figureText(f), ...f.sources.flatMap((s) => [s.unitName, sourceValueText(s), sourceFileName(s), sourcePlace(s, s.partName ?? f.name)])]);
      expect([...new Set(sourceCells)].filter((c) => c && !onOneLine(c))).toEqual([]);
      // No internal id where a person reads: file names are the units' own (the demo's samples are named by id).
      const files = [...new Set(report.figures.flatMap((f) => f.sources.map(sourceFileName)))];
      const withoutFiles = files.reduce((t, f) => t.split(withoutWhitespace(f)).join(''), text);
      expect(withoutFiles).not.toMatch(/indicators\.|台账[a-z]|[a-z]+_[a-z_]+/);
      // The partial table lists only what the draft prints.
      const printedIds = new Set(report.document.flatMap((b) => (b.kind === 'paragraph' ? b.segments : b.kind === 'heading2' ? b.body : [])).flatMap((seg) => (seg.figure ? [seg.figure] : [])));
      for (const f of report.figures.filter((x) => x.partial && !printedIds.has(x.indicatorId))) {
        expect(text).toContain(withoutWhitespace(`${f.name}`));
        expect(text).not.toContain(withoutWhitespace(`${f.name}${f.display}${f.unit}${unitNames(report).get(f.partial!.missingUnits[0]!)}`));
      }
    });

    it('prints data.xlsx\u2019s 来源 sheet readably: landscape, numbered pages, every source on its row, partial figures noted', async () => {
      // Calc prints workbooks; CI installs it (.ci/run) and fails without it, like LibreOffice itself.
      expect({ calc: calcInstalled }).toEqual({ calc: true });
      const all = readdirSync(join(countyDirInRepo('lingshou'), 'samples', '2021')).map((f) => f.replace(/\.json$/, ''));
      const report = await countyReport(undefined, all.filter((u) => u !== 'justice_bureau'));
      const printed = printXlsx(await renderXlsx(report));
      expect(printed.landscape).toBe(true);
      const sourcePages = printed.pages.filter((p) => p.includes('数据来源'));
      expect(sourcePages.length).toBeGreaterThan(0);
      for (const page of printed.pages) expect(page).toMatch(/第\s*\d+\s*页，共\s*\d+\s*页/);
      const text = sourcePages.map(withoutWhitespace).join('');
      // Every source is printed: each unit's file as many times as it gives a figure, and every unit named whole.
      const count = (needle: string) => text.split(withoutWhitespace(needle)).length - 1;
      const perFile = new Map<string, number>();
      for (const s of report.figures.flatMap((f) => f.sources)) perFile.set(sourceFileName(s), (perFile.get(sourceFileName(s)) ?? 0) + 1);
      expect(Object.fromEntries([...perFile.keys()].map((file) => [file, count(file)]))).toEqual(Object.fromEntries(perFile));
      for (const s of report.figures.flatMap((f) => f.sources)) expect(text).toContain(withoutWhitespace(s.unitName));
      for (const f of report.figures.filter((x) => x.partial)) expect(text).toContain(withoutWhitespace(partialNote(f, unitNames(report))));
      // No id, key or version printed: those columns are hidden.
      expect(text).not.toMatch(/submissions\/|indicators\.|台账[a-z]/);
    });

    it('prints the 版头 and 版记 a county configures, every character of them', async () => {
      const report = await countyReport((county) => ({
        ...county,
        config: { ...county.config, documentFrame: { masthead: '灵寿县人民政府文件', copyTo: ['县纪委监委', '县法院', '县检察院'], printedBy: '灵寿县人民政府办公室' } },
      }));
      const bytes = await renderDocx(report);
      const printed = printDocx(bytes);
      const texts = await docxTexts(bytes);
      expectPrintedAsWritten(printed, texts);
      const first = withoutWhitespace(printed.pages[0]!);
      expect(first.startsWith('灵寿县人民政府文件灵政函〔2022〕6号灵寿县人民政府')).toBe(true);
      // The 版记 sits at the foot of the last page, level with the page number, which pdftotext may read in between.
      const last = withoutWhitespace(printed.pages[printed.pageCount - 1]!.replace(PAGE_NUMBER, ''));
      expect(last).toContain('抄送：县纪委监委，县法院，县检察院。灵寿县人民政府办公室2022年1月14日印发');
      expectNoPageOfClosingLinesOnly(printed, report);
    });
  });
} else {
  describe('report.docx printed by LibreOffice', () => {
    it('is NOT checked on this machine: soffice or pdftotext is missing (apt-get install -y libreoffice-writer-nogui libreoffice-calc-nogui fonts-noto-cjk poppler-utils; CI installs them and fails without them)', () => {
      expect(canPrint).toBe(false);
    });
  });
}
