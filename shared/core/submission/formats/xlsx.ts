import { Readable } from 'node:stream';
import { isResourceExhausted, TransientError } from '../../errors';
import { SubmissionBuilder } from '../builder';
import { cellText } from '../cells';
import { columnLetter, SHEET_ALIASES } from '../layout';
import type { ParseOutcome } from '../normalized';
import { isBlank, matchKey } from '../normalize/text';
import { CoverReader, GuessingReader, IndicatorReader, LedgerReader, Locator, NarrativeReader, TableReader } from './tables';
import { checkWorkbookZip, type CheckedZip } from './xlsx-zip';

/**
 * .xlsx submissions, read with exceljs's streaming WorkbookReader so a
 * 100,000-row ledger never becomes a full workbook model in memory. The zip
 * is read through its central directory (xlsx-zip.ts) and each part exceljs
 * reads is inflated once, straight into exceljs's parsers. Sheets are recognised by name:
 * 封面, 指标, one per ledger (its Chinese name or id), 工作情况; 说明 and
 * hidden sheets are skipped. Formula cells give their cached result, with a
 * FORMULA_CELL warning; error values (#N/A, #DIV/0!) are errors.
 */
const MAX_FORMULA_WARNINGS_PER_SHEET = 10;

type SheetKind = keyof typeof SHEET_ALIASES;

export async function parseXlsxSubmission(bytes: Uint8Array, builder: SubmissionBuilder): Promise<ParseOutcome> {
  const checked = await checkWorkbookZip(bytes);
  if (!checked.ok) {
    builder.add(checked.problem);
    return builder.finish();
  }
  const fixed = new Map<string, SheetKind>();
  for (const [kind, names] of Object.entries(SHEET_ALIASES) as [SheetKind, readonly string[]][]) {
    for (const n of names) fixed.set(matchKey(n), kind);
  }

  let recognised = 0;
  try {
    for await (const ws of readWorksheets(checked.zip)) {
      const name = ws.name ?? `Sheet${ws.id ?? ''}`;
      const hidden = ws.state === 'hidden' || ws.state === 'veryHidden';
      const locate: Locator = (row, col, header) => {
        const loc: { sheet: string; cell: string; row: number; column?: string } = { sheet: name, cell: `${columnLetter(col + 1)}${row}`, row };
        if (header) loc.column = header;
        return loc;
      };
      const where = { sheet: name };
      const kind = fixed.get(matchKey(name));
      const ledger = kind ? undefined : builder.findLedger(name);
      let table: TableReader | undefined;
      let guessing: GuessingReader | undefined;
      if (!hidden) {
        if (kind === 'cover') table = new CoverReader(builder, locate);
        else if (kind === 'indicators') table = new IndicatorReader(builder, locate, where);
        else if (kind === 'narratives') table = new NarrativeReader(builder, locate, where);
        else if (ledger) table = new LedgerReader(builder, ledger, locate, where);
        else if (kind !== 'instructions') {
          table = guessing = new GuessingReader(builder, name, (guess) =>
            guess.kind === 'indicators' ? new IndicatorReader(builder, locate, where) : guess.kind === 'narratives' ? new NarrativeReader(builder, locate, where) : new LedgerReader(builder, guess.ledger, locate, where),
          where);
        }
      }
      if (table && !guessing) recognised++;
      let formulas = 0;

      for await (const row of ws) {
        // row.values is a fresh 1-based array: drop slot 0 and unwrap in place (no copy per row).
        const cells = row.values as unknown[];
        cells.shift();
        for (let i = 0; i < cells.length; i++) {
          const v = cells[i];
          if (v === null || v === undefined || typeof v !== 'object' || v instanceof Date) continue;
          // Rich text, hyperlinks, formulas and error values are objects.
          const cell = v as CellObject;
          if (cell.richText) cells[i] = cell.richText.map((r) => r.text).join('');
          else if (cell.hyperlink !== undefined || cell.text !== undefined) cells[i] = cellText(cell.text);
          else if (cell.formula !== undefined || cell.sharedFormula !== undefined) {
            const result = cell.result;
            if (table && ++formulas <= MAX_FORMULA_WARNINGS_PER_SHEET) {
              builder.report('FORMULA_CELL', locate(row.number, i), `公式“=${cell.formula ?? cell.sharedFormula}”`, result);
            }
            if (typeof result === 'number' && Number.isNaN(result)) {
              if (table) builder.report('CELL_ERROR_VALUE', locate(row.number, i), '公式计算出错', cell.formula ?? cell.sharedFormula);
              cells[i] = undefined;
            } else if (result !== null && typeof result === 'object' && !(result instanceof Date)) {
              if (table) builder.report('CELL_ERROR_VALUE', locate(row.number, i), undefined, (result as { error?: string }).error ?? result);
              cells[i] = undefined;
            } else cells[i] = result;
          } else if (cell.error !== undefined) {
            if (table) builder.report('CELL_ERROR_VALUE', locate(row.number, i), undefined, cell.error);
            cells[i] = undefined;
          } else cells[i] = undefined;
        }
        if (table) {
          // Back-pressure: rows streaming to DynamoDB wait for the writers (builder.ts ParseContext.rowSink).
          if (builder.rowSink?.full) await builder.rowSink.room();
          table.row(cells, row.number);
        }
      }
      table?.end();
      if (guessing?.recognised) recognised++;
      if (formulas > MAX_FORMULA_WARNINGS_PER_SHEET) {
        builder.report('FORMULA_CELL', where, `本表另有${formulas - MAX_FORMULA_WARNINGS_PER_SHEET}个公式单元格，均已采用计算结果`);
      }
    }
  } catch (err) {
    if (err instanceof ExcelJsInternalsChanged) throw err;
    if (isResourceExhausted(err)) throw new TransientError(`reading the workbook: ${(err as Error).message}`);
    // Rows read before a bad entry was found do not count: the file gets the one problem the zip check gives.
    const bad = await checked.zip.verdict();
    if (bad) return rejectedFor(builder, bad);
    builder.report('XLSX_UNREADABLE', {}, `Excel文件结构有误（${(err as Error).message.slice(0, 120)}），请在Excel中打开后重新保存再上传`);
    return builder.finish();
  }
  const bad = await checked.zip.confirm();
  if (bad) return rejectedFor(builder, bad);
  if (recognised === 0) {
    builder.report('XLSX_NO_KNOWN_SHEETS', {}, '应有“封面”“指标”“工作情况”或台账工作表；请使用 yearly-report template 生成的模板');
  }
  return builder.finish();
}

/** What a file found bad part-way through gets: that problem alone, as if it had been found before any row. */
function rejectedFor(builder: SubmissionBuilder, bad: Parameters<SubmissionBuilder['add']>[0]): ParseOutcome {
  const fresh = new SubmissionBuilder(builder.ctx, builder.format);
  fresh.add(bad);
  return fresh.finish();
}

const READER_OPTIONS = {
  worksheets: 'emit',
  sharedStrings: 'cache',
  hyperlinks: 'ignore',
  // Dates arrive as Excel serial numbers, which the date normalizer reads;
  // skipping styles saves a style lookup per cell.
  styles: 'ignore',
  entries: 'ignore',
} as const;

/** exceljs's WorkbookReader methods and fields used below (not in its typings). */
interface ReaderInternals {
  _parseRels(entry: Readable): Promise<void>;
  _parseWorkbook(entry: Readable): Promise<void>;
  _parseSharedStrings(entry: Readable): AsyncIterable<unknown>;
  _parseWorksheet(iterator: AsyncIterable<string>, sheetNo: string): Iterable<{ eventType: string; value: unknown }>;
  workbookRels?: unknown;
  model?: unknown;
  sharedStrings?: unknown;
}

/** Thrown (never reported as a bad file) when an exceljs upgrade moved what readWorksheets uses. */
export class ExcelJsInternalsChanged extends Error {
  override readonly name = 'ExcelJsInternalsChanged';
  constructor(what: string) {
    super(`exceljs internals changed (${what}): update shared/core/submission/formats/xlsx.ts readWorksheets`);
  }
}

/**
 * The worksheets of a checked workbook, each a streaming reader of cell
 * values, so large ledgers stay in bounded memory. This is exceljs's
 * WorkbookReader.parse() without its unzipper: the per-part parsers are fed
 * the parts in the order parse() needs them (workbook relationships,
 * workbook, shared strings, then the worksheets), each inflated once by
 * CheckedZip, which also checks its size and CRC. Those parsers are exceljs
 * internals: they are checked here, on every workbook, and a change throws
 * ExcelJsInternalsChanged, so every xlsx test fails at once rather than
 * misreading silently. A worksheet is inflated only when its rows are read.
 */
export async function* readWorksheets(zip: CheckedZip): AsyncGenerator<WorksheetLike> {
  const ExcelJS = await loadExcelJs();
  // The input is never read: parse() is not called.
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(undefined as unknown as string, READER_OPTIONS) as unknown as ReaderInternals;
  for (const method of ['_parseRels', '_parseWorkbook', '_parseSharedStrings', '_parseWorksheet'] as const) {
    if (typeof reader[method] !== 'function') throw new ExcelJsInternalsChanged(`WorkbookReader.${method}`);
  }
  const { parts } = zip;
  if (parts.rels) await reader._parseRels(Readable.from(zip.text(parts.rels)));
  else reader.workbookRels = [];
  if (!Array.isArray(reader.workbookRels)) throw new ExcelJsInternalsChanged('WorkbookReader.workbookRels');
  await reader._parseWorkbook(Readable.from(zip.text(parts.workbook)));
  if (typeof reader.model !== 'object' || reader.model === null) throw new ExcelJsInternalsChanged('WorkbookReader.model');
  if (parts.sharedStrings) for await (const _ of reader._parseSharedStrings(Readable.from(zip.text(parts.sharedStrings))));
  else reader.sharedStrings = [];
  if (!Array.isArray(reader.sharedStrings)) throw new ExcelJsInternalsChanged('WorkbookReader.sharedStrings');
  for (const { listed, sheetNo } of parts.worksheets) {
    for (const { eventType, value } of reader._parseWorksheet(zip.text(listed), sheetNo)) {
      if (eventType === 'worksheet') yield value as WorksheetLike;
    }
  }
}

let excelJs: typeof import('exceljs') | undefined;

/** exceljs is large: loaded on the first workbook, not at cold start, and only once. */
async function loadExcelJs(): Promise<typeof import('exceljs')> {
  excelJs ??= ((await import('exceljs')) as unknown as { default: typeof import('exceljs') }).default;
  return excelJs;
}

interface CellObject {
  richText?: { text: string }[];
  text?: unknown;
  hyperlink?: string;
  formula?: string;
  sharedFormula?: string;
  result?: unknown;
  error?: string;
}

/** The parts of exceljs's WorksheetReader used here (its typings omit name, id and state). */
export interface WorksheetLike extends AsyncIterable<{ number: number; values: unknown }> {
  name?: string;
  id?: number | string;
  state?: string;
}
