import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { COUNTY_TOTAL, SHEETS, renderXlsx, sheetNameFor } from '../../../shared/core/artifacts/xlsx';
import { Report } from '../../../shared/core/report/schema';
import { sampleReport } from './fixtures/report';

async function readBack(bytes: Uint8Array): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(Buffer.from(bytes) as unknown as ExcelJS.Buffer);
  return workbook;
}

/** Rows as arrays of plain cell values (index 0 = column A), header row first. */
function rows(sheet: ExcelJS.Worksheet): unknown[][] {
  const out: unknown[][] = [];
  sheet.eachRow({ includeEmpty: true }, (row) => {
    const values: unknown[] = [];
    for (let c = 1; c <= sheet.columnCount; c++) values.push(row.getCell(c).value ?? null);
    out.push(values);
  });
  return out;
}

describe('data.xlsx', () => {
  let report: Report;
  let workbook: ExcelJS.Workbook;
  let bytes: Uint8Array;

  beforeAll(async () => {
    report = sampleReport();
    bytes = await renderXlsx(report);
    workbook = await readBack(bytes);
  });

  it('has a summary, one sheet per report section, then completeness, warnings and provenance', () => {
    expect(workbook.worksheets.map((s) => s.name)).toEqual([
      SHEETS.summary,
      '（一）构建系统完备、科学规范、运行有效的依法行政制度体系和健全科学、民主、依法决策机制情况'.slice(0, 30) + '…',
      '（二）健全政府机构职能体系',
      '（三）推进严格规范公正文明执法',
      '（四）健全社会矛盾纠纷行政预防调处化解体系',
      SHEETS.completeness,
      SHEETS.warnings,
      SHEETS.provenance,
    ]);
  });

  it('lists each indicator by unit with the county total, and the totals are the report figures', () => {
    const sectionSheets = workbook.worksheets.slice(1, 5);
    const totals = new Map<string, unknown>();
    const byUnit = new Map<string, [unknown, unknown][]>();
    for (const sheet of sectionSheets) {
      const [header, ...body] = rows(sheet);
      expect(header).toEqual(['指标', '指标编号', '填报单位', '数值', '计量单位', '约数', '说明']);
      for (const [, id, unit, value] of body) {
        if (unit === COUNTY_TOTAL) totals.set(id as string, value);
        else byUnit.set(id as string, [...(byUnit.get(id as string) ?? []), [unit, value]]);
      }
    }
    expect(Object.fromEntries(totals)).toEqual(Object.fromEntries(report.figures.map((f) => [f.indicatorId, f.value])));
    const mediators = report.figures.find((f) => f.indicatorId === 'mediators_fulltime')!;
    expect(byUnit.get('mediators_fulltime')).toEqual(mediators.sources.map((s) => [s.unitName, s.value]));
    // Values are numbers, not text: they add up in the spreadsheet.
    expect(byUnit.get('mediators_fulltime')!.reduce((sum, [, v]) => sum + (v as number), 0)).toBe(mediators.value);
  });

  it('marks the missing figure and its missing unit', () => {
    const sheet = workbook.getWorksheet('（四）健全社会矛盾纠纷行政预防调处化解体系')!;
    const total = rows(sheet).find((r) => r[1] === 'legal_advisers_hired' && r[2] === COUNTY_TOTAL)!;
    expect(total[3]).toBeNull();
    expect(total[6]).toBe('待补充；未报：灵寿县岔头镇人民政府');
    const summary = rows(workbook.getWorksheet(SHEETS.summary)!).find((r) => r[1] === 'legal_advisers_hired')!;
    expect(summary[5]).toBe('待补充');
  });

  it('puts figures the text does not print on a last sheet, without claiming the draft has a gap', async () => {
    const extra = sampleReport();
    extra.figures.push({ ...extra.figures[6]!, indicatorId: 'normative_documents_filed', name: '行政规范性文件报备件数' });
    const book = await readBack(await renderXlsx(extra));
    expect(book.worksheets.map((s) => s.name).slice(-4)).toEqual([SHEETS.other, SHEETS.completeness, SHEETS.warnings, SHEETS.provenance]);
    const total = rows(book.getWorksheet(SHEETS.other)!).find((r) => r[2] === COUNTY_TOTAL)!;
    expect(total.slice(1, 4)).toEqual(['normative_documents_filed', COUNTY_TOTAL, null]);
    expect(total[6]).toBe('无数据；未报：灵寿县岔头镇人民政府');
  });

  it('records completeness per unit and in total', () => {
    const sheetRows = rows(workbook.getWorksheet(SHEETS.completeness)!);
    expect(sheetRows.find((r) => r[1] === 'chatou_town')!.slice(0, 4)).toEqual(['灵寿县岔头镇人民政府', 'chatou_town', '未报送', '否']);
    expect(sheetRows.find((r) => r[1] === 'tashang_town')!.slice(2, 4)).toEqual(['已采用', '是']);
    const counts = Object.fromEntries(sheetRows.filter((r) => typeof r[0] === 'string' && r[0].endsWith('单位数')).map((r) => [r[0], r[2]]));
    expect(counts).toEqual({ 应报单位数: 6, 已报单位数: 5, 采用单位数: 5, 逾期单位数: 1, 未报单位数: 1 });
  });

  it('prints the sources sheet with seven readable columns, the ids and keys kept in hidden ones', () => {
    const sheet = workbook.getWorksheet(SHEETS.provenance)!;
    const [header] = rows(sheet);
    const visible = header!.filter((_, i) => !sheet.getColumn(i + 1).hidden);
    expect(visible).toEqual(['指标', '全县数', '填报单位', '填报数', '文件', '位置', '说明']);
    expect(sheet.pageSetup).toMatchObject({ orientation: 'landscape', fitToWidth: 1, fitToHeight: 0 });
    const place = rows(sheet).slice(1).map((r) => r[header!.indexOf('位置')]);
    expect(place).toContain('工作表“行政复议案件台账”，11行');
    expect(place.join('\n')).not.toMatch(/reconsideration_cases|indicators\./);
  });

  it('marks a partial figure as report.docx does: yellow, with the note its comment carries', async () => {
    const partial = sampleReport();
    const figure = partial.figures.find((f) => f.indicatorId === 'services_fully_online')!;
    figure.partial = { missingUnits: ['chatou_town'] };
    const book = await readBack(await renderXlsx(partial));
    const yellow = (cell: ExcelJS.Cell) => (cell.fill as ExcelJS.FillPattern | undefined)?.fgColor?.argb === 'FFFFFF00';
    const note = `不完整：“${figure.name}”未计入灵寿县岔头镇人民政府（未报送或被退回）`;
    const provenance = book.getWorksheet(SHEETS.provenance)!;
    provenance.eachRow((row, n) => {
      if (n === 1) return;
      const isPartial = row.getCell(1).value === figure.name;
      expect([row.getCell(1).value, yellow(row.getCell(4)), row.getCell(7).value ?? null]).toEqual([row.getCell(1).value, isPartial, isPartial ? note : null]);
    });
    const summary = book.getWorksheet(SHEETS.summary)!;
    summary.eachRow((row, n) => {
      if (n === 1) return;
      const isPartial = row.getCell(1).value === figure.name;
      expect([row.getCell(1).value, yellow(row.getCell(3))]).toEqual([row.getCell(1).value, isPartial]);
      if (isPartial) expect(row.getCell(3).note).toBe(note);
    });
  });

  it('traces every source to its file, version and place', () => {
    const [header, ...body] = rows(workbook.getWorksheet(SHEETS.provenance)!);
    expect(body).toHaveLength(report.figures.reduce((n, f) => n + f.sources.length, 0));
    const col = (name: string) => header!.indexOf(name);
    const row = body.find((r) => r[col('指标编号')] === 'services_fully_online')!;
    // Printed: the file as the unit named it and the place by what the file shows; the object key stays for engineers.
    expect(row[col('文件')]).toBe('审批局.json');
    expect(row[col('对象键')]).toBe('submissions/2021/approval_bureau/审批局.json');
    expect(row[col('版本')]).toBe(report.figures[1]!.sources[0]!.versionId);
    expect(row[col('路径')]).toBe('$.indicators[0]');
  });

  it('writes formula-looking text from submissions as text that cannot be evaluated', async () => {
    const warnings = workbook.getWorksheet(SHEETS.warnings)!;
    const provenance = workbook.getWorksheet(SHEETS.provenance)!;
    const cells: ExcelJS.Cell[] = [];
    for (const sheet of [warnings, provenance]) {
      sheet.eachRow((row) => row.eachCell((cell) => void (typeof cell.value === 'string' && /^[=+\-@]/.test(cell.value) && cells.push(cell))));
    }
    expect(cells.map((c) => c.value).sort()).toEqual(['+86 311 8234567', '=SUM(A1)']);
    for (const cell of cells) {
      expect(cell.type).toBe(ExcelJS.ValueType.String);
      expect(cell.formula).toBeUndefined();
      expect(cell.numFmt).toBe('@');
    }
    // And in the file itself: no formula element anywhere, the text is a shared string.
    const zip = await JSZip.loadAsync(bytes);
    const sheetXml = await Promise.all(Object.keys(zip.files).filter((n) => /^xl\/worksheets\/sheet\d+\.xml$/.test(n)).map((n) => zip.file(n)!.async('string')));
    expect(sheetXml.length).toBe(workbook.worksheets.length);
    for (const xml of sheetXml) expect(xml).not.toContain('<f>');
    expect(await zip.file('xl/sharedStrings.xml')!.async('string')).toContain('=SUM(A1)');
  });

  it('keeps sheet names within Excel rules and unique', () => {
    const taken = new Set<string>();
    expect(sheetNameFor('（一）a/b[c]:d*e?f\\g，其余', taken)).toBe('（一）abcdefg');
    expect(sheetNameFor('（一）a/b[c]:d*e?f\\g，另一句', taken)).toBe('（一）abcdefg（2）');
    expect(sheetNameFor('一'.repeat(40), taken)).toBe(`${'一'.repeat(30)}…`);
    expect(sheetNameFor('一'.repeat(40), taken)).toBe(`${'一'.repeat(28)}（2）`);
  });

  it('prints on A4 landscape, one page wide, the header row on every page, the full heading above', () => {
    for (const sheet of workbook.worksheets) {
      expect([sheet.name, sheet.pageSetup]).toEqual([
        sheet.name,
        expect.objectContaining({ paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0, printTitlesRow: '1:1' }),
      ]);
      expect(sheet.headerFooter.oddFooter).toContain('&P');
    }
    expect(workbook.worksheets[1]!.headerFooter.oddHeader).toBe('&L（一）构建系统完备、科学规范、运行有效的依法行政制度体系和健全科学、民主、依法决策机制情况。');
  });

  it('writes the time a unit submitted in the county’s local time, in Chinese', () => {
    const sheetRows = rows(workbook.getWorksheet(SHEETS.completeness)!);
    const times = sheetRows.slice(1).map((r) => r[4]).filter((t) => t !== null);
    expect(times.length).toBeGreaterThan(0);
    for (const t of times) expect(t).toMatch(/^\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}$/);
  });

  it('gives a distinct count’s units their own de-duplicated counts, the total de-duplicated again', async () => {
    const r = sampleReport();
    const base = r.figures[0]!;
    r.figures.push({
      ...base,
      indicatorId: 'distinct_staff',
      name: '持证执法人员数',
      value: 5,
      display: '5',
      aggregation: { kind: 'distinct_count' },
      sources: [
        { ...base.sources[0]!, unitName: '甲局', value: 3, location: { ledger: 'staff', rows: 3 } },
        { ...base.sources[0]!, unitName: '乙局', value: 3, location: { ledger: 'staff', rows: 3 } },
      ],
    });
    const book = await readBack(await renderXlsx(r));
    const all = book.worksheets.filter((s) => s.name !== SHEETS.summary).flatMap((s) => rows(s)).filter((row) => row[1] === 'distinct_staff');
    expect(all.map((row) => [row[2], row[3], row[6]])).toEqual([
      ['甲局', 3, '本单位去重；全县合计在各单位间再去重'],
      ['乙局', 3, '本单位去重；全县合计在各单位间再去重'],
      [COUNTY_TOTAL, 5, ''],
    ]);
  });
});
