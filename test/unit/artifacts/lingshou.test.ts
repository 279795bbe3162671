import { execFileSync, spawnSync } from 'child_process';
import ExcelJS from 'exceljs';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { Artifact, renderArtifacts } from '../../../shared/core/artifacts';
import { COUNTY_TOTAL, SHEETS } from '../../../shared/core/artifacts/xlsx';
import { loadCatalogue } from '../../../shared/core/catalogue/load';
import { makeCollectionPlan } from '../../../shared/core/county/plan';
import { countyDirInRepo, loadCounty } from '../../../shared/core/county/load';
import { buildReport } from '../../../shared/core/report/build-report';
import { Report, ReportSchema } from '../../../shared/core/report/schema';
import { loadSamples } from '../../e2e/fidelity-helpers';
import { openDocx, paragraphs, part } from './ooxml';

/**
 * The real thing: Lingshou's 2021 sample submissions, parsed and aggregated
 * by the pipeline's own code, rendered into every artifact.
 */
describe('artifacts for the Lingshou 2021 sample', () => {
  let report: Report;
  let artifacts: Map<string, Artifact['body']>;

  beforeAll(async () => {
    const lingshou = loadCounty(countyDirInRepo('lingshou'));
    // Lingshou's report prints no rate computed as a ratio or coverage share, and every figure it prints has data:
    // collect a few more (as a county's catalogue.alsoCollect would) so each aggregation kind and an unprinted figure show.
    const config = { ...lingshou.config, catalogue: { ...lingshou.config.catalogue, alsoCollect: [...lingshou.config.catalogue.alsoCollect, 'legal_adviser_coverage', 'head_appearance_rate', 'normative_documents_reviewed'] } };
    const county = { ...lingshou, config, plan: (year: number) => makeCollectionPlan(lingshou.catalogue, config, lingshou.template(year)) };
    const catalogue = county.catalogue;
    const submissions = await loadSamples(county, catalogue, 2021);
    report = buildReport({ county, year: 2021, submissions, rejected: [], generatedAt: new Date('2022-01-12T01:00:00Z') });
    artifacts = new Map((await renderArtifacts(report)).map((a) => [a.fileName, a.body]));
  });

  const withValue = () => report.figures.filter((f) => f.value !== null);
  /** Figures the text prints (the catalogue has more indicators than the template uses). */
  const printed = () => {
    const ids = new Set(report.document.flatMap((b) => (b.kind === 'paragraph' ? b.segments : b.kind === 'heading2' ? b.body : [])).map((s) => s.figure));
    return withValue().filter((f) => ids.has(f.indicatorId));
  };

  it('report.json validates against the schema', () => {
    expect(ReportSchema.parse(JSON.parse(artifacts.get('report.json') as string))).toEqual(report);
    expect(withValue().length).toBeGreaterThanOrEqual(31); // every figure of the seed
  });

  it('report.docx has the report headings in order and every figure; the completeness table is in 报送情况.docx', async () => {
    const zip = await openDocx(artifacts.get('report.docx') as Uint8Array);
    const ps = paragraphs(await part(zip, 'word/document.xml'));
    const headings = ps.filter((p) => p.style === 'GwHeading1' || p.style === 'GwHeading2');
    const expected = report.document.flatMap((b) => (b.kind === 'heading1' ? [b.text] : b.kind === 'heading2' ? [b.text] : []));
    expect(headings.map((p) => (p.style === 'GwHeading2' ? p.runs[0]!.text : p.text))).toEqual(expected);
    expect(expected).toEqual(expect.arrayContaining(['一、工作开展情况', '二、法治政府建设中存在的问题', '三、下一步工作计划']));
    const text = ps.map((p) => p.text).join('\n');
    expect(printed().length).toBeGreaterThanOrEqual(25);
    for (const f of printed()) expect(text).toContain(f.display);
    // Who submitted when is internal: it is in 报送情况.docx, not in the published report.
    expect(ps.filter((p) => p.style === 'GwTableText')).toEqual([]);
    const internal = paragraphs(await part(await openDocx(artifacts.get('报送情况.docx') as Uint8Array), 'word/document.xml'));
    for (const u of report.completeness.units) expect(internal.map((p) => p.text)).toContain(u.unitName);
  });

  it('report.html links every figure to its sources', () => {
    const html = artifacts.get('report.html') as string;
    for (const f of printed()) expect(html).toContain(`<a class="figure" href="#figure-${f.indicatorId}">${f.display}</a>`);
    for (const f of printed()) {
      expect(html).toContain(`<tr id="figure-${f.indicatorId}">`);
      for (const s of f.sources) expect(html).toContain(s.s3Key);
    }
    // Only what the text prints: an indicator the template never uses has no row.
    const unused = report.figures.filter((f) => !printed().includes(f) && f.value === null);
    expect(unused.length).toBeGreaterThan(0);
    for (const f of unused) expect(html).not.toContain(`<tr id="figure-${f.indicatorId}">`);
    const table = /<section id="figures">[\s\S]*?<\/section>/.exec(html)![0];
    expect(table).not.toMatch(/<td class="indicator">[^<]*[a-z_]{4,}/); // names, not ids
    expect(html).toContain('生成于 2022年1月12日 09:00');
  });

  it('data.xlsx totals are the report figures', async () => {
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.from(artifacts.get('data.xlsx') as Uint8Array) as unknown as ExcelJS.Buffer);
    const fixed = new Set<string>([SHEETS.summary, SHEETS.completeness, SHEETS.warnings, SHEETS.provenance]);
    const totals = new Map<string, unknown>();
    for (const sheet of workbook.worksheets.filter((s) => !fixed.has(s.name))) {
      sheet.eachRow((row) => {
        if (row.getCell(3).value === COUNTY_TOTAL) totals.set(row.getCell(2).value as string, row.getCell(4).value ?? null);
      });
    }
    expect(Object.fromEntries(totals)).toEqual(Object.fromEntries(report.figures.map((f) => [f.indicatorId, f.value])));
    expect(workbook.getWorksheet(SHEETS.completeness)!.rowCount).toBeGreaterThan(report.completeness.units.length);
  });

  it('data.xlsx per-unit rows add up to the county figure for every aggregation kind', async () => {
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.from(artifacts.get('data.xlsx') as Uint8Array) as unknown as ExcelJS.Buffer);
    const fixed = new Set<string>([SHEETS.summary, SHEETS.completeness, SHEETS.warnings, SHEETS.provenance]);
    // indicator id → its per-unit rows [unit, value, measure, note]
    const unitRowsOf = new Map<string, [string, number, string, string][]>();
    for (const sheet of workbook.worksheets.filter((s) => !fixed.has(s.name))) {
      sheet.eachRow((row, n) => {
        if (n === 1 || row.getCell(3).value === COUNTY_TOTAL) return;
        const id = row.getCell(2).value as string;
        unitRowsOf.set(id, [...(unitRowsOf.get(id) ?? []), [row.getCell(3).value as string, row.getCell(4).value as number, String(row.getCell(5).value), String(row.getCell(7).value ?? '')]]);
      });
    }
    const byId = new Map(report.figures.map((f) => [f.indicatorId, f]));
    const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
    const checked = new Set<string>();
    for (const f of withValue()) {
      const rows = unitRowsOf.get(f.indicatorId) ?? [];
      const values = rows.map((r) => r[1]);
      const kind = f.aggregation!.kind;
      checked.add(kind);
      switch (kind) {
        case 'sum':
          expect([f.indicatorId, sum(values)]).toEqual([f.indicatorId, f.value]);
          break;
        case 'max':
          expect([f.indicatorId, Math.max(...values)]).toEqual([f.indicatorId, f.value]);
          break;
        case 'coverage_count':
          // One row per unit, 1 when covered: 15 townships with mediators are 15 rows of 1, not 35 mediators.
          expect(new Set(values).size <= 2 && values.every((v) => v === 0 || v === 1)).toBe(true);
          expect([f.indicatorId, sum(values)]).toEqual([f.indicatorId, f.value]);
          expect(rows.every((r) => /^(已|未)覆盖：/.test(r[3]))).toBe(true);
          break;
        case 'coverage_share':
          expect(values.every((v) => v === 0 || v === 1)).toBe(true);
          expect(Math.round((sum(values) / f.expectedUnits.length) * 10000) / 100).toBe(f.value);
          break;
        case 'ratio': {
          const numerator = byId.get(f.aggregation!.numerator!)!;
          const denominator = byId.get(f.aggregation!.denominator!)!;
          expect(sum(rows.filter((r) => r[3] === `分子：${numerator.name}`).map((r) => r[1]))).toBe(numerator.value);
          expect(sum(rows.filter((r) => r[3] === `分母：${denominator.name}`).map((r) => r[1]))).toBe(denominator.value);
          expect(rows.length).toBe(numerator.sources.length + denominator.sources.length);
          break;
        }
        case 'all':
          // A yes/no fact every expected unit must answer 是: one row per unit, 1 for 是.
          expect(values.every((v) => v === 0 || v === 1)).toBe(true);
          expect([f.indicatorId, values.every((v) => v === 1) && rows.length === f.expectedUnits.length ? 1 : 0]).toEqual([f.indicatorId, f.value]);
          break;
        default:
          throw new Error(`no per-unit check for ${kind}`);
      }
    }
    expect([...checked].sort()).toEqual(['all', 'coverage_count', 'coverage_share', 'max', 'ratio', 'sum']);
    // The mediator example of issue 12: 灵寿镇 is one covered township, not its 3 mediators.
    expect(unitRowsOf.get('townships_with_full_time_mediators')!.find((r) => r[0] === '灵寿县灵寿镇人民政府')!.slice(1, 2)).toEqual([1]);
  });

  it('report.docx converts to a PDF of the expected length where LibreOffice is installed', () => {
    const office = ['soffice', 'libreoffice'].find((bin) => spawnSync('which', [bin]).status === 0);
    const bytes = artifacts.get('report.docx') as Uint8Array;
    expect(Buffer.from(bytes).subarray(0, 2).toString('latin1')).toBe('PK');
    if (!office) {
      // CI installs LibreOffice (.ci/run), so there the PDF check always runs; test/e2e/report-print.test.ts names its absence elsewhere.
      expect(process.env.CI).not.toBe('true');
      return;
    }
    const dir = mkdtempSync(join(tmpdir(), 'lingshou-docx-'));
    try {
      writeFileSync(join(dir, 'report.docx'), bytes);
      execFileSync(office, [`-env:UserInstallation=file://${dir}/profile`, '--headless', '--convert-to', 'pdf', '--outdir', dir, join(dir, 'report.docx')], {
        stdio: 'pipe',
        timeout: 120_000,
      });
      const pdf = readFileSync(join(dir, 'report.pdf')).toString('latin1');
      const pages = (pdf.match(/\/Type\s*\/Page[^s]/g) ?? []).length;
      // ~5,700 characters at 28 × 22 a page is nine or ten pages, then the 39-unit annex.
      expect(pages).toBeGreaterThanOrEqual(9);
      expect(pages).toBeLessThanOrEqual(16);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
