import type { DataValidation, Worksheet } from 'exceljs';
import type { LoadedCatalogue } from '../catalogue/load';
import type { IndicatorDef, LedgerColumn, LedgerDef } from '../catalogue/schema';
import type { LoadedCounty } from '../county/load';
import type { Unit } from '../county/schema';
import { valueTypeOf } from '../catalogue/schema';
import { indicatorsToTypeForUnit, ledgersForUnit, narrativeSections } from './assignment';
import { COVER_LABELS, INDICATOR_COLUMNS, LEDGER_COUNTED_TEXT, NARRATIVE_COLUMNS, SHEETS, TEMPLATE_INDICATOR_COLUMN, TEMPLATE_LEDGER_ROWS, TEMPLATE_NARRATIVE_COLUMN } from './layout';
import type { LedgerRow, NormalizedSubmission } from './normalized';
import { BOOLEAN_CHOICES } from './normalize/boolean';
import { MAX_SUBMISSION_BYTES } from './limits';

/**
 * The Excel template one unit fills in: 封面, 指标 (only what that unit
 * submits), one sheet per ledger it keeps, 工作情况, 说明. Labels come from
 * layout.ts, which the parser reads with, so a filled template always parses.
 * Header cells are locked (sheet protection without a password: it stops
 * slips, not people); input cells are unlocked and carry data validation.
 */
export interface TemplateRequest {
  county: LoadedCounty;
  catalogue: LoadedCatalogue;
  year: number;
  unit: Unit;
  /** Fill the cells with this submission (a unit's sample data), as a clerk would type it. */
  prefill?: NormalizedSubmission;
}

const HEADER_FILL = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFDDEBF7' } } as const;
const INPUT_FILL = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFFFFE0' } } as const;
/** A figure the unit's ledger counts: grey, locked, not for typing. */
const COUNTED_FILL = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFEDEDED' } } as const;
const OPEN_RANGE_ROWS = TEMPLATE_LEDGER_ROWS + 1;

export async function buildTemplateWorkbook(req: TemplateRequest): Promise<Buffer> {
  const { default: ExcelJS } = await import('exceljs');
  const wb = new ExcelJS.Workbook();
  wb.creator = 'yearly-report';
  wb.created = new Date(Date.UTC(req.year + 1, 0, 1));

  const indicators = indicatorsToTypeForUnit(req.county, req.year, req.unit);
  const ledgers = ledgersForUnit(req.county, req.year, req.unit);
  await coverSheet(wb.addWorksheet(SHEETS.cover), req);
  await indicatorSheet(wb.addWorksheet(SHEETS.indicators), indicators, ledgers, req.prefill);
  for (const ledger of ledgers) await ledgerSheet(wb.addWorksheet(ledger.name), ledger, req.prefill?.ledgers[ledger.id]);
  await narrativeSheet(wb.addWorksheet(SHEETS.narratives), req);
  await instructionSheet(wb.addWorksheet(SHEETS.instructions), req, indicators, ledgers);
  for (const ws of wb.worksheets) printOnA4(ws, ws.name === SHEETS.indicators || ws.name === SHEETS.cover || ws.name === SHEETS.instructions ? 'portrait' : 'landscape');
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** Printed on A4 and fitted to one page wide (as many pages down as it takes), so nothing is cut at the right edge. */
function printOnA4(ws: Worksheet, orientation: 'portrait' | 'landscape'): void {
  ws.pageSetup = {
    ...ws.pageSetup,
    paperSize: 9, // A4
    orientation,
    fitToPage: true,
    fitToWidth: 1,
    fitToHeight: 0,
    horizontalCentered: true,
    margins: { left: 0.5, right: 0.5, top: 0.6, bottom: 0.6, header: 0.3, footer: 0.3 },
  };
  // The header row repeats on every printed page of a long sheet.
  if (ws.name !== SHEETS.cover && ws.name !== SHEETS.instructions) ws.pageSetup.printTitlesRow = '1:1';
}

/**
 * The height a wrapped row needs for `text` in a column `width` characters
 * wide (a Chinese character takes two): Excel and LibreOffice keep a row's
 * stored height, so a wrapped cell without one prints its first line only.
 */
function wrappedHeight(text: string, width: number): number {
  const units = [...text].reduce((n, ch) => n + (/[\u0000-\u00ff]/.test(ch) ? 1 : 2), 0);
  return Math.max(1, Math.ceil(units / Math.max(1, width - 2))) * 15 + 4;
}

/**
 * The unit's figures its own ledgers count, by indicator id, with the ledger's
 * name. A prefilled template (--fill-sample) counts only from ledgers the
 * sample has rows for: a sample that types a figure without its ledger keeps
 * it typed, as a clerk's file of that kind would be read.
 */
function countedByLedger(indicators: readonly IndicatorDef[], ledgers: readonly LedgerDef[], prefill?: NormalizedSubmission): Map<string, string> {
  const kept = new Map(ledgers.filter((l) => !prefill || (prefill.ledgers[l.id]?.length ?? 0) > 0).map((l) => [l.id, l.name]));
  return new Map(indicators.flatMap((d) => (d.fromLedger && kept.has(d.fromLedger.ledger) ? [[d.id, kept.get(d.fromLedger.ledger)!] as const] : [])));
}

async function protect(ws: Worksheet): Promise<void> {
  await ws.protect('', {
    selectLockedCells: true,
    selectUnlockedCells: true,
    formatColumns: true,
    formatRows: true,
    insertRows: true,
    deleteRows: true,
    sort: true,
    autoFilter: true,
  });
}

function headerRow(ws: Worksheet, labels: readonly string[]): void {
  const row = ws.getRow(1);
  labels.forEach((label, i) => {
    const cell = row.getCell(i + 1);
    cell.value = label;
    cell.font = { bold: true };
    cell.fill = HEADER_FILL;
    cell.alignment = { vertical: 'middle', horizontal: 'center', wrapText: true };
    cell.protection = { locked: true };
  });
  row.height = 30;
  ws.views = [{ state: 'frozen', ySplit: 1 }];
}

async function coverSheet(ws: Worksheet, req: TemplateRequest): Promise<void> {
  ws.columns = [{ width: 18 }, { width: 40 }];
  ws.mergeCells('A1:B1');
  const title = ws.getCell('A1');
  title.value = `${req.county.config.name}${req.year}年度法治政府建设情况报送表`;
  title.font = { bold: true, size: 14 };
  title.alignment = { horizontal: 'center' };
  const rows: [string, string | number, boolean][] = [
    [COVER_LABELS.county[0], req.county.config.name, false],
    [COVER_LABELS.unit[0], req.unit.name, false],
    [COVER_LABELS.year[0], req.year, false],
    [COVER_LABELS.contact[0], req.prefill?.contact?.name ?? '', true],
    [COVER_LABELS.phone[0], req.prefill?.contact?.phone ?? '', true],
  ];
  rows.forEach(([label, value, input], i) => {
    const r = ws.getRow(i + 3);
    r.getCell(1).value = label;
    r.getCell(1).font = { bold: true };
    r.getCell(1).fill = HEADER_FILL;
    const v = r.getCell(2);
    v.value = value === '' ? null : value;
    if (input) {
      v.protection = { locked: false };
      v.fill = INPUT_FILL;
    }
  });
  ws.getCell('A9').value = '说明：县、单位、年度由模板生成，请勿修改（须与本单位报送链接所属的单位和年度一致）。填写前请阅读“说明”工作表。';
  ws.mergeCells('A9:B9');
  ws.getCell('A9').alignment = { wrapText: true };
  ws.getRow(9).height = 32;
  await protect(ws);
}

async function indicatorSheet(ws: Worksheet, indicators: readonly IndicatorDef[], ledgers: readonly LedgerDef[], prefill?: NormalizedSubmission): Promise<void> {
  const counted = countedByLedger(indicators, ledgers, prefill);
  const C = TEMPLATE_INDICATOR_COLUMN;
  const labels: string[] = [];
  for (const key of ['name', 'unit', 'value', 'note', 'code'] as const) labels[C[key] - 1] = INDICATOR_COLUMNS[key][0];
  headerRow(ws, labels);
  const widths = [44, 10, 16, 30];
  ws.columns = [...widths.map((width) => ({ width })), { width: 30, hidden: true }];
  const given = new Map(prefill?.indicators.map((v) => [v.indicatorId, v]));
  indicators.forEach((def, i) => {
    const r = ws.getRow(i + 2);
    r.getCell(C.code).value = def.id;
    r.getCell(C.name).value = def.name;
    r.getCell(C.unit).value = def.unit;
    const value = r.getCell(C.value);
    const ledgerName = counted.get(def.id);
    if (ledgerName) {
      // Not an input: the ledger's rows are the figure, so there is nothing to type and nothing to disagree with.
      value.value = LEDGER_COUNTED_TEXT;
      value.fill = COUNTED_FILL;
      value.font = { color: { argb: 'FF595959' } };
      value.alignment = { wrapText: true };
      const note = r.getCell(C.note);
      note.value = `按“${ledgerName}”的行数统计，无需填写`;
      note.fill = COUNTED_FILL;
      note.font = { color: { argb: 'FF595959' } };
      note.alignment = { wrapText: true };
      r.getCell(C.name).alignment = { wrapText: true };
      r.height = Math.max(wrappedHeight(def.name, widths[C.name - 1]!), wrappedHeight(String(note.value), widths[C.note - 1]!));
      return;
    }
    const typed = given.get(def.id);
    if (typed) value.value = typed.raw ?? typed.value;
    value.protection = { locked: false };
    value.fill = INPUT_FILL;
    const validation = indicatorValidation(def, value.address);
    if (validation) value.dataValidation = validation;
    // Typing "85%" into a General cell makes Excel store 0.85; as text it stays
    // "85%", which the parser reads as 85 (the reader does not load styles).
    if (def.unit === '%') value.numFmt = '@';
    const note = r.getCell(C.note);
    note.protection = { locked: false };
    note.fill = INPUT_FILL;
    if (typed?.note) note.value = typed.note;
    r.getCell(C.name).alignment = { wrapText: true };
    r.height = wrappedHeight(def.name, widths[C.name - 1]!);
  });
  await protect(ws);
}

/**
 * Excel's own check on a value cell. Besides numbers, every rule lets the
 * clerk write 未发生 (a true zero) or 暂无数据 (no figure yet), so nobody is
 * pushed into a false 0.
 */
function indicatorValidation(def: IndicatorDef, address: string): DataValidation | undefined {
  const prompt = def.description ?? def.name;
  const valueType = valueTypeOf(def);
  if (valueType === 'yesno') {
    return { type: 'list', allowBlank: true, formulae: ['"是,否,暂无数据"'], showErrorMessage: true, errorStyle: 'stop', errorTitle: '请选择', error: '请选择“是”或“否”；暂时没有数据的选“暂无数据”', showInputMessage: true, promptTitle: '是/否', prompt };
  }
  // Text such as "1000余" must stay possible, so no number rule (说明 explains).
  if (def.approximateAllowed) return undefined;
  const words = `${address}="未发生",${address}="暂无数据"`;
  const rule = (condition: string, errorTitle: string, error: string, promptTitle: string, promptText: string): DataValidation => ({
    type: 'custom',
    allowBlank: true,
    formulae: [`OR(${condition},${words})`],
    showErrorMessage: true,
    errorStyle: 'stop',
    errorTitle,
    error: `${error}；没有发生的填0或“未发生”，暂时没有数据的填“暂无数据”`,
    showInputMessage: true,
    promptTitle,
    prompt: promptText,
  });
  if (valueType === 'count') {
    return rule(`AND(ISNUMBER(${address}),${address}>=0,INT(${address})=${address})`, '应为整数', '请填写大于或等于0的整数', def.unit, prompt);
  }
  if (valueType === 'percent') {
    return rule(`AND(ISNUMBER(${address}),${address}>=0,${address}<=100),LEN(${address})<=8`, '百分数', '请填写百分数，如85%或85', '%', `${prompt}。填百分数，如85%或85`);
  }
  return rule(`AND(ISNUMBER(${address}),${address}>=0)`, '数值有误', '请填写大于或等于0的数', def.unit, prompt);
}

async function ledgerSheet(ws: Worksheet, ledger: LedgerDef, prefill?: readonly LedgerRow[]): Promise<void> {
  headerRow(ws, ledger.columns.map((c) => (c.required ? `${c.name}*` : c.name)));
  ws.columns = ledger.columns.map((c) => ({ width: Math.max(12, c.name.length * 2.4 + 4), style: { protection: { locked: false } } }));
  ledger.columns.forEach((column, i) => {
    const validation = columnValidation(column);
    for (let r = 2; r <= OPEN_RANGE_ROWS; r++) {
      const cell = ws.getRow(r).getCell(i + 1);
      cell.protection = { locked: false };
      if (validation) cell.dataValidation = validation;
      if (column.type === 'date') cell.numFmt = 'yyyy-mm-dd';
      if (column.type === 'string') cell.numFmt = '@';
    }
  });
  (prefill ?? []).forEach((row, i) => {
    ledger.columns.forEach((column, j) => {
      const v = row.fields[column.id];
      if (v === null || v === undefined) return;
      // Written as a clerk types it: 是/否 for a yes-no column, the date as text the parser reads.
      ws.getRow(i + 2).getCell(j + 1).value = typeof v === 'boolean' ? BOOLEAN_CHOICES[v ? 0 : 1]! : v;
    });
  });
  await protect(ws);
}

function columnValidation(column: LedgerColumn): DataValidation | undefined {
  const common = { allowBlank: !column.required, showErrorMessage: true, errorStyle: 'stop' as const, showInputMessage: true, promptTitle: column.name };
  switch (column.type) {
    case 'integer':
      return { ...common, type: 'whole', operator: 'greaterThanOrEqual', formulae: [0], errorTitle: '应为整数', error: '请填写大于或等于0的整数', prompt: '整数' };
    case 'number':
      return { ...common, type: 'decimal', operator: 'greaterThanOrEqual', formulae: [0], errorTitle: '应为数字', error: '请填写大于或等于0的数', prompt: '数字' };
    case 'date':
      return { ...common, type: 'date', operator: 'greaterThan', formulae: [new Date(Date.UTC(1990, 0, 1))], errorTitle: '应为日期', error: '请填写日期，如2021-03-05', prompt: '日期，如2021-03-05' };
    case 'enum':
      return { ...common, type: 'list', formulae: [`"${(column.values ?? []).join(',')}"`], errorTitle: '请从下拉列表选择', error: `可选：${(column.values ?? []).join('、')}`, prompt: '从下拉列表选择' };
    case 'boolean':
      return { ...common, type: 'list', formulae: [`"${BOOLEAN_CHOICES.join(',')}"`], errorTitle: '请选择是或否', error: '请填写“是”或“否”', prompt: '是 / 否' };
    case 'string':
      return column.required ? { ...common, type: 'textLength', operator: 'greaterThan', formulae: [0], errorTitle: '必填', error: `${column.name}不能为空`, prompt: '必填' } : undefined;
  }
}

async function narrativeSheet(ws: Worksheet, req: TemplateRequest): Promise<void> {
  const C = TEMPLATE_NARRATIVE_COLUMN;
  const sections = narrativeSections(req.county, req.year);
  const labels: string[] = [];
  for (const key of ['label', 'text', 'section'] as const) labels[C[key] - 1] = NARRATIVE_COLUMNS[key][0];
  headerRow(ws, labels);
  ws.columns = [{ width: 40 }, { width: 80, style: { protection: { locked: false }, alignment: { wrapText: true, vertical: 'top' } } }, { width: 24, hidden: true }];
  // A second item under a section picks its label from the rows above (a range: the labels are too long for an inline list).
  const list: DataValidation = { type: 'list', allowBlank: true, formulae: [`$A$2:$A$${sections.length + 1}`], showErrorMessage: true, errorStyle: 'stop', errorTitle: '栏目', error: '请从下拉列表选择栏目' };
  const items = req.prefill?.narratives ?? [];
  sections.forEach((s, i) => {
    const r = ws.getRow(i + 2);
    r.getCell(C.section).value = s.key;
    r.getCell(C.label).value = s.label;
    r.getCell(C.label).alignment = { wrapText: true, vertical: 'top' };
    const text = r.getCell(C.text);
    text.protection = { locked: false };
    text.fill = INPUT_FILL;
    const first = items.find((n) => n.section === s.key);
    if (first) text.value = first.text;
  });
  // Open rows for a second or third item under the same section.
  const more = items.filter((n, i) => items.findIndex((m) => m.section === n.section) !== i);
  for (let r = sections.length + 2; r <= sections.length + 21 + more.length; r++) {
    const row = ws.getRow(r);
    row.getCell(C.label).protection = { locked: false };
    row.getCell(C.label).dataValidation = list;
    row.getCell(C.text).protection = { locked: false };
    row.getCell(C.section).protection = { locked: false };
    const item = more[r - sections.length - 2];
    if (item) {
      row.getCell(C.label).value = sections.find((s) => s.key === item.section)?.label ?? item.section;
      row.getCell(C.text).value = item.text;
    }
  }
  await protect(ws);
}

async function instructionSheet(ws: Worksheet, req: TemplateRequest, indicators: readonly IndicatorDef[], ledgers: readonly LedgerDef[]): Promise<void> {
  // About 40 Chinese characters a line: narrower than an A4 page in portrait even unscaled, wrapped, nothing cut at the right edge.
  const width = 80;
  ws.columns = [{ width }];
  const counted = countedByLedger(indicators, ledgers, req.prefill);
  const countedNames = indicators.filter((d) => counted.has(d.id)).map((d) => d.name);
  const items = [
    '“封面”：县、单位、年度已填好，请勿修改；填写联系人和联系电话。',
    `“指标”：共${indicators.length}项，在黄色的“数值”“备注”格中填写。数值填阿拉伯数字；允许约数的指标可填“1000余”“近300”“300以上”（报告照原样保留“余”“近”“以上”等字样）。本年度没有发生的填0或“未发生”；暂时没有数据的填“暂无数据”，不要填0（0表示确实没有发生）。是否类指标填“是”或“否”。`,
    ledgers.length
      ? `台账（${ledgers.map((l) => l.name).join('、')}）：每行一件案件或一个人，表头带*的为必填；日期填2021-03-05或2021年3月5日；有下拉框的请从下拉框选择。没有的台账保持空白即可。`
      : '本单位无需填报台账。',
    ...(countedNames.length
      ? [
          `灰色标有“${LEDGER_COUNTED_TEXT}”的指标（${countedNames.join('、')}）由系统按台账的行数计算，无需填写。` +
            '如另行填写了这些数字而与台账统计不一致，以台账统计数为准写入报告，检查结果中会提醒；台账有误请改正台账后重新上传。',
        ]
      : []),
    '“工作情况”：按栏目填写本单位本年度的主要做法和成效；同一栏目写第二条时，在下方空行的“栏目”列从下拉框选择栏目；不需要的栏目留空。',
    '不要修改工作表名称和表头，不要插入或删除列；可以在表格末尾继续添加行。',
    `保存为Excel工作簿（*.xlsx）后上传，文件不超过${MAX_SUBMISSION_BYTES / 1048576} MB；不要另存为含宏的工作簿（*.xlsm）或旧版（*.xls）。`,
    '上传后系统会立即检查，如有问题会返回错误清单（指明工作表和单元格），改正后重新上传即可，以最后一次上传为准。',
  ];
  // Numbered here, so the optional item above leaves no gap.
  const numbered = [`${req.county.config.name}${req.year}年度法治政府建设情况报送表 — 填表说明（${req.unit.name}）`, '', ...items.map((text, i) => `${i + 1}. ${text}`)];
  numbered.forEach((text, i) => {
    const cell = ws.getCell(`A${i + 1}`);
    cell.value = text;
    cell.alignment = { wrapText: true, vertical: 'top' };
    if (i === 0) cell.font = { bold: true, size: 13 };
    ws.getRow(i + 1).height = wrappedHeight(text, i === 0 ? width * 0.8 : width);
  });
  await protect(ws);
}
