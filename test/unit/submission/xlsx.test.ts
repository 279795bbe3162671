import ExcelJS from 'exceljs';
import { filledJusticeBureauWorkbook, fillWorkbook, templateFor } from '../../fixtures/submissions/make-fixtures';
import { indicatorsToTypeForUnit, ledgersForUnit } from '../../../shared/core/submission/assignment';
import { catalogue, county, errorsOf, parse, warningsOf } from './context';

describe('the Excel template', () => {
  let template: Buffer;
  beforeAll(async () => {
    template = await templateFor('justice_bureau');
  });

  it('has the cover, only this unit\'s indicators, its ledgers, narratives and instructions', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(template as unknown as ArrayBuffer);
    const unit = county.config.units.find((u) => u.id === 'justice_bureau')!;
    const ledgers = ledgersForUnit(county, 2021, unit).map((l) => l.name);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['封面', '指标', ...ledgers, '工作情况', '说明']);
    const codes: string[] = [];
    wb.getWorksheet('指标')!.eachRow((row, n) => {
      if (n > 1) codes.push(String(row.getCell(5).value));
    });
    expect(codes).toEqual(indicatorsToTypeForUnit(county, 2021, unit).map((i) => i.id));
    expect(codes).not.toContain('services_fully_online'); // the approval bureau's
    expect(codes).not.toContain('head_appearance_rate'); // computed: lawsuits_head_appeared / lawsuits_received
    expect(codes).toContain('lawsuits_received');
    // Asked only for what the 2021 report prints: the appearance count feeds no sentence.
    expect(codes).not.toContain('lawsuits_head_appeared');
    expect(wb.getWorksheet('封面')!.getCell('B4').value).toBe('灵寿县司法局');
  });

  it('validates input cells and protects headers', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(template as unknown as ArrayBuffer);
    const indicators = wb.getWorksheet('指标')!;
    const meetingRow = findRow(indicators, 'legality_review_meeting_items');
    const cell = `C${meetingRow}`;
    // A whole number ≥ 0, or the words for "did not happen" and "no data yet": never a forced false 0.
    expect(indicators.getCell(cell).dataValidation).toMatchObject({
      type: 'custom',
      formulae: [`OR(AND(ISNUMBER(${cell}),${cell}>=0,INT(${cell})=${cell}),${cell}="未发生",${cell}="暂无数据")`],
    });
    expect(indicators.getCell(`C${meetingRow}`).protection).toMatchObject({ locked: false });
    expect(indicators.getCell('A1').protection?.locked).not.toBe(false);
    const lawsuits = wb.getWorksheet('行政诉讼案件台账')!;
    expect(lawsuits.getCell('D2').dataValidation).toMatchObject({ type: 'list', formulae: ['"已结案,审理中"'] });
    expect(lawsuits.getCell('E2').dataValidation).toMatchObject({ type: 'list', formulae: ['"是,否"'] });
    expect(lawsuits.getCell('B2').dataValidation).toMatchObject({ type: 'date' });
    // exceljs keeps sheet protection in the model it reads back.
    expect((lawsuits as unknown as { sheetProtection?: { sheet?: boolean } }).sheetProtection?.sheet).toBe(true);
  });

  it('round-trips: filled by code, parsed, accepted with the values and their cells', async () => {
    const out = await parse(new Uint8Array(await filledJusticeBureauWorkbook()), 'filled.xlsx');
    if (!out.ok) throw new Error(JSON.stringify(out.problems, null, 1));
    const s = out.submission;
    const byId = new Map(s.indicators.map((i) => [i.indicatorId, i]));
    expect(byId.get('legality_review_meeting_items')).toMatchObject({ value: 125, approximate: false, source: { sheet: '指标', cell: `C${s.indicators[0]!.source.row}` } });
    expect(byId.get('enforcement_staff_trained')).toMatchObject({ value: 1000, approximate: true, raw: '1000余' });
    expect(byId.get('civil_code_booklets')).toMatchObject({ value: 3000, approximate: true, raw: '3000余册' });
    expect(s.contact).toEqual({ name: '张三', phone: '0311-82522000' });
    expect(s.ledgers.lawsuit_cases).toEqual([
      { row: 2, fields: { case_no: '(2021)冀0126行初1号', filed_date: '2021-03-05', defendant: '灵寿县自然资源和规划局', status: '已结案', head_appeared: true, outcome: '胜诉' } },
      { row: 3, fields: { case_no: '(2021)冀0126行初2号', filed_date: '2021-04-01', defendant: '灵寿县住房和城乡建设局', status: '审理中', head_appeared: false, outcome: null } },
    ]);
    expect(s.narratives).toEqual([expect.objectContaining({ section: 'leadership', source: { sheet: '工作情况', cell: 'B2', row: 2 } })]);
    // The untouched ledger sheets are "not kept", not "none".
    expect(Object.keys(s.ledgers)).toEqual(['lawsuit_cases']);
    expect(warningsOf(out).filter((w) => w.code === 'LEDGER_SUMMARY_DISAGREE')).toEqual([]);
  });

  it('reports bad cells by sheet and A1 cell, all in one pass', async () => {
    const bytes = await fillWorkbook(await templateFor('justice_bureau'), (wb) => {
      const lawsuits = wb.getWorksheet('行政诉讼案件台账')!;
      lawsuits.getRow(2).values = ['A1', '2021-02-30', '', '在审', '也许', '胜诉'];
      lawsuits.getRow(3).values = ['', '2021-03-01', '', '已结案'];
      const indicators = wb.getWorksheet('指标')!;
      const row = findRow(indicators, 'legality_review_meeting_items');
      indicators.getCell(`C${row}`).value = '约40';
      indicators.getCell(`C${row + 1}`).value = -2;
    });
    const out = await parse(new Uint8Array(bytes), 'bad.xlsx');
    expect(errorsOf(out).map((p) => [p.code, p.sheet, p.cell])).toEqual([
      ['APPROXIMATE_NOT_ALLOWED', '指标', 'C2'],
      ['NEGATIVE_NUMBER', '指标', 'C3'],
      ['BAD_DATE', '行政诉讼案件台账', 'B2'],
      ['BAD_ENUM', '行政诉讼案件台账', 'D2'],
      ['BAD_BOOLEAN', '行政诉讼案件台账', 'E2'],
      ['REQUIRED_CELL_EMPTY', '行政诉讼案件台账', 'A3'],
    ]);
  });

  it('takes a formula\'s cached value and flags it', async () => {
    const bytes = await fillWorkbook(await templateFor('justice_bureau'), (wb) => {
      const indicators = wb.getWorksheet('指标')!;
      const row = findRow(indicators, 'legality_review_meeting_items');
      indicators.getCell(`C${row}`).value = { formula: '100+25', result: 125 } as ExcelJS.CellFormulaValue;
    });
    const out = await parse(new Uint8Array(bytes), 'f.xlsx');
    expect(out.ok && out.submission.indicators.find((i) => i.indicatorId === 'legality_review_meeting_items')?.value).toBe(125);
    expect(warningsOf(out)).toContainEqual(expect.objectContaining({ code: 'FORMULA_CELL', sheet: '指标', cell: 'C2' }));
  });

  it.each([
    ['UNIT_MISMATCH', 'B4', '灵寿县教育局'],
    ['YEAR_MISMATCH', 'B5', 2020],
    ['COUNTY_MISMATCH', 'B3', '平山县'],
  ])('rejects a cover sheet naming another unit, year or county (%s)', async (code, cell, value) => {
    const bytes = await fillWorkbook(await templateFor('justice_bureau'), (wb) => {
      wb.getWorksheet('封面')!.getCell(cell).value = value;
      wb.getWorksheet('工作情况')!.getCell('B2').value = '内容';
    });
    const out = await parse(new Uint8Array(bytes), 'c.xlsx');
    expect(errorsOf(out)).toEqual([expect.objectContaining({ code, sheet: '封面', cell })]);
  });

  it('keeps a percentage typed with its sign as the percent value', async () => {
    const typed = county.config.units.flatMap((u) => indicatorsToTypeForUnit(county, 2021, u).filter((i) => i.unit === '%').map((i) => ({ unit: u, indicator: i })));
    const first = typed[0];
    if (!first) throw new Error('no unit types a % indicator to test with');
    const bytes = await fillWorkbook(await templateFor(first.unit.id), (wb) => {
      const sheet = wb.getWorksheet('指标')!;
      const cell = sheet.getCell(`C${findRow(sheet, first.indicator.id)}`);
      expect(cell.numFmt).toBe('@');
      cell.value = '85%';
    });
    const out = await parse(new Uint8Array(bytes), 'p.xlsx', first.unit.id);
    expect(out.ok && out.submission.indicators.find((i) => i.indicatorId === first.indicator.id)).toMatchObject({ value: 85, approximate: false, raw: '85%' });
  });

  it('rejects a workbook without any sheet it knows, and names the sheet it ignored', async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('Sheet1').getCell('A1').value = '收案数';
    wb.getWorksheet('Sheet1')!.getCell('B1').value = 12;
    const out = await parse(new Uint8Array(await wb.xlsx.writeBuffer()), 'own.xlsx');
    expect(errorsOf(out).map((p) => p.code)).toEqual(['XLSX_NO_KNOWN_SHEETS']);
    expect(warningsOf(out)).toEqual([expect.objectContaining({ code: 'UNKNOWN_SHEET', sheet: 'Sheet1' })]);
  });

  it('reads a ledger from a sheet with a careless name by its header row', async () => {
    const wb = new ExcelJS.Workbook();
    const sheet = wb.addWorksheet('Sheet1');
    sheet.addRow(['2021年行政诉讼案件登记表']);
    sheet.addRow(['案号', '立案日期', '办理状态', '是否出庭']);
    sheet.addRow(['(2021)冀0126行初1号', '2021.3.5', '已结案', '√']);
    const out = await parse(new Uint8Array(await wb.xlsx.writeBuffer()), 'own.xlsx');
    if (!out.ok) throw new Error(JSON.stringify(out.problems));
    expect(out.submission.ledgers.lawsuit_cases).toEqual([
      { row: 3, fields: { case_no: '(2021)冀0126行初1号', filed_date: '2021-03-05', status: '已结案', head_appeared: true } },
    ]);
    expect(out.submission.warnings).toContainEqual(expect.objectContaining({ code: 'SHEET_RECOGNISED_BY_HEADER', sheet: 'Sheet1' }));
  });

  it('rejects an untouched template: nothing to submit', async () => {
    const out = await parse(new Uint8Array(await templateFor('justice_bureau')), 't.xlsx');
    expect(errorsOf(out).map((p) => p.code)).toEqual(['NOTHING_TO_SUBMIT']);
  });
});

function findRow(ws: ExcelJS.Worksheet, code: string): number {
  let found = 0;
  ws.eachRow((row, n) => {
    if (row.getCell(5).value === code) found = n;
  });
  if (!found) throw new Error(`no row for ${code}`);
  return found;
}
