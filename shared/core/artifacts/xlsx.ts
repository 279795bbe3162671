import type { Cell, Row, Workbook, Worksheet } from 'exceljs';
import { Figure, Report } from '../report/schema';
import { chineseDateTime, DEFAULT_TIME_ZONE } from '../county/time';
import { textWidthInChars } from './docx';
import { figureText, missingUnits, partialNote, sourceFileName, sourcePlace, sourceValueText, statusLabel, unitNames as unitNameMap } from './labels';

/**
 * data.xlsx, the data appendix: the county figures with each unit's
 * contribution, one sheet per report section, then completeness, warnings
 * and provenance.
 *
 * Values from submissions are written as values, never formulas. exceljs
 * already stores a JS string as a string cell, but a text such as
 * "=HYPERLINK(…)" or "+86…" would turn into a live formula the moment a
 * clerk clicks into the cell and presses Enter; the Text number format ('@')
 * keeps it text even then.
 *
 * exceljs is imported lazily (inside renderXlsx); `import type` is erased.
 */

/** What spreadsheet programs read as the start of a formula (and CR/tab, which some strip first). */
export const FORMULA_START = /^[=+\-@\t\r]/;

const TEXT_FORMAT = '@';
const SHEET_NAME_MAX = 31;
export const SHEETS = { summary: '指标汇总', completeness: '完成情况', warnings: '预警', provenance: '来源', other: '其他指标' } as const;
export const COUNTY_TOTAL = '全县合计';

interface Section {
  heading: string;
  figures: Figure[];
  /** False for the figures the text does not print: a gap there is no 待补充 in the draft. */
  printed: boolean;
}

/**
 * Figures grouped by the section of the report that prints them (the
 * nearest level-2 heading, else level-1), in reading order. Figures the text
 * never prints go to a last "其他指标" sheet, so none is lost.
 */
export function figuresBySection(report: Report): Section[] {
  const byId = new Map(report.figures.map((f) => [f.indicatorId, f]));
  const placed = new Set<string>();
  const sections: Section[] = [];
  let heading1 = '';
  const add = (heading: string, ids: readonly (string | undefined)[]) => {
    const figures = ids
      .filter((id): id is string => id !== undefined && byId.has(id) && !placed.has(id))
      .map((id) => (placed.add(id), byId.get(id)!));
    if (figures.length === 0) return;
    const existing = sections.find((s) => s.heading === heading);
    if (existing) existing.figures.push(...figures);
    else sections.push({ heading, figures, printed: true });
  };
  for (const block of report.document) {
    if (block.kind === 'heading1') heading1 = block.text;
    else if (block.kind === 'heading2') add(block.text, block.body.map((seg) => seg.figure));
    else if (block.kind === 'paragraph') add(heading1 || report.title, block.segments.map((seg) => seg.figure));
  }
  const rest = report.figures.filter((f) => !placed.has(f.indicatorId));
  if (rest.length) sections.push({ heading: SHEETS.other, figures: rest, printed: false });
  return sections;
}

/**
 * "（二）健全政府机构职能体系，推动…" → "（二）健全政府机构职能体系": the first
 * clause, within Excel's 31 characters and rules. A clause too long for a tab
 * is cut at 30 and ends in "…", so the name never looks whole when it is not;
 * the printed page carries the full heading in its header.
 */
export function sheetNameFor(heading: string, taken: Set<string>): string {
  const clause =
    heading
      .replace(/[[\]:*?/\\]/g, '')
      .split(/[，。；：,;]/)[0]!
      .trim()
      .replace(/^'+|'+$/g, '') || SHEETS.other;
  const base = [...clause].length > SHEET_NAME_MAX ? `${[...clause].slice(0, SHEET_NAME_MAX - 1).join('')}…` : clause;
  let name = base;
  for (let n = 2; taken.has(name.toLowerCase()); n++) {
    const suffix = `（${n}）`;
    name = `${[...base].slice(0, SHEET_NAME_MAX - suffix.length).join('')}${suffix}`;
  }
  taken.add(name.toLowerCase());
  return name;
}

/** A text cell that stays text: never a formula, even once edited. */
function setText(cell: Cell, text: string): void {
  cell.value = text;
  if (FORMULA_START.test(text)) cell.numFmt = TEXT_FORMAT;
}

type CellValue = string | number | null | undefined;

/** One row; strings through setText, numbers as numbers, null/undefined left empty. */
function addRow(sheet: Worksheet, values: readonly CellValue[]): Row {
  const row = sheet.addRow([]);
  values.forEach((v, i) => {
    const cell = row.getCell(i + 1);
    if (typeof v === 'string') setText(cell, v);
    else if (typeof v === 'number') cell.value = v;
  });
  return row;
}

/**
 * The header row, and a page setup a clerk can print: A4 landscape, every
 * column on one page width (as many pages down as it takes), the header row
 * repeated on each page, the sheet's full title and page numbers in the
 * page header and footer. Long text wraps in its cell instead of running
 * off the page.
 */
function addTable(sheet: Worksheet, header: readonly string[], widths: readonly number[], title: string): void {
  const row = addRow(sheet, header);
  row.font = { bold: true };
  row.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFECEAE4' } };
  widths.forEach((width, i) => {
    const column = sheet.getColumn(i + 1);
    column.width = width;
    column.alignment = { vertical: 'top', wrapText: true };
  });
  sheet.views = [{ state: 'frozen', ySplit: row.number }];
  sheet.autoFilter = { from: { row: row.number, column: 1 }, to: { row: row.number, column: header.length } };
  sheet.pageSetup = {
    ...sheet.pageSetup,
    paperSize: 9, // A4
    orientation: 'landscape',
    fitToPage: true,
    fitToWidth: 1,
    fitToHeight: 0, // as many pages down as needed
    printTitlesRow: `${row.number}:${row.number}`,
    margins: { left: 0.5, right: 0.5, top: 0.7, bottom: 0.7, header: 0.3, footer: 0.3 },
  };
  // & starts a code in a header or footer: a literal one is doubled.
  sheet.headerFooter = { oddHeader: `&L${title.replace(/&/g, '&&')}`, oddFooter: '&C第 &P 页，共 &N 页' };
}

/**
 * A unit's row of a figure, by how the county figure is made: a coverage
 * count counts the unit 1 when the value tested is above zero (the value is
 * its basis, not its contribution); a ratio's units give a numerator or a
 * denominator part; a distinct count's units count their own rows only.
 */
export interface UnitRow {
  unitName: string;
  value: number;
  unit: string;
  approximate: boolean;
  note: string;
}

export function unitRows(figure: Figure, figureById: ReadonlyMap<string, Figure>): UnitRow[] {
  const agg = figure.aggregation;
  const nameOf = (id: string | undefined) => (id ? (figureById.get(id)?.name ?? id) : figure.name);
  switch (agg?.kind) {
    case 'coverage_count':
    case 'coverage_share':
      return figure.sources.map((s) => ({
        unitName: s.unitName,
        value: s.value > 0 ? 1 : 0,
        unit: '（1=已覆盖）',
        approximate: false,
        note: `${s.value > 0 ? '已覆盖' : '未覆盖'}：${nameOf(agg.of)}${s.value}${figureById.get(agg.of ?? '')?.unit ?? ''}`,
      }));
    case 'ratio': {
      // The ratio's sources are the numerator's, then the denominator's.
      const numerator = figureById.get(agg.numerator ?? '');
      const denominator = figureById.get(agg.denominator ?? '');
      const split = numerator?.sources.length ?? 0;
      return figure.sources.map((s, i) => {
        const part = i < split ? numerator : denominator;
        return { unitName: s.unitName, value: s.value, unit: part?.unit ?? '', approximate: s.approximate, note: `${i < split ? '分子' : '分母'}：${part?.name ?? ''}` };
      });
    }
    case 'distinct_count':
      return figure.sources.map((s) => ({ unitName: s.unitName, value: s.value, unit: figure.unit, approximate: s.approximate, note: '本单位去重；全县合计在各单位间再去重' }));
    case 'max':
      return figure.sources.map((s) => ({ unitName: s.unitName, value: s.value, unit: figure.unit, approximate: s.approximate, note: s.value === figure.value ? '取最大值' : '' }));
    default:
      return figure.sources.map((s) => ({ unitName: s.unitName, value: s.value, unit: figure.unit, approximate: s.approximate, note: '' }));
  }
}

const yesNo = (flag: boolean) => (flag ? '是' : '否');

/**
 * Lines the first `columns` cells of a row wrap to: a column's width counts characters of the default font, and a
 * Chinese character is about two of them.
 */
function linesNeeded(row: Row, sheet: Worksheet, columns: number): number {
  let lines = 1;
  for (let c = 1; c <= columns; c++) {
    const text = row.getCell(c).text ?? '';
    const room = Math.max(1, (sheet.getColumn(c).width ?? 10) - 1);
    lines = Math.max(lines, Math.ceil((2 * textWidthInChars(text)) / room));
  }
  return lines;
}

/** A partial figure is yellow, as report.docx highlights it: the first `columns` cells of its row. */
function markPartial(row: Row, columns: number): void {
  for (let c = 1; c <= columns; c++) row.getCell(c).fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFFFF00' } };
}

export async function renderXlsx(report: Report): Promise<Uint8Array> {
  const { default: ExcelJS } = await import('exceljs');
  const workbook: Workbook = new ExcelJS.Workbook();
  workbook.creator = 'yearly-report';
  workbook.title = `${report.title}（数据附件）`;
  // A fixed date keeps the file a function of the report alone.
  workbook.created = workbook.modified = new Date(report.generatedAt);

  const unitName = new Map(report.completeness.units.map((u) => [u.unitId, u.unitName]));
  const unitNames = (ids: readonly string[]) => ids.map((id) => unitName.get(id) ?? id).join('、');
  const taken = new Set<string>(Object.values(SHEETS).filter((s) => s !== SHEETS.other).map((s) => s.toLowerCase()));
  const sections = figuresBySection(report);

  const figureById = new Map(report.figures.map((f) => [f.indicatorId, f]));
  const summary = workbook.addWorksheet(SHEETS.summary);
  addTable(summary, ['指标', '指标编号', COUNTY_TOTAL, '计量单位', '约数', '报告中写作', '所在部分', '未报单位'], [36, 30, 12, 10, 6, 14, 40, 40], `${report.title}：指标汇总`);

  for (const section of sections) {
    const sheet = workbook.addWorksheet(sheetNameFor(section.heading, taken));
    addTable(sheet, ['指标', '指标编号', '填报单位', '数值', '计量单位', '约数', '说明'], [36, 30, 30, 12, 12, 6, 40], section.heading);
    for (const f of section.figures) {
      for (const r of unitRows(f, figureById)) addRow(sheet, [f.name, f.indicatorId, r.unitName, r.value, r.unit, yesNo(r.approximate), r.note]);
      const missing = missingUnits(f);
      const gap = f.value === null ? (section.printed ? '待补充' : '无数据') : '';
      const note = [gap, missing.length ? `未报：${unitNames(missing)}` : ''].filter(Boolean).join('；');
      const totalRow = addRow(sheet, [f.name, f.indicatorId, COUNTY_TOTAL, f.value, f.unit, yesNo(f.approximate), f.partial ? partialNote(f, unitName) : note]);
      totalRow.font = { bold: true };
      const where = section.printed ? section.heading : '（正文未引用）';
      const summaryRow = addRow(summary, [f.name, f.indicatorId, f.value, f.unit, yesNo(f.approximate), gap || f.display, where, unitNames(missing)]);
      // Marked as report.docx marks it: yellow, with the note its Word comment carries.
      if (f.partial) {
        markPartial(totalRow, 7);
        markPartial(summaryRow, 8);
        summaryRow.getCell(3).note = partialNote(f, unitName);
      }
    }
  }

  const c = report.completeness;
  const completeness = workbook.addWorksheet(SHEETS.completeness);
  addTable(completeness, ['单位', '单位编号', '状态', '是否逾期', '报送时间', '文件', '版本'], [30, 20, 10, 10, 20, 60, 36], `${report.title}：材料报送情况`);
  const local = (iso: string | undefined) => (iso ? chineseDateTime(new Date(iso), report.timeZone ?? DEFAULT_TIME_ZONE) : undefined);
  for (const u of c.units) addRow(completeness, [u.unitName, u.unitId, statusLabel(u), yesNo(u.late), local(u.receivedAt), u.s3Key, u.versionId]);
  addRow(completeness, []);
  for (const [label, count] of [['应报', c.expected], ['已报', c.submitted], ['采用', c.accepted], ['逾期', c.late], ['未报', c.missing]] as const) {
    addRow(completeness, [`${label}单位数`, undefined, count]).font = { bold: true };
  }

  const warnings = workbook.addWorksheet(SHEETS.warnings);
  addTable(warnings, ['代码', '说明', '指标编号', '指标', '单位编号', '单位'], [24, 70, 30, 36, 20, 30], `${report.title}：预警`);
  const figureName = new Map(report.figures.map((f) => [f.indicatorId, f.name]));
  for (const w of report.warnings) {
    addRow(warnings, [w.code, w.message, w.indicatorId, w.indicatorId && figureName.get(w.indicatorId), w.unitId, w.unitId && unitName.get(w.unitId)]);
  }

  /**
   * 来源 prints as the office checks it, on A4 landscape pages: the figure, the county value, the unit, its value,
   * the file as uploaded and where in it. Ids, object keys and versions stay in hidden columns for engineers.
   * A partial figure's rows are yellow with the note report.docx comments with.
   */
  const provenance = workbook.addWorksheet(SHEETS.provenance);
  const provenanceHeader = ['指标', '全县数', '填报单位', '填报数', '文件', '位置', '说明', '指标编号', '单位编号', '对象键', '版本', '路径'];
  // The seven printed columns fit an A4 landscape page at about full size (a character of 11 pt is one unit).
  addTable(provenance, provenanceHeader, [24, 10, 22, 9, 24, 24, 34, 30, 20, 60, 36, 24], `${report.title}：数据来源`);
  provenanceHeader.slice(7).forEach((_, i) => (provenance.getColumn(8 + i).hidden = true));
  provenance.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: 7 } };
  const names = unitNameMap(report);
  for (const f of report.figures) {
    const note = f.partial ? partialNote(f, names) : '';
    for (const s of f.sources) {
      const part = s.part === 'numerator' ? '分子 ' : s.part === 'denominator' ? '分母 ' : '';
      const value = `${part}${sourceValueText(s)}`;
      const row = addRow(provenance, [f.name, figureText(f), s.unitName, value, sourceFileName(s), sourcePlace(s, s.partName ?? f.name), note || undefined, f.indicatorId, s.unitId, s.s3Key, s.versionId, s.location.path]);
      // Long names and notes wrap in their cell rather than being cut at the page. Spreadsheet programs keep a
      // row's stored height when they open a file, so the height is set for the lines the longest cell needs.
      for (let c = 1; c <= 7; c++) row.getCell(c).alignment = { vertical: 'top', wrapText: true };
      // A hidden cell that wraps is laid out a letter a line at zero width, and LibreOffice writes those letters into the PDF's text.
      for (let c = 8; c <= provenanceHeader.length; c++) row.getCell(c).alignment = { vertical: 'top', wrapText: false };
      row.height = 15 * linesNeeded(row, provenance, 7);
      if (f.partial) markPartial(row, 7);
    }
  }

  return new Uint8Array(await workbook.xlsx.writeBuffer());
}
