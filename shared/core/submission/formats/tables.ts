import type { LedgerDef } from '../../catalogue/schema';
import { LedgerSink, SubmissionBuilder } from '../builder';
import { cellText } from '../cells';
import { COVER_LABELS, INDICATOR_COLUMNS, MAX_HEADER_SEARCH_ROWS, NARRATIVE_COLUMNS } from '../layout';
import { labelMatcher, resolveHeader } from '../normalize/headers';
import { isBlank } from '../normalize/text';
import type { ProblemLocation } from '../problem-codes';

/**
 * Row consumers for the parts of a submission, shared by the xlsx parser
 * (one per sheet) and the csv parser (one per block). They find their header
 * row, map columns once, and hand each cell to the builder with its location.
 */
export type Locator = (row: number, columnIndex: number, header?: string) => ProblemLocation;

export interface TableReader {
  /** `cells` is 0-based: cells[0] is column A / the first CSV field. */
  row(cells: readonly unknown[], rowNumber: number): void;
  /** Called once after the last row. */
  end(): void;
}

const matchCover = labelMatcher(COVER_LABELS);
const matchIndicatorColumn = labelMatcher(INDICATOR_COLUMNS);
const matchNarrativeColumn = labelMatcher(NARRATIVE_COLUMNS);

/** True when a row is the indicator table's header (the csv parser uses it to recognise a block). */
export function isIndicatorHeader(cells: readonly unknown[]): boolean {
  const found = new Set<string | undefined>(cells.map((c) => (typeof c === 'string' ? matchIndicatorColumn(c) : undefined)));
  return (found.has('code') || found.has('name')) && found.has('value');
}

/** True when a row is the narrative table's header. */
export function isNarrativeHeader(cells: readonly unknown[]): boolean {
  const found = new Set<string | undefined>(cells.map((c) => (typeof c === 'string' ? matchNarrativeColumn(c) : undefined)));
  return (found.has('section') || found.has('label')) && found.has('text');
}

export type TableGuess = { kind: 'indicators' } | { kind: 'narratives' } | { kind: 'ledger'; ledger: LedgerDef };

/**
 * What a table is, from its header row alone: the indicator or narrative
 * layout, or the ledger whose columns it names best (a tie is no answer).
 */
export function guessTableFromHeader(ledgers: readonly LedgerDef[], cells: readonly unknown[]): TableGuess | undefined {
  if (isIndicatorHeader(cells)) return { kind: 'indicators' };
  if (isNarrativeHeader(cells)) return { kind: 'narratives' };
  let best: { ledger: LedgerDef; score: number } | undefined;
  let tie = false;
  for (const ledger of ledgers) {
    const score = cells.filter((c) => typeof c === 'string' && c.trim() !== '' && resolveHeader(ledger, c) !== undefined).length;
    if (score === 0) continue;
    if (!best || score > best.score) {
      best = { ledger, score };
      tie = false;
    } else if (score === best.score) tie = true;
  }
  return best && !tie ? { kind: 'ledger', ledger: best.ledger } : undefined;
}

/**
 * A sheet whose name says nothing (Sheet1, 诉讼台账): its first rows are held
 * until one is a header that says what the table is; then they are replayed
 * into that table's reader. A sheet that never shows a header is reported as
 * UNKNOWN_SHEET, and its rows are ignored.
 */
export class GuessingReader implements TableReader {
  private held: { cells: readonly unknown[]; rowNumber: number }[] = [];
  private inner: TableReader | undefined;
  private gaveUp = false;

  constructor(
    private readonly builder: SubmissionBuilder,
    private readonly sheetName: string,
    private readonly open: (guess: TableGuess) => TableReader,
    private readonly where: ProblemLocation,
  ) {}

  get recognised(): boolean {
    return this.inner !== undefined;
  }

  row(cells: readonly unknown[], rowNumber: number): void {
    if (this.inner) return this.inner.row(cells, rowNumber);
    if (this.gaveUp || cells.every(isBlank)) return;
    this.held.push({ cells, rowNumber });
    const guess = guessTableFromHeader(this.builder.ctx.catalogue.ledgers, cells);
    if (guess) {
      const what = guess.kind === 'ledger' ? guess.ledger.name : guess.kind === 'indicators' ? '指标' : '工作情况';
      this.builder.report('SHEET_RECOGNISED_BY_HEADER', this.where, `工作表“${this.sheetName}”按表头识别为“${what}”；请使用规范的工作表名称`, this.sheetName);
      this.inner = this.open(guess);
      for (const h of this.held) this.inner.row(h.cells, h.rowNumber);
      this.held = [];
    } else if (this.held.length >= MAX_HEADER_SEARCH_ROWS) {
      this.giveUp();
    }
  }

  end(): void {
    if (this.inner) this.inner.end();
    else if (!this.gaveUp && this.held.length > 0) this.giveUp();
  }

  private giveUp(): void {
    this.gaveUp = true;
    this.held = [];
    this.builder.report('UNKNOWN_SHEET', this.where, `工作表名应为“封面”“指标”“工作情况”或台账名称（如“${this.builder.ctx.catalogue.ledgers[0]?.name ?? ''}”），表头也无法识别`, this.sheetName);
  }
}

/** 封面: label cells with their value in the next filled cell to the right. */
export class CoverReader implements TableReader {
  constructor(
    private readonly builder: SubmissionBuilder,
    private readonly locate: Locator,
  ) {}

  row(cells: readonly unknown[], rowNumber: number): void {
    for (let i = 0; i < cells.length; i++) {
      const label = typeof cells[i] === 'string' ? matchCover(cells[i] as string) : undefined;
      if (!label) continue;
      let j = i + 1;
      while (j < cells.length && isBlank(cells[j])) j++;
      if (j >= cells.length) continue;
      const value = cells[j];
      const where = this.locate(rowNumber, j, cellText(cells[i]));
      switch (label) {
        case 'county':
          this.builder.claimCounty(value, where);
          break;
        case 'unit':
          this.builder.claimUnit(value, where);
          break;
        case 'year':
          this.builder.claimYear(value, where);
          break;
        case 'contact':
          this.builder.setContact('name', value);
          break;
        case 'phone':
          this.builder.setContact('phone', value);
          break;
      }
      i = j;
    }
  }

  end(): void {}
}

/** A table whose header row is found among the first rows by its labels. */
abstract class HeaderedReader<K extends string> implements TableReader {
  protected columns: Partial<Record<K, number>> | undefined;
  protected headerCells: string[] = [];
  private rowsSeen = 0;
  private given_up = false;

  constructor(
    protected readonly builder: SubmissionBuilder,
    protected readonly locate: Locator,
    protected readonly where: ProblemLocation,
    private readonly match: (text: string) => K | undefined,
    private readonly required: readonly (readonly K[])[],
    private readonly describe: string,
  ) {}

  row(cells: readonly unknown[], rowNumber: number): void {
    if (this.given_up) return;
    if (!this.columns) {
      if (cells.every(isBlank)) return;
      const found: Partial<Record<K, number>> = {};
      cells.forEach((c, i) => {
        const key = typeof c === 'string' ? this.match(c) : undefined;
        if (key && found[key] === undefined) found[key] = i;
      });
      if (this.required.every((alternatives) => alternatives.some((k) => found[k] !== undefined))) {
        this.columns = found;
        this.headerCells = cells.map(cellText);
        return;
      }
      if (++this.rowsSeen >= MAX_HEADER_SEARCH_ROWS) this.giveUp();
      return;
    }
    this.dataRow(cells, rowNumber);
  }

  end(): void {
    if (!this.columns && !this.given_up && this.rowsSeen > 0) this.giveUp();
  }

  private giveUp(): void {
    this.given_up = true;
    this.builder.report('HEADER_NOT_FOUND', this.where, `应有一行表头，包含${this.describe}`);
  }

  protected header(i: number | undefined): string | undefined {
    return i === undefined ? undefined : this.headerCells[i];
  }

  protected abstract dataRow(cells: readonly unknown[], rowNumber: number): void;
}

/** 指标: 指标代码 | 指标名称 | 计量单位 | 数值 | 备注. */
export class IndicatorReader extends HeaderedReader<keyof typeof INDICATOR_COLUMNS> {
  constructor(builder: SubmissionBuilder, locate: Locator, where: ProblemLocation) {
    super(builder, locate, where, matchIndicatorColumn, [['code', 'name'], ['value']], '“指标代码”（或“指标名称”）和“数值”');
  }

  protected dataRow(cells: readonly unknown[], rowNumber: number): void {
    const c = this.columns!;
    const code = c.code !== undefined ? cellText(cells[c.code]) : '';
    const name = c.name !== undefined ? cellText(cells[c.name]) : '';
    const value = cells[c.value!];
    const note = c.note !== undefined ? cells[c.note] : undefined;
    const refColumn = code !== '' || c.name === undefined ? c.code! : c.name;
    const where = this.locate(rowNumber, refColumn, this.header(refColumn));
    const valueWhere = this.locate(rowNumber, c.value!, this.header(c.value));
    if (code === '' && name === '') {
      if (!isBlank(value)) this.builder.report('UNKNOWN_INDICATOR', where, '此行填写了数值，但没有指标代码或名称', value);
      return;
    }
    this.builder.addIndicator(code || name, value, note, where, valueWhere);
  }
}

/** 工作情况: 栏目代码 | 栏目 | 工作情况. */
export class NarrativeReader extends HeaderedReader<keyof typeof NARRATIVE_COLUMNS> {
  constructor(builder: SubmissionBuilder, locate: Locator, where: ProblemLocation) {
    super(builder, locate, where, matchNarrativeColumn, [['section', 'label'], ['text']], '“栏目代码”（或“栏目”）和“工作情况”');
  }

  protected dataRow(cells: readonly unknown[], rowNumber: number): void {
    const c = this.columns!;
    const section = c.section !== undefined && !isBlank(cells[c.section]) ? c.section : c.label ?? c.section!;
    const text = cells[c.text!];
    this.builder.addNarrative(cells[section], text, this.locate(rowNumber, c.text!, this.header(c.text)), this.locate(rowNumber, section, this.header(section)));
  }
}

/** One ledger (台账): its header row, then one case or person per row. */
export class LedgerReader implements TableReader {
  private sink: LedgerSink | undefined;
  private headerFound = false;
  private rowsSeen = 0;
  private done = false;
  /** The header row's cells, for the CSV parser's column-count check. */
  header: readonly unknown[] | undefined;

  constructor(
    private readonly builder: SubmissionBuilder,
    readonly ledger: LedgerDef,
    private readonly locate: Locator,
    private readonly where: ProblemLocation,
  ) {}

  row(cells: readonly unknown[], rowNumber: number): void {
    if (this.sink) {
      this.sink.addRow(cells, rowNumber);
      return;
    }
    if (this.done) return;
    if (cells.every(isBlank)) return;
    if (SubmissionBuilder.looksLikeHeader(this.ledger, cells)) {
      this.headerFound = true;
      this.done = true;
      this.header = cells.slice();
      const headers = cells.map(cellText);
      this.sink = this.builder.openLedger(
        this.ledger,
        cells,
        (col) => this.locate(rowNumber, col, headers[col]),
        (row, col, header) => this.locate(row, col, header),
        { ...this.where, row: rowNumber },
      );
      return;
    }
    if (++this.rowsSeen >= MAX_HEADER_SEARCH_ROWS) this.giveUp();
  }

  end(): void {
    if (!this.headerFound && !this.done && this.rowsSeen > 0) this.giveUp();
  }

  private giveUp(): void {
    this.done = true;
    this.builder.report('HEADER_NOT_FOUND', this.where, `${this.ledger.name}应有一行表头，例如：${this.ledger.columns.map((c) => c.name).join('、')}`);
  }
}
