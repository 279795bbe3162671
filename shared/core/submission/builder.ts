import type { LoadedCatalogue } from '../catalogue/load';
import type { IndicatorDef, LedgerColumn, LedgerDef } from '../catalogue/schema';
import type { LoadedCounty } from '../county/load';
import type { Unit } from '../county/schema';
import { indicatorsToTypeForUnit, narrativeSections, sectionResolver } from './assignment';
import type { CollectionPlan } from '../county/plan';
import { valueTypeOf } from '../catalogue/schema';
import { parseBoolean } from './normalize/boolean';
import { CellConverter, cellText, converterFor, LedgerCellValue, QUANTITY_PROBLEM } from './cells';
import { checkLedgersAgainstSummaries } from './ledger-summary-check';
import { MAX_CELL_CHARS, MAX_LEDGER_ROWS, MAX_LOCATION_CHARS, MAX_NARRATIVE_CHARS, MAX_PROBLEMS } from './limits';
import type { IndicatorValue, LedgerRow, NarrativeItem, NormalizedSubmission, ParseOutcome, SourceLocation } from './normalized';
import { NormalizedSubmissionSchema } from './normalized';
import { resolveHeader } from './normalize/headers';
import { LEDGER_COUNTED_TEXT } from './layout';
import { notANumberHint, parseQuantity, sameMeasure } from './normalize/number';
import { cleanText, isBlank, matchKey } from './normalize/text';
import { isSameCounty, resolveUnit } from './normalize/units';
import { clip, problem, ProblemCode, ProblemLocation } from './problem-codes';
import type { SubmissionProblem } from './problems';
import type { LedgerDerivation } from '../catalogue/schema';
import type { DerivationTally } from '../report/unit-values';
import { LedgerRowSink, StreamedLedger, streamedFigures } from './row-sink';

/**
 * The one place where a submission is assembled and checked, whatever the
 * file format. Format parsers only find cells and say where they are; every
 * rule (which unit, which indicator, what a ledger cell may hold) lives here,
 * so json, csv and xlsx can never disagree about what is valid.
 */
export interface ParseContext {
  county: LoadedCounty;
  catalogue: LoadedCatalogue;
  year: number;
  /** The unit of the upload path (submissions/{year}/{unitId}/…): authoritative. */
  unitId: string;
  /** Where unitId came from, named in a mismatch ("报送单位" for an upload, "--unit 参数", "封面", "文件名"). */
  unitSource?: string;
  /**
   * Where accepted ledger rows go as they are read (xlsx and csv; a JSON file
   * is read whole and keeps its rows). An accepted submission's `ledgers` is
   * then empty: its rows went to the sink.
   */
  rowSink?: LedgerRowSink;
}

/** Where a ledger's accepted rows go: the submission's array, or a StreamedLedger. */
type LedgerRowTarget = { readonly length: number; push(row: LedgerRow): unknown };

/** Where cell (row, column index) of a ledger is, in the terms of the file format. */
export type CellLocator = (row: number, columnIndex: number, header: string) => ProblemLocation;

/** Read once: an imported binding is a getter call per row under CommonJS transpilation. */
const ROW_LIMIT = MAX_LEDGER_ROWS;
const CELL_LIMIT = MAX_CELL_CHARS;

/** Rows per ledger that the final zod check walks (see finish()). */
const ZOD_ROW_SAMPLE = 100;

const LEDGER_COUNTED_KEY = matchKey(LEDGER_COUNTED_TEXT);

/** Where a problem with the upload path itself (not the file's content) is reported. */
export const UPLOAD_PATH_LOCATION: ProblemLocation = { column: '报送单位' };

export class SubmissionBuilder {
  private readonly problems: SubmissionProblem[] = [];
  private droppedProblems = 0;
  /** True once any error is recorded (a field, not a getter: the ledger loop reads it per row). */
  failed = false;
  readonly unit: Unit | undefined;
  private readonly indicators = new Map<string, IndicatorValue>();
  /** Indicators the file mentions, filled or not, so a missing one is reported once. */
  private readonly mentioned = new Set<string>();
  private readonly ledgers = new Map<string, LedgerRow[]>();
  private readonly ledgerKeys = new Map<string, KeyIndex>();
  private readonly narratives: NarrativeItem[] = [];
  private contact: { name?: string; phone?: string } = {};
  /** INDICATOR_EMPTY reminders by indicator: withdrawn at the end for those a submitted ledger gives. */
  private readonly emptyIndicators = new Map<SubmissionProblem, string>();
  private readonly indicatorByName: Map<string, IndicatorDef>;
  private readonly ledgerByName: Map<string, LedgerDef>;
  private readonly resolveSection: (text: string) => string | undefined;
  private readonly plan: CollectionPlan;
  /** Indicators the clerk marked 暂无数据: not a zero, and not missing either. */
  private readonly noData: NonNullable<NormalizedSubmission['noData']> = [];
  /** Set when rows stream out (ParseContext.rowSink): the parser awaits it while full. */
  readonly rowSink: LedgerRowSink | undefined;
  private readonly streamed = new Map<string, StreamedLedger>();
  private readonly tallies = new Map<LedgerDerivation, DerivationTally>();

  constructor(
    readonly ctx: ParseContext,
    readonly format: NormalizedSubmission['format'],
  ) {
    this.unit = ctx.county.config.units.find((u) => u.id === ctx.unitId);
    this.plan = ctx.county.plan(ctx.year);
    this.rowSink = format === 'json' ? undefined : ctx.rowSink;
    if (!this.unit) this.report('UNKNOWN_UNIT', UPLOAD_PATH_LOCATION, `上传路径中的单位“${ctx.unitId}”不在${ctx.county.config.name}单位名单中`, ctx.unitId);
    this.indicatorByName = new Map();
    for (const ind of ctx.catalogue.indicators) {
      this.indicatorByName.set(matchKey(ind.id), ind);
      this.indicatorByName.set(matchKey(ind.name), ind);
    }
    this.ledgerByName = new Map();
    for (const l of ctx.catalogue.ledgers) {
      this.ledgerByName.set(matchKey(l.id), l);
      this.ledgerByName.set(matchKey(l.name), l);
    }
    this.resolveSection = sectionResolver(narrativeSections(ctx.county, ctx.year));
  }

  // ---- problems -----------------------------------------------------------

  report(code: ProblemCode, location: ProblemLocation, detail?: string, value?: unknown): void {
    const p = problem(code, location, detail, value);
    this.add(p);
  }

  add(p: SubmissionProblem): void {
    if (p.severity === 'error') this.failed = true;
    if (this.problems.length >= MAX_PROBLEMS) {
      this.droppedProblems++;
      return;
    }
    this.problems.push(p);
  }

  // ---- who, when ----------------------------------------------------------

  claimCounty(raw: unknown, location: ProblemLocation): void {
    const text = cellText(raw);
    if (text === '') return;
    if (!isSameCounty(this.ctx.county.config, text)) {
      this.report('COUNTY_MISMATCH', location, `文件填写“${text}”，本次报送的是${this.ctx.county.config.name}`, raw);
    }
  }

  claimYear(raw: unknown, location: ProblemLocation): void {
    const text = cellText(raw).replace(/年度?$/, '');
    if (text === '') return;
    const q = parseQuantity(text);
    if (!q.ok || q.approximate || !Number.isInteger(q.value) || q.value < 2000 || q.value > 2100) {
      this.report('BAD_YEAR', location, undefined, raw);
    } else if (q.value !== this.ctx.year) {
      this.report('YEAR_MISMATCH', location, `文件填写${q.value}年度，所报年度为${this.ctx.year}年度`, raw);
    }
  }

  claimUnit(raw: unknown, location: ProblemLocation): void {
    const text = cellText(raw);
    if (text === '') return;
    const unit = resolveUnit(this.ctx.county.config, text);
    if (!unit) {
      this.report('UNKNOWN_UNIT', location, `“${text}”不是${this.ctx.county.config.name}的单位名称或简称`, raw);
    } else if (this.unit && unit.id !== this.unit.id) {
      this.report('UNIT_MISMATCH', location, `文件填写“${unit.name}”，${this.ctx.unitSource ?? '报送单位'}为“${this.unit.name}”`, raw);
    }
  }

  setContact(field: 'name' | 'phone', raw: unknown, location: ProblemLocation = { path: `contact.${field}` }): void {
    const text = cellText(raw);
    if (text.length > CELL_LIMIT) this.report('CELL_TOO_LONG', location, `联系人信息超过${CELL_LIMIT}字`);
    else if (text !== '') this.contact[field] = text;
  }

  // ---- indicators ---------------------------------------------------------

  /** `ref` is an indicator id or its Chinese name; `value` as found in the cell or JSON. */
  addIndicator(ref: string, value: unknown, note: unknown, location: ProblemLocation, valueLocation: ProblemLocation = location): void {
    const def = this.indicatorByName.get(matchKey(ref));
    if (!def) {
      this.report('UNKNOWN_INDICATOR', location, `“${ref}”不在指标目录中`, ref);
      return;
    }
    if (this.unit && !this.plan.asks(this.unit, def)) {
      // A row left empty (e.g. another unit's template) is not worth a warning.
      if (!isBlank(value)) this.report('INDICATOR_NOT_FOR_UNIT', location, `${def.name}`, ref);
      this.mentioned.add(def.id);
      return;
    }
    if (this.mentioned.has(def.id) && (this.indicators.has(def.id) || this.noData.some((n) => n.indicatorId === def.id))) {
      this.report('DUPLICATE_INDICATOR', location, `${def.name}`, ref);
      return;
    }
    this.mentioned.add(def.id);
    // The template's "由台账自动统计" is no figure: the ledger gives it (and an empty-indicator reminder is withdrawn then).
    if (typeof value === 'string' && matchKey(value) === LEDGER_COUNTED_KEY) value = undefined;
    if (isBlank(value)) {
      const p = problem('INDICATOR_EMPTY', valueLocation, `${def.name}`);
      this.emptyIndicators.set(p, def.id);
      this.add(p);
      return;
    }
    const typed = typeof value === 'string' ? matchKey(value) : undefined;
    if (typed !== undefined && NO_DATA_WORDS.has(typed)) {
      this.noData.push({ indicatorId: def.id, source: toSource(valueLocation) });
      this.report('INDICATOR_NO_DATA', valueLocation, def.name, value);
      return;
    }
    const noteText = note === undefined || note === null ? '' : cellText(note);
    if (noteText.length > CELL_LIMIT) {
      this.report('CELL_TOO_LONG', location, `${def.name}的备注超过${CELL_LIMIT}字`);
      return;
    }
    const keep = (iv: IndicatorValue) => {
      if (noteText !== '') iv.note = noteText;
      this.indicators.set(def.id, iv);
    };
    const valueType = valueTypeOf(def);
    if (valueType === 'yesno') {
      const yes = parseBoolean(typeof value === 'string' ? value.trim() : value);
      if (!yes.ok) {
        this.report('BAD_BOOLEAN', valueLocation, def.name, value);
        return;
      }
      const iv: IndicatorValue = { indicatorId: def.id, value: yes.value ? 1 : 0, approximate: false, source: toSource(valueLocation) };
      if (typeof value === 'string') iv.raw = value.trim();
      keep(iv);
      return;
    }
    if (typed !== undefined && NONE_OCCURRED_WORDS.has(typed)) {
      keep({ indicatorId: def.id, value: 0, approximate: false, raw: String(value).trim(), source: toSource(valueLocation) });
      return;
    }
    if (typeof value === 'string' && value.length > CELL_LIMIT) {
      this.report('CELL_TOO_LONG', valueLocation, `${def.name}：超过${CELL_LIMIT}字`);
      return;
    }
    const q = parseQuantity(value);
    if (!q.ok) {
      this.report(QUANTITY_PROBLEM[q.reason], valueLocation, q.reason === 'not_a_number' ? `${def.name}；${notANumberHint(value)}` : def.name, value);
      return;
    }
    if (def.range && ((def.range.min !== undefined && q.value < def.range.min) || (def.range.max !== undefined && q.value > def.range.max))) {
      this.report('NUMBER_OUT_OF_RANGE', valueLocation, `${def.name}应在${def.range.min ?? 0}至${def.range.max ?? '∞'}之间`, value);
      return;
    }
    if (q.approximate && !def.approximateAllowed) {
      this.report('APPROXIMATE_NOT_ALLOWED', valueLocation, def.name, value);
      return;
    }
    if (isIntegerIndicator(def) && !Number.isInteger(q.value)) {
      this.report('NOT_AN_INTEGER', valueLocation, def.name, value);
      return;
    }
    if (valueType === 'percent' && q.value > 100) {
      this.report('PERCENT_OUT_OF_RANGE', valueLocation, def.name, value);
      return;
    }
    if (q.measure && !sameMeasure(q.measure, def.unit)) {
      this.report('MEASURE_WORD_MISMATCH', valueLocation, `${def.name}的单位是“${def.unit}”，填写的是“${q.measure}”`, value);
    }
    const iv: IndicatorValue = { indicatorId: def.id, value: q.value, approximate: q.approximate, source: toSource(valueLocation) };
    if (q.approximate && q.qualifier) iv.qualifier = q.qualifier;
    if (typeof value === 'string' && value.trim() !== String(q.value)) iv.raw = value.trim();
    keep(iv);
  }

  // ---- ledgers ------------------------------------------------------------

  findLedger(ref: string): LedgerDef | undefined {
    return this.ledgerByName.get(matchKey(ref)) ?? this.ledgerByName.get(matchKey(ref.replace(/\.(csv|xlsx|json)$/i, '')));
  }

  /**
   * Starts (or continues) a ledger given its header row. Returns undefined
   * when the ledger is unknown, not this unit's, or its header is unusable:
   * the caller then skips its rows (the problem is already reported).
   */
  openLedger(ledger: LedgerDef, headers: readonly unknown[], locateHeader: (columnIndex: number) => ProblemLocation, locateCell: CellLocator, where: ProblemLocation): LedgerSink | undefined {
    if (this.unit && !this.plan.asks(this.unit, ledger)) {
      this.report('LEDGER_NOT_FOR_UNIT', where, ledger.name);
      return undefined;
    }
    const columns: (LedgerColumn | undefined)[] = [];
    const seen = new Map<string, number>();
    let broken = false;
    headers.forEach((h, i) => {
      const text = cellText(h);
      if (text === '') return;
      const column = resolveHeader(ledger, text);
      if (!column) {
        this.report('UNKNOWN_COLUMN', locateHeader(i), `“${text}”不是${ledger.name}的列；可用列：${ledger.columns.map((c) => c.name).join('、')}`, text);
        return;
      }
      if (seen.has(column.id)) {
        this.report('DUPLICATE_COLUMN', locateHeader(i), `“${text}”与第${seen.get(column.id)! + 1}列都是“${column.name}”`, text);
        broken = true;
        return;
      }
      seen.set(column.id, i);
      columns[i] = column;
    });
    for (const column of ledger.columns) {
      if (column.required && !seen.has(column.id)) {
        this.report('LEDGER_COLUMN_MISSING', where, `${ledger.name}缺少“${column.name}”列`);
        broken = true;
      }
    }
    if (broken) return undefined;
    // The rows array is created on the first data row: an untouched ledger
    // sheet in a template means "not kept", not "none" (FORMAT.md).
    const rows = (): LedgerRowTarget => {
      if (this.rowSink) return this.streamedLedger(ledger, this.rowSink);
      let r = this.ledgers.get(ledger.id);
      if (!r) {
        r = [];
        this.ledgers.set(ledger.id, r);
      }
      return r;
    };
    let keys = this.ledgerKeys.get(ledger.id);
    if (!keys && ledger.key) {
      keys = new KeyIndex();
      this.ledgerKeys.set(ledger.id, keys);
    }
    return new LedgerSink(this, ledger, columns, headers.map(cellText), rows, keys, locateCell);
  }

  /** A streamed ledger stands in the submission as its first rows (the schema check's sample). */
  private streamedLedger(ledger: LedgerDef, sink: LedgerRowSink): StreamedLedger {
    let s = this.streamed.get(ledger.id);
    if (!s) {
      s = new StreamedLedger(ledger, sink, ZOD_ROW_SAMPLE, this.tallies, this.ctx.catalogue);
      this.streamed.set(ledger.id, s);
      this.ledgers.set(ledger.id, s.sample);
    }
    return s;
  }

  /** A JSON ledger given as []: the unit keeps it and it has no rows (counts as 0). */
  declareEmptyLedger(ledger: LedgerDef, where: ProblemLocation): void {
    if (this.unit && !this.plan.asks(this.unit, ledger)) {
      this.report('LEDGER_NOT_FOR_UNIT', where, ledger.name);
      return;
    }
    if (!this.ledgers.has(ledger.id)) this.ledgers.set(ledger.id, []);
  }

  /** True when a header row names at least one column of the ledger (used to find the header row). */
  static looksLikeHeader(ledger: LedgerDef, cells: readonly unknown[]): boolean {
    return cells.some((c) => typeof c === 'string' && resolveHeader(ledger, c) !== undefined);
  }

  // ---- narratives ---------------------------------------------------------

  addNarrative(section: unknown, text: unknown, location: ProblemLocation, sectionLocation: ProblemLocation = location): void {
    const body = typeof text === 'string' ? cleanParagraphs(text) : cellText(text);
    const sectionText = cellText(section);
    if (body === '') return; // the template's pre-filled rows left blank
    if (body.length > MAX_NARRATIVE_CHARS) {
      this.report('NARRATIVE_TOO_LONG', location, `共${body.length}字，每条上限${MAX_NARRATIVE_CHARS}字；请分成几条填写`);
      return;
    }
    const key = this.resolveSection(sectionText);
    if (!key) {
      // A JSON file names sections by key; a clerk's sheet by the label the template shows.
      const known = narrativeSections(this.ctx.county, this.ctx.year).map((s) => (this.format === 'json' ? s.key : s.label)).join('、');
      this.report('UNKNOWN_SECTION', sectionLocation, `“${sectionText}”不是报告模板中的栏目；可用：${known}`, sectionText);
      return;
    }
    this.narratives.push({ section: key, text: body, order: this.narratives.length + 1, source: toSource(location) });
  }

  // ---- result -------------------------------------------------------------

  finish(): ParseOutcome {
    const unit = this.unit;
    const submission: NormalizedSubmission = {
      schemaVersion: 1,
      county: this.ctx.county.config.id,
      year: this.ctx.year,
      unitId: this.ctx.unitId,
      format: this.format,
      indicators: [...this.indicators.values()],
      ledgers: Object.fromEntries(this.ledgers),
      narratives: this.narratives,
      warnings: [],
    };
    if (this.contact.name !== undefined || this.contact.phone !== undefined) submission.contact = this.contact;
    if (this.noData.length > 0) submission.noData = this.noData;
    if (!this.failed && this.indicators.size === 0 && this.ledgers.size === 0 && this.narratives.length === 0 && this.noData.length === 0) {
      this.report('NOTHING_TO_SUBMIT', {}, '没有填写任何指标数值、台账或工作情况');
    }
    const derivable = new Set(this.ctx.catalogue.indicators.filter((i) => i.fromLedger && this.ledgers.has(i.fromLedger.ledger)).map((i) => i.id));
    // An empty summary cell next to the ledger that yields it is what the template's 说明 asks for, not a gap.
    for (const [p, id] of this.emptyIndicators) {
      if (!derivable.has(id)) continue;
      const at = this.problems.indexOf(p);
      if (at >= 0) this.problems.splice(at, 1);
    }
    if (unit && !this.failed) {
      const derivable = new Set(this.ctx.catalogue.indicators.filter((i) => i.fromLedger && this.ledgers.has(i.fromLedger.ledger)).map((i) => i.id));
      for (const def of indicatorsToTypeForUnit(this.ctx.county, this.ctx.year, unit)) {
        if (!this.mentioned.has(def.id) && !derivable.has(def.id)) {
          this.report('INDICATOR_MISSING', { path: `indicators.${def.id}` }, `${def.name}`);
        }
      }
      const figures = this.rowSink ? streamedFigures(this.streamed, this.tallies) : undefined;
      for (const p of checkLedgersAgainstSummaries(submission, this.ctx.catalogue, figures)) this.add(p);
    }
    if (this.droppedProblems > 0) {
      this.problems.push(problem('TOO_MANY_PROBLEMS', {}, `另有${this.droppedProblems}个问题未列出，请先改正以上问题`));
    }
    if (this.failed) return { ok: false, problems: this.problems };
    submission.warnings = this.problems;
    // One zod check of the assembled value guards the contract ingest stores.
    // Ledger rows are built by the typed converters above, one code path for
    // every row, so a large ledger is checked on its first rows only: walking
    // 100,000 rows again would cost as much as parsing them, and even 1,000
    // took ~10 ms, a twentieth of a 100,000-row CSV parse (bench/, issue 16).
    const sampled = Object.fromEntries(Object.entries(submission.ledgers).map(([id, rows]) => [id, rows.length > ZOD_ROW_SAMPLE ? rows.slice(0, ZOD_ROW_SAMPLE) : rows]));
    const checked = NormalizedSubmissionSchema.safeParse({ ...submission, ledgers: sampled });
    if (!checked.success) {
      const issue = checked.error.issues[0]!;
      throw new Error(`internal: normalized submission violates its schema at ${issue.path.join('.')}: ${issue.message}`);
    }
    if (this.rowSink) submission.ledgers = {};
    return { ok: true, submission };
  }
}

export class LedgerSink {
  private readonly mapped: { index: number; id: string; required: boolean; column: LedgerColumn; convert: CellConverter; header: string }[];
  private readonly keyIndex: number;
  /** Every mapped column set to null, in column order: each row's fields start as a copy (one shape for all rows, no per-cell property additions). */
  private readonly blankFields: Record<string, LedgerCellValue> = {};
  private overflowReported = false;
  private rows: LedgerRowTarget | undefined;

  constructor(
    private readonly builder: SubmissionBuilder,
    readonly ledger: LedgerDef,
    columns: readonly (LedgerColumn | undefined)[],
    headers: readonly string[],
    private readonly rowsOf: () => LedgerRowTarget,
    private readonly keys: KeyIndex | undefined,
    private readonly locate: CellLocator,
  ) {
    this.mapped = [];
    columns.forEach((column, index) => {
      if (column) this.mapped.push({ index, id: column.id, required: column.required === true, column, convert: converterFor(column), header: headers[index] ?? column.name });
    });
    for (const m of this.mapped) this.blankFields[m.id] = null;
    this.keyIndex = this.mapped.findIndex((m) => m.column.id === ledger.key);
  }

  /** Adds one source row; blank rows are skipped. `rowNumber` is the sheet row, CSV line or array index + 1. */
  addRow(cells: readonly unknown[], rowNumber: number): void {
    const mapped = this.mapped;
    const fields = { ...this.blankFields };
    let filled = false;
    let missing: number[] | undefined;
    let bad = false;
    let key: LedgerCellValue = null;
    const keyIndex = this.keyIndex;
    for (let m = 0; m < mapped.length; m++) {
      const col = mapped[m]!;
      const raw = cells[col.index];
      if (raw === undefined || raw === null || raw === '' || (typeof raw === 'string' && startsBlank(raw) && raw.trim().replace(BLANK_CHARS, '') === '')) {
        if (col.required) (missing ??= []).push(m);
        continue;
      }
      filled = true;
      if (typeof raw === 'string' && raw.length > CELL_LIMIT) {
        bad = true;
        this.builder.report('CELL_TOO_LONG', this.locate(rowNumber, col.index, col.header), `${col.column.name}：共${raw.length}字，上限${CELL_LIMIT}字`);
        continue;
      }
      const value = col.convert(raw);
      // Cell values are never objects, so this is a BadCell (cheaper than instanceof in the hot loop).
      if (typeof value === 'object' && value !== null) {
        bad = true;
        this.builder.report(value.code, this.locate(rowNumber, col.index, col.header), value.detail ? `${col.column.name}：${value.detail}` : col.column.name, raw);
      } else {
        fields[col.id] = value;
        if (m === keyIndex) key = value;
      }
    }
    if (!filled) return;
    if (missing) {
      bad = true;
      for (const m of missing) {
        const col = mapped[m]!;
        this.builder.report('REQUIRED_CELL_EMPTY', this.locate(rowNumber, col.index, col.header), col.column.name);
      }
    }
    if (this.keys && keyIndex >= 0) {
      const keyCol = mapped[keyIndex]!;
      if (key !== null) {
        const k = typeof key === 'string' ? key : String(key);
        if (!this.keys.add(k)) {
          bad = true;
          this.builder.report('DUPLICATE_LEDGER_KEY', this.locate(rowNumber, keyCol.index, keyCol.header), `${keyCol.column.name}“${k}”已在前面出现`, k);
        }
      }
    }
    const rows = (this.rows ??= this.rowsOf());
    if (rows.length >= ROW_LIMIT) {
      if (!this.overflowReported) {
        this.overflowReported = true;
        this.builder.report('LEDGER_TOO_MANY_ROWS', this.locate(rowNumber, 0, ''), `${this.ledger.name}最多${MAX_LEDGER_ROWS}行`);
      }
      return;
    }
    // A row with a bad cell is not kept: the submission is rejected anyway, and
    // dropping it keeps memory flat when a whole column is wrong.
    if (!bad && !this.builder.failed) rows.push({ row: rowNumber, fields });
  }
}

/**
 * The key values seen in one ledger (case or certificate numbers), to catch
 * a row entered twice. Ledgers are usually kept in key order (numbers are
 * issued in sequence), and while keys keep increasing they are unique without
 * hashing: a string comparison per row. The first key out of order moves
 * them all into a Set. On a 100,000-row ledger the Set is most of the cost
 * of a row, so the sorted case matters.
 */
export class KeyIndex {
  private last: string | undefined;
  private ascending: string[] = [];
  private set: Set<string> | undefined;

  /** False when `key` was already seen. */
  add(key: string): boolean {
    if (!this.set) {
      if (this.last === undefined || key > this.last) {
        this.ascending.push(key);
        this.last = key;
        return true;
      }
      this.set = new Set(this.ascending);
      this.ascending = [];
    }
    const before = this.set.size;
    this.set.add(key);
    return this.set.size !== before;
  }
}

/** Counts (件, 人, 项 …) are whole numbers; rates, amounts and hours may have decimals. */
export function isIntegerIndicator(def: IndicatorDef): boolean {
  return valueTypeOf(def) === 'count';
}

/**
 * What a clerk types for "this did not happen" (a true zero) and for "we do
 * not have this figure" (not a zero: the figure is incomplete). Kept apart so
 * nobody is pushed into writing a false 0.
 */
// A bare 无 or 没有 is ambiguous (none happened, or no figure?), so it is refused with a hint, never read as 0.
const NONE_OCCURRED_WORDS = new Set(['未发生', '没有发生', '无发生', '本年度未发生']);
const NO_DATA_WORDS = new Set(['暂无数据', '无数据', '暂无', '不详', '待统计', '数据暂缺', '暂缺']);

const BLANK_CHARS = /[\s\u200B-\u200D\u2060\uFEFF]/g;

/** Only a string that starts with a space-like character can be all blank: skips the regex for nearly every cell. */
function startsBlank(text: string): boolean {
  const c = text.charCodeAt(0);
  return c <= 0x20 || c === 0xa0 || c === 0x3000 || c === 0xfeff || (c >= 0x2000 && c <= 0x200d) || c === 0x2060 || c === 0x202f || c === 0x205f || c === 0x1680;
}

function cleanParagraphs(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map(cleanText)
    .filter((line) => line !== '')
    .join('\n');
}

function toSource(location: ProblemLocation): SourceLocation {
  const s: SourceLocation = {};
  if (location.sheet !== undefined) s.sheet = clip(location.sheet, MAX_LOCATION_CHARS);
  if (location.cell !== undefined) s.cell = location.cell;
  if (location.row !== undefined) s.row = location.row;
  if (location.path !== undefined) s.path = clip(location.path, MAX_LOCATION_CHARS);
  return s;
}
